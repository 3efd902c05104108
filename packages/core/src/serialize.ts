import type { DataShape } from './datasets.ts';
import { gradlabError } from './errors/index.ts';
import { buildModel, type Model } from './model.ts';
import type { Registry } from './registry.ts';
import { createRng } from './rng.ts';
import type { ExperimentSpec } from './spec/types.ts';
import { validateExperiment } from './spec/validate.ts';

/** JSON numbers cannot hold NaN, ±Infinity or −0; these strings stand for them. */
type EncodedNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** A trained model as JSON: the spec that built it, the data shape, and every tensor. */
export interface SavedModel {
  readonly format: 'gradlab-model';
  readonly version: 1;
  readonly spec: ExperimentSpec;
  readonly shape: DataShape;
  /** Trainable tensors by name (`dense_0.W`) and non-trainable buffers (`batchnorm_1.runningMean`). */
  readonly tensors: Readonly<Record<string, readonly EncodedNumber[]>>;
}

const encode = (v: number): EncodedNumber =>
  Number.isNaN(v)
    ? 'NaN'
    : v === Number.POSITIVE_INFINITY
      ? 'Infinity'
      : v === Number.NEGATIVE_INFINITY
        ? '-Infinity'
        : Object.is(v, -0)
          ? '-0'
          : v;
const SPECIAL: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  '-0': -0,
};

function namedTensors(model: Model): [string, Float64Array][] {
  return [
    ...model.params.map((p) => [p.name, p.value] as [string, Float64Array]),
    ...model.layers.flatMap((l) =>
      Object.entries(l.buffers).map(([k, v]) => [`${l.type}_${l.index}.${k}`, v] as [string, Float64Array]),
    ),
  ];
}

/**
 * Save a model with the spec that built it. Float64 values survive exactly: JSON numbers
 * print the shortest decimal that reads back to the same double.
 */
export function saveModel(spec: ExperimentSpec, shape: DataShape, model: Model): SavedModel {
  const tensors = Object.fromEntries(namedTensors(model).map(([name, t]) => [name, Array.from(t, encode)]));
  const { features, steps, outputs, task } = shape;
  return { format: 'gradlab-model', version: 1, spec, shape: { features, steps, outputs, task }, tensors };
}

/** Rebuild a saved model; every problem with the file is a ModelFormatError naming the field. */
export function loadModel(saved: unknown, options: { registry: Registry }): { spec: ExperimentSpec; model: Model } {
  const fail = (problem: string): never => {
    throw gradlabError('ModelFormatError', [problem]);
  };
  const s = saved as SavedModel;
  if (!s || typeof s !== 'object' || s.format !== 'gradlab-model') fail('`format` must be "gradlab-model"');
  if (s.version !== 1) fail(`\`version\` ${JSON.stringify(s.version)} is not supported (this version reads 1)`);
  if (!s.shape || !s.tensors || typeof s.tensors !== 'object') fail('`shape` and `tensors` are required');
  for (const key of ['features', 'steps', 'outputs'] as const) {
    const n = s.shape[key];
    if (!Number.isInteger(n) || n < 1) fail(`\`shape.${key}\` must be a whole number ≥ 1`);
  }
  if (!['regression', 'binary', 'multiclass'].includes(s.shape.task)) {
    fail('`shape.task` must be "regression", "binary" or "multiclass"');
  }
  const issues = validateExperiment(s.spec, options.registry, { ...s.shape, rows: undefined });
  if (issues.length) fail(`\`spec\` is invalid: \`${issues[0].path || '(root)'}\` ${issues[0].message}`);
  const clock = { step: 0, strict: false };
  const model = buildModel(s.spec.model, {
    registry: options.registry,
    rng: createRng(s.spec.seed),
    shape: s.shape,
    clock,
  });
  for (const [name, target] of namedTensors(model)) {
    const values = s.tensors[name];
    if (!Array.isArray(values)) fail(`tensor \`${name}\` is missing`);
    if (values.length !== target.length)
      fail(`tensor \`${name}\` has ${values.length} values; the model needs ${target.length}`);
    values.forEach((v, i) => {
      const n = typeof v === 'string' ? SPECIAL[v] : v;
      if (typeof n !== 'number') fail(`tensor \`${name}\`[${i}] is not a number`);
      target[i] = n;
    });
  }
  return { spec: s.spec, model };
}
