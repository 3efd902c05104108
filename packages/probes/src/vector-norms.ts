/** Vector norms that neither overflow nor underflow, shared by the probes. */
import { SIMD_MIN_LENGTH, simdPasses } from './wasm/simd-passes.ts';

/**
 * Frobenius norm ‖a‖_F. Unlike `Math.sqrt(sumOfSquares(a))` this stays finite when Σx²
 * overflows but ‖a‖ does not (entries around 1e160).
 */
export function frobenius(a: Float64Array): number {
  return frobeniusFromSum(a, sumOfSquares(a));
}

/** A sum of squares whose square root is the norm: neither under- nor overflowed. */
export const normalSum = (s: number) => s >= 1e-280 && s < Number.POSITIVE_INFINITY;

/**
 * Whether {@link frobeniusFromSum}(a, s, maxAbs) reads a's entries: only for a sum that under- or
 * overflowed, and not when `maxAbs` already says they are all 0 or one is infinite. A caller whose
 * `a` costs a pass to form (the trace's updateW) asks first.
 */
export const readsEntries = (s: number, maxAbs = -1) =>
  !normalSum(s) && !Number.isNaN(s) && maxAbs !== 0 && maxAbs !== Number.POSITIVE_INFINITY;

/**
 * {@link frobenius} given `s = sumOfSquares(a)`, for a pass that already took the sum: only a sum
 * that under- or overflowed (an update ΔW that is all zeros, tiny gradients) reads `a` again,
 * for max |a[i]| (or takes it as `maxAbs`).
 */
export function frobeniusFromSum(a: Float64Array, s: number, maxAbs = -1): number {
  if (normalSum(s)) return Math.sqrt(s);
  if (Number.isNaN(s)) return s;
  // No entry is NaN (else s would be), so a compare gives Math.max's result; it is cheaper, and
  // this loop reads every entry of an all-zero update (a layer whose ΔW rounded away) each step,
  // unless the caller passes `maxAbs` = max |a[i]| (the wasm update pass, decision 0051).
  let m = maxAbs;
  if (m < 0) {
    m = 0;
    for (let i = 0; i < a.length; i++) {
      const v = Math.abs(a[i]);
      if (v > m) m = v;
    }
  }
  if (m === 0 || !Number.isFinite(m)) return m;
  let t = 0;
  for (let i = 0; i < a.length; i++) t += (a[i] / m) * (a[i] / m);
  return m * Math.sqrt(t);
}

/**
 * √(Σ v[i]²) over the first `n` values, computed as V8 computes `Math.hypot` (scaled by the
 * largest |v|, Kahan-compensated), so it gives the same result without spreading an array into
 * arguments. ±Infinity wins over NaN, as in `Math.hypot`.
 */
export function hypot(v: ArrayLike<number>, n: number = v.length): number {
  let max = 0;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i]);
    if (Number.isNaN(a)) nan = true;
    else if (a > max) max = a;
  }
  if (max === Number.POSITIVE_INFINITY) return max;
  if (nan) return Number.NaN;
  if (max === 0) return 0;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.abs(v[i]) / max;
    const summand = x * x - compensation;
    const preliminary = sum + summand;
    compensation = preliminary - sum - summand;
    sum = preliminary;
  }
  return Math.sqrt(sum) * max;
}

/**
 * Σ x², with four independent sums so the loop does not wait on one addition chain: sum r takes
 * the entries i ≡ r (mod 4) in index order, the last n mod 4 entries go to the first, and the result
 * is ((s0 + s1) + s2) + s3. Tensors of 64 entries or more go through the wasm f64x2 pass (two lanes
 * per vector carry s0, s1 and s2, s3: the same sums, about 2× faster with the copy, decision 0051).
 */
export function sumOfSquares(a: Float64Array): number {
  const simd = a.length >= SIMD_MIN_LENGTH ? simdPasses() : undefined;
  return simd ? simd.sumOfSquares(a) : sumOfSquaresJS(a);
}

/** {@link sumOfSquares} in JavaScript: the order the wasm pass reproduces, and the fallback without wasm SIMD. */
export function sumOfSquaresJS(a: Float64Array): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const x0 = a[i];
    const x1 = a[i + 1];
    const x2 = a[i + 2];
    const x3 = a[i + 3];
    s0 += x0 * x0;
    s1 += x1 * x1;
    s2 += x2 * x2;
    s3 += x3 * x3;
  }
  for (; i < n; i++) s0 += a[i] * a[i];
  return s0 + s1 + s2 + s3;
}
