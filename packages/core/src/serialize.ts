import type { DataShape } from './datasets.ts';
import { gradlabError } from './errors/index.ts';
import { buildModel, type Model } from './model.ts';
import type { Registry } from './registry.ts';
import { createRng } from './rng.ts';
import { requireRegistry } from './spec/inputs.ts';
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

/** Every tensor of a model by its saved name: parameters, then non-trainable buffers. */
export function namedTensors(model: Model): [string, Float64Array][] {
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

/**
 * Rebuild a saved model; every problem with the file is a ModelFormatError naming the field.
 * NaN and ±Infinity weights are refused unless `allowNonFinite` (to inspect a diverged model).
 */
export function loadModel(
  saved: unknown,
  options: { registry: Registry; allowNonFinite?: boolean },
): { spec: ExperimentSpec; model: Model } {
  const fail = (problem: string): never => {
    throw gradlabError('ModelFormatError', [problem]);
  };
  const registry = requireRegistry('loadModel', options);
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
  const issues = validateExperiment(s.spec, registry, { ...s.shape, rows: undefined });
  if (issues.length) fail(`\`spec\` is invalid: \`${issues[0].path || '(root)'}\` ${issues[0].message}`);
  const clock = { step: 0, strict: false };
  const model = buildModel(s.spec.model, {
    registry,
    rng: createRng(s.spec.seed),
    shape: s.shape,
    clock,
  });
  const named = namedTensors(model);
  // A tensor the model does not have is a file for another model (or a typo): not silently dropped.
  const unknown = Object.keys(s.tensors).filter((k) => !named.some(([name]) => name === k));
  if (unknown.length) {
    fail(`tensor \`${unknown[0]}\` is not part of this model (its tensors: ${named.map(([n]) => n).join(', ')})`);
  }
  for (const [name, target] of named) {
    const values = s.tensors[name];
    if (!Array.isArray(values)) fail(`tensor \`${name}\` is missing`);
    if (values.length !== target.length)
      fail(`tensor \`${name}\` has ${values.length} values; the model needs ${target.length}`);
    values.forEach((v, i) => {
      const n = typeof v === 'string' ? SPECIAL[v] : v;
      if (typeof n !== 'number') fail(`tensor \`${name}\`[${i}] is not a number`);
      // A weight of NaN or ±Infinity makes every output NaN: the file comes from a diverged run.
      if (!Number.isFinite(n) && !options.allowNonFinite) {
        fail(`tensor \`${name}\`[${i}] is ${n}; pass { allowNonFinite: true } to load a diverged model anyway`);
      }
      if (name.endsWith('.runningVar') && n < 0)
        fail(`tensor \`${name}\`[${i}] is ${n}; a variance cannot be negative`);
      target[i] = n;
    });
  }
  return { spec: s.spec, model };
}
