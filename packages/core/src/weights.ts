import { gradlabError } from './errors/index.ts';
import type { Model } from './model.ts';
import { namedTensors } from './serialize.ts';

/**
 * Weights to start a session from: a model built from the same spec (the `model` that
 * `loadModel` or a finished run returns), or tensors by the names `saveModel` uses
 * (`dense_0.W`, `rnn_0.Wh`, `batchnorm_1.runningMean`, …) as flat row-major arrays.
 */
export type InitialWeights = Model | Readonly<Record<string, ArrayLike<number>>>;

const isModel = (w: InitialWeights): w is Model =>
  Array.isArray((w as Model).params) && Array.isArray((w as Model).layers);

/**
 * Copy `weights` into a freshly built `model`. A model must have exactly the same tensors;
 * named tensors may be a subset (the rest keep their initialization), but every name must exist,
 * every length must match and every value must be finite. The source is copied, never shared.
 */
export function applyWeights(model: Model, weights: InitialWeights): void {
  const fail = (problem: string): never => {
    throw gradlabError('WeightsError', [problem]);
  };
  if (weights === null || typeof weights !== 'object') fail('`weights` must be a Model or an object of tensors');
  const targets = new Map(namedTensors(model));
  const names = [...targets.keys()].join(', ');
  const given: [string, ArrayLike<number>][] = isModel(weights)
    ? namedTensors(weights)
    : Object.entries(weights as Record<string, ArrayLike<number>>);
  if (isModel(weights)) {
    const missing = [...targets.keys()].find((name) => !given.some(([n]) => n === name));
    if (missing) fail(`the given model has no tensor \`${missing}\`; it was built from another spec`);
  }
  for (const [name, values] of given) {
    const target = targets.get(name);
    if (!target) fail(`tensor \`${name}\` is not part of this model (its tensors: ${names})`);
    if (!values || typeof values.length !== 'number') fail(`tensor \`${name}\` must be an array of numbers`);
    if (values.length !== target!.length) {
      fail(`tensor \`${name}\` has ${values.length} values; the model needs ${target!.length}`);
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`tensor \`${name}\`[${i}] is ${v}, not a finite number`);
      if (name.endsWith('.runningVar') && v < 0)
        fail(`tensor \`${name}\`[${i}] is ${v}; a variance cannot be negative`);
    }
  }
  for (const [name, values] of given) targets.get(name)!.set(values);
}

/**
 * The index of the first value of `values` that is not finite, or −1. A plain loop: `findIndex` calls
 * its callback per value, which took ~1.5 ms per 20 × 64² model in Chromium's worker (decision 0013).
 */
export function firstNonFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}
