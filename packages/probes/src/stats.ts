/** Summary statistics of tensors: moments and histograms. */

/** Counts of values in `bins` equal bins over [min, max]; values outside go to under/overflow, NaN to nonFinite (±Infinity count as under/overflow). */
export interface Histogram {
  readonly min: number;
  readonly max: number;
  readonly counts: number[];
  readonly underflow: number;
  readonly overflow: number;
  readonly nonFinite: number;
}

/** Mean and population standard deviation, shifted by the first value for stability. */
export function moments(x: Float64Array): { mean: number; std: number } {
  const n = x.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  const k = x[0];
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const d0 = x[i] - k;
    const d1 = x[i + 1] - k;
    a0 += d0;
    a1 += d1;
    b0 += d0 * d0;
    b1 += d1 * d1;
  }
  if (i < n) {
    const d = x[i] - k;
    a0 += d;
    b0 += d * d;
  }
  const m = (a0 + a1) / n;
  return { mean: k + m, std: Math.sqrt(Math.max(0, (b0 + b1) / n - m * m)) };
}

/** A histogram over [−range, range], or over the data's finite min and max when range is 0. */
export function histogram(x: Float64Array, bins: number, range: number): Histogram {
  let lo = -range;
  let hi = range;
  if (range === 0) {
    lo = Number.POSITIVE_INFINITY;
    hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < x.length; i++) {
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      for (let i = 0, first = true; i < x.length; i++) {
        if (!Number.isFinite(x[i])) continue;
        lo = first ? x[i] : Math.min(lo, x[i]);
        hi = first ? x[i] : Math.max(hi, x[i]);
        first = false;
      }
      if (!Number.isFinite(lo)) lo = hi = 0;
    }
  }
  const counts = new Array<number>(bins).fill(0);
  let underflow = 0;
  let overflow = 0;
  let nonFinite = 0;
  const scale = hi > lo ? bins / (hi - lo) : 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) nonFinite++;
    else if (v < lo) underflow++;
    else if (v > hi) overflow++;
    else counts[Math.min(bins - 1, Math.floor((v - lo) * scale))]++;
  }
  return { min: lo, max: hi, counts, underflow, overflow, nonFinite };
}
