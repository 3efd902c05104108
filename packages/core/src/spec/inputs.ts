import type { Dataset } from '../datasets.ts';
import { gradlabError } from '../errors/index.ts';
import type { Registry } from '../registry.ts';

/**
 * Checks at the API boundary: arguments a library user passes in (options, data, inputs) are
 * refused with a catalog error naming the argument and the fix, before they reach the engine.
 */

/** `train(spec)` without options used to be a raw TypeError from destructuring. */
export function requireRegistry(fn: string, options: unknown): Registry {
  const registry = (options as { registry?: Registry } | undefined)?.registry;
  if (!registry || typeof registry.check !== 'function' || typeof registry.resolve !== 'function') {
    throw gradlabError('MissingRegistry', [fn, options === undefined ? 'no options' : 'options without a registry']);
  }
  return registry;
}

/** User-supplied data must be consistent, finite and fit its task before it reaches the engine. */
export function checkData(d: Dataset): void {
  const sizes = [d.rows, d.features, d.steps, d.outputs];
  if (!sizes.every((n) => Number.isInteger(n) && n > 0)) {
    throw gradlabError('DataShapeError', ['rows, features, steps and outputs must be positive whole numbers']);
  }
  if (d.x.length !== d.rows * d.features * d.steps) {
    throw gradlabError('DataShapeError', [
      `x has ${d.x.length} values; rows × steps × features is ${d.rows * d.steps * d.features}`,
    ]);
  }
  if (d.y.length !== d.rows * d.outputs) {
    throw gradlabError('DataShapeError', [`y has ${d.y.length} values; rows × outputs is ${d.rows * d.outputs}`]);
  }
  const bad = [d.x, d.y].map((a) => a.findIndex((v) => !Number.isFinite(v)));
  if (bad[0] >= 0 || bad[1] >= 0) {
    const [name, i] = bad[0] >= 0 ? ['x', bad[0]] : ['y', bad[1]];
    throw gradlabError('DataShapeError', [
      `${name}[${i}] is not a finite number; remove or impute missing values first`,
    ]);
  }
  checkTargets(d);
}

/**
 * Classification targets are probabilities: binary targets lie in [0, 1] (0/1 labels, or soft
 * labels such as 0.9, which binary cross-entropy handles exactly), multiclass rows are
 * distributions (one-hot, or smoothed) summing to 1. A target of 2 or −1 used to train silently
 * with a loss that has no minimum where the user expects one.
 */
function checkTargets(d: Dataset): void {
  if (d.task === 'regression') return;
  const i = d.y.findIndex((v) => v < 0 || v > 1);
  if (i >= 0) {
    throw gradlabError('DataShapeError', [
      `y[${i}] is ${d.y[i]} but ${d.task} targets must lie between 0 and 1 (class labels 0/1${d.task === 'multiclass' ? ', one-hot per row' : ''}); use task "regression" for other values`,
    ]);
  }
  if (d.task !== 'multiclass') return;
  for (let r = 0; r < d.rows; r++) {
    let sum = 0;
    for (let j = 0; j < d.outputs; j++) sum += d.y[r * d.outputs + j];
    if (Math.abs(sum - 1) > 1e-9) {
      throw gradlabError('DataShapeError', [
        `row ${r} of y sums to ${sum}; multiclass targets are one-hot rows (exactly one 1) that sum to 1`,
      ]);
    }
  }
}

/**
 * `model.forward` with a mis-sized input used to read past the data and return [0, NaN]. x may
 * be a longer buffer of whole rows (the trainer reuses one batch buffer for a smaller last
 * batch); only its first rows × inputSize values are read.
 */
export function checkForwardInput(x: Float64Array, rows: number, inputSize: number): void {
  const ok = x instanceof Float64Array && x.length % inputSize === 0 && x.length >= rows * inputSize;
  if (!ok || !Number.isInteger(rows) || rows < 1) {
    throw gradlabError('DataShapeError', [
      `model.forward(x, rows) received ${x instanceof Float64Array ? `${x.length} values` : 'no Float64Array'} for rows = ${rows}; the model reads ${inputSize} values per row, so x needs rows × ${inputSize} values`,
    ]);
  }
}
