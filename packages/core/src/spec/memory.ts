import type { DataShape } from '../datasets.ts';
import type { SpecIssue } from '../errors/index.ts';
import { type ExperimentSpec, LIMITS } from './types.ts';

/** Float64 values the training of a spec allocates, by what holds them. */
export interface MemoryEstimate {
  /** The dataset, and its train/test copies when some rows are held out. */
  readonly data: number;
  /** Weights, gradients, optimizer state, clipping and regularizer buffers. */
  readonly parameters: number;
  /** Per-row buffers of every layer (z, f(z), f′(z), δ, ∂L/∂x) for one batch, and the batch itself. */
  readonly activations: number;
  /** Everything above, in bytes (8 per value). */
  readonly bytes: number;
}

/** Optimizer state per parameter: momentum keeps a velocity, Adam two moments. */
const STATE: Record<string, number> = { sgd: 0, momentum: 1, adam: 2, adamw: 2 };

/**
 * What the engine will allocate for `spec`, counted from the same layer sizes it builds, before
 * anything is allocated (docs/decisions/0022-memory-estimate.md). It counts the large buffers
 * only (a few per-unit vectors are left out), so it is a slight underestimate; a test compares
 * it with the ArrayBuffer memory a session really takes.
 */
export function estimateMemory(spec: ExperimentSpec, shape: DataShape & { rows?: number }): MemoryEstimate {
  const batch = spec.train.batchSize;
  const { features, steps, outputs } = shape;
  let width = features * steps;
  let params = 0;
  let perRow = 0;
  for (const layer of spec.model.layers) {
    if (layer.type === 'batchnorm') {
      params += 2 * width;
      perRow += 6 * width;
      continue;
    }
    const units = layer.units;
    if (layer.type === 'rnn') {
      params += (features + units + 1) * units;
      perRow += 4 * steps * units + 2 * units;
    } else {
      params += (width + 1) * units;
      perRow += (layer.residual ? 5 : 4) * units + width;
    }
    width = units;
  }
  const optimizer = typeof spec.train.optimizer === 'string' ? spec.train.optimizer : spec.train.optimizer[0];
  const copies =
    2 + (STATE[optimizer] ?? 2) + (spec.train.clipping?.length ? 2 : 0) + (spec.train.regularizers?.length ? 1 : 0);
  const rows = shape.rows ?? 0;
  const dataId = typeof spec.data === 'string' ? spec.data : spec.data?.[0];
  const held = (spec.train.testFraction ?? (dataId === 'gaussian' ? 0 : 0.2)) > 0 ? 2 : 1;
  const data = rows * (features * steps + outputs) * held;
  const activations = batch * (perRow + features * steps + 2 * outputs);
  const parameters = params * copies;
  return { data, parameters, activations, bytes: 8 * (data + parameters + activations) };
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 2 : 1)} GiB`;

/**
 * A spec that would need more than LIMITS.memory is refused before training, with the estimate
 * and the limit; it used to allocate for half a minute and die with an internal error.
 */
export function memoryIssues(spec: ExperimentSpec, shape: DataShape & { rows?: number }): SpecIssue[] {
  const e = estimateMemory(spec, shape);
  if (e.bytes <= LIMITS.memory) return [];
  const detail = `${gib(8 * e.activations)} for the layers' buffers of a ${spec.train.batchSize}-row batch, ${gib(8 * e.parameters)} for parameters, gradients and optimizer state, ${gib(8 * e.data)} for the data`;
  return [
    {
      path: 'train.batchSize',
      code: 'MemoryLimit',
      message: `with these layers, training needs about ${gib(e.bytes)} of memory (${detail}); the limit is ${gib(LIMITS.memory)}.`,
      hint: 'Memory grows with batchSize × units per layer: lower train.batchSize first, then the width or the number of layers.',
    },
  ];
}
