/**
 * Finite-difference gradient checks: the gradient oracle of every suite (micrograd, tinygrad).
 * Pure functions, no Vitest: core's model gradchecks and the suites share them.
 */

/** Tolerances of a gradient check. */
export interface GradcheckOptions {
  /** Central-difference step. Default 1e-5, which balances truncation and round-off for smooth f in float64. */
  readonly h?: number;
  /** Relative tolerance. Default 1e-6. */
  readonly rtol?: number;
  /** Absolute tolerance. Default 1e-8. */
  readonly atol?: number;
}

/** Outcome of one scalar gradient check. */
export interface GradcheckResult {
  readonly ok: boolean;
  /** Central-difference estimate (f(x+h) − f(x−h)) / 2h. */
  readonly numeric: number;
  readonly analytic: number;
  /** |analytic − numeric| (NaN when either is NaN). */
  readonly error: number;
  /** The allowed error: atol + rtol·max(|analytic|, |numeric|). */
  readonly tolerance: number;
  readonly x: number;
}

/** Outcome of a gradient check over every coordinate; `index` is the worst coordinate. */
export interface GradcheckVectorResult {
  readonly ok: boolean;
  /** Index of the coordinate with the largest error relative to its tolerance (−1 for an empty x). */
  readonly index: number;
  /** |analytic − numeric| at `index`. */
  readonly error: number;
  readonly tolerance: number;
  /** Central-difference estimate of every coordinate. */
  readonly numeric: Float64Array;
  readonly analytic: Float64Array;
}

/** The tolerance rule of every check in the testkit: |a − b| ≤ atol + rtol·max(|a|, |b|). */
export function toleranceFor(a: number, b: number, rtol: number, atol: number): number {
  return atol + rtol * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * True when `a` and `b` agree under {@link toleranceFor}. Equal infinities and two NaNs count as
 * close (a NaN where a NaN is expected is a match, not an error).
 */
export function isClose(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= toleranceFor(a, b, rtol, atol);
}

/** (f(x + h) − f(x − h)) / 2h, in float64. */
export function centralDifference(f: (x: number) => number, x: number, h = 1e-5): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * Compare an analytic derivative with the central difference of `f` at `x`.
 * Passes when |a − n| ≤ atol + rtol·max(|a|, |n|); a NaN on either side fails.
 */
export function gradcheck(
  f: (x: number) => number,
  x: number,
  analytic: number,
  opts: GradcheckOptions = {},
): GradcheckResult {
  const { h = 1e-5, rtol = 1e-6, atol = 1e-8 } = opts;
  const numeric = centralDifference(f, x, h);
  const error = Math.abs(analytic - numeric);
  const tolerance = toleranceFor(analytic, numeric, rtol, atol);
  return { ok: error <= tolerance, numeric, analytic, error, tolerance, x };
}

/**
 * Gradient check of a scalar function of a vector, one coordinate at a time. `x` is not
 * mutated (a copy is perturbed). Fails if any coordinate fails; reports the worst one.
 */
export function gradcheckVector(
  f: (x: Float64Array) => number,
  x: Float64Array,
  analyticGrad: Float64Array,
  opts: GradcheckOptions = {},
): GradcheckVectorResult {
  const { h = 1e-5, rtol = 1e-6, atol = 1e-8 } = opts;
  if (analyticGrad.length !== x.length) {
    throw new RangeError(`gradcheckVector: analyticGrad has length ${analyticGrad.length}, x has ${x.length}.`);
  }
  const probe = Float64Array.from(x);
  const numeric = new Float64Array(x.length);
  let ok = true;
  let index = -1;
  let worst = -1;
  for (let i = 0; i < x.length; i++) {
    probe[i] = x[i] + h;
    const up = f(probe);
    probe[i] = x[i] - h;
    const down = f(probe);
    probe[i] = x[i];
    numeric[i] = (up - down) / (2 * h);
    const error = Math.abs(analyticGrad[i] - numeric[i]);
    const ratio = error / toleranceFor(analyticGrad[i], numeric[i], rtol, atol);
    const badness = Number.isNaN(ratio) ? Number.POSITIVE_INFINITY : ratio;
    if (!(ratio <= 1)) ok = false;
    if (badness > worst) {
      worst = badness;
      index = i;
    }
  }
  const a = index < 0 ? 0 : analyticGrad[index];
  const n = index < 0 ? 0 : numeric[index];
  return {
    ok,
    index,
    error: Math.abs(a - n),
    tolerance: toleranceFor(a, n, rtol, atol),
    numeric,
    analytic: analyticGrad,
  };
}
