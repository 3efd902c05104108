/** Summary statistics of tensors: moments and histograms. */
import { SIMD_MIN_LENGTH, simdPasses } from './wasm/simd-passes.ts';

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
  const out = new Float64Array(2);
  momentsInto(x, out, 0);
  return { mean: out[0], std: out[1] };
}

/**
 * {@link moments} without allocating: out[at] = mean, out[at + 1] = std. With `countZeros`, also
 * returns how many entries are exactly 0 (−0 too), counted in the same pass for
 * `activation-stats`' aZero: a separate `if (x === 0) count++` loop mispredicts on a ReLU layer's
 * half-zero activations and cost more than the moments themselves. `+(x === 0)` adds without a
 * branch; the sums are unchanged. Without it (z, whose zeros nobody reports) the pass is about
 * a quarter cheaper and returns 0.
 */
export function momentsInto(x: Float64Array, out: Float64Array, at: number, countZeros = true): number {
  const n = x.length;
  if (n === 0) {
    out[at] = Number.NaN;
    out[at + 1] = Number.NaN;
    return 0;
  }
  const k = x[0];
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  let zeros = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const x0 = x[i];
    const x1 = x[i + 1];
    const d0 = x0 - k;
    const d1 = x1 - k;
    a0 += d0;
    a1 += d1;
    b0 += d0 * d0;
    b1 += d1 * d1;
    // A branch taken the same way on every entry costs less than the count it skips.
    if (countZeros) zeros += +(x0 === 0) + +(x1 === 0);
  }
  if (i < n) {
    const d = x[i] - k;
    a0 += d;
    b0 += d * d;
    if (countZeros) zeros += +(x[i] === 0);
  }
  const m = (a0 + a1) / n;
  out[at] = k + m;
  out[at + 1] = Math.sqrt(Math.max(0, (b0 + b1) / n - m * m));
  return zeros;
}

/** A histogram over [−range, range], or over the data's finite min and max when range is 0. */
export function histogram(x: Float64Array, bins: number, range: number): Histogram {
  const n = x.length;
  let lo = -range;
  let hi = range;
  // True when every entry is finite and inside [lo, hi]: the tallies then need no range checks.
  let inside = false;
  const simd = n >= SIMD_MIN_LENGTH ? simdPasses() : undefined;
  if (range === 0) {
    if (simd !== undefined) {
      // The loop below in f64x2 (a chain of compares per entry is its cost); its lanes meet out
      // of index order, so a bound of ±0 takes the loop's sign: the first zero's.
      inside = simd.range(x, bounds);
      lo = bounds[0] === 0 ? x[x.indexOf(0)] : bounds[0];
      hi = bounds[1] === 0 ? x[x.indexOf(0)] : bounds[1];
    } else {
      lo = Number.POSITIVE_INFINITY;
      hi = Number.NEGATIVE_INFINITY;
      let s = 0;
      for (let i = 0; i < n; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
        s += x[i] * 0; // NaN once some entry is NaN or ±Infinity
      }
      inside = s === 0;
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      for (let i = 0, first = true; i < n; i++) {
        if (!Number.isFinite(x[i])) continue;
        lo = first ? x[i] : Math.min(lo, x[i]);
        hi = first ? x[i] : Math.max(hi, x[i]);
        first = false;
      }
      if (!Number.isFinite(lo)) lo = hi = 0;
    }
  }
  const scale = hi > lo ? bins / (hi - lo) : 0;
  // A span below bins / Number.MAX_VALUE (~2e-307 for 40 bins; subnormal spans among them) makes
  // bins / (hi − lo) overflow, and (v − lo)·Infinity would put every entry in bin 0 (the `| 0` of
  // Infinity and NaN). Such spans divide instead: only data whose values all lie that close get here.
  if (!(scale < Number.POSITIVE_INFINITY)) return tinySpan(x, bins, lo, hi);
  if (simd !== undefined) {
    const counts = new Array<number>(bins);
    simd.tally(x, range === 0, inside, lo, hi, scale, counts, outside);
    return { min: lo, max: hi, counts, underflow: outside[0], overflow: outside[1], nonFinite: outside[2] };
  }
  // Four interleaved tallies: runs of equal values (the zeros of a ReLU layer) would otherwise
  // make each increment wait for the previous one to the same bin. Each has bins + 1 slots: an
  // entry equal to hi lands in slot `bins` (or above hi by rounding), added to the top bin at the
  // end, so the tally needs no Math.min.
  const w = bins + 1;
  if (scratch.length < 4 * w) scratch = new Int32Array(4 * w);
  const t = scratch.fill(0, 0, 4 * w);
  const w2 = 2 * w;
  const w3 = 3 * w;
  let underflow = 0;
  let overflow = 0;
  let nonFinite = 0;
  // (v − lo)·scale is in [0, bins] for v in [lo, hi], so `| 0` is Math.floor.
  let i = 0;
  if (inside) {
    for (; i + 3 < n; i += 4) {
      t[((x[i] - lo) * scale) | 0]++;
      t[w + (((x[i + 1] - lo) * scale) | 0)]++;
      t[w2 + (((x[i + 2] - lo) * scale) | 0)]++;
      t[w3 + (((x[i + 3] - lo) * scale) | 0)]++;
    }
  } else {
    for (; i + 3 < n; i += 4) {
      const v0 = x[i];
      const v1 = x[i + 1];
      const v2 = x[i + 2];
      const v3 = x[i + 3];
      if (v0 >= lo && v0 <= hi && v1 >= lo && v1 <= hi && v2 >= lo && v2 <= hi && v3 >= lo && v3 <= hi) {
        t[((v0 - lo) * scale) | 0]++;
        t[w + (((v1 - lo) * scale) | 0)]++;
        t[w2 + (((v2 - lo) * scale) | 0)]++;
        t[w3 + (((v3 - lo) * scale) | 0)]++;
      } else break;
    }
  }
  for (; i < n; i++) {
    const v = x[i];
    if (v >= lo && v <= hi) t[((v - lo) * scale) | 0]++;
    else if (v < lo) underflow++;
    else if (v > hi) overflow++;
    else nonFinite++;
  }
  const counts = new Array<number>(bins);
  for (let b = 0; b < bins; b++) counts[b] = t[b] + t[w + b] + t[w2 + b] + t[w3 + b];
  counts[bins - 1] += t[bins] + t[w + bins] + t[w2 + bins] + t[w3 + bins];
  return { min: lo, max: hi, counts, underflow, overflow, nonFinite };
}

/**
 * {@link histogram} over [lo, hi] when bins / (hi − lo) overflows. Rounding is monotonic, so
 * v − lo ≤ hi − lo and (v − lo) / (hi − lo) is in [0, 1]: the bin is the floor of it times
 * `bins`, with v = hi in the top bin.
 */
function tinySpan(x: Float64Array, bins: number, lo: number, hi: number): Histogram {
  const counts = new Array<number>(bins).fill(0);
  let underflow = 0;
  let overflow = 0;
  let nonFinite = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v >= lo && v <= hi) counts[Math.min(Math.floor(((v - lo) / (hi - lo)) * bins), bins - 1)]++;
    else if (v < lo) underflow++;
    else if (v > hi) overflow++;
    else nonFinite++;
  }
  return { min: lo, max: hi, counts, underflow, overflow, nonFinite };
}

/** The wasm range pass's least and greatest entry. */
const bounds = new Float64Array(2);
/** The wasm tally's counts below, above and outside (NaN) the range. */
const outside = new Int32Array(3);

/** Tallies of {@link histogram} before they are added up (a typed array counts faster than a JS array). */
let scratch = new Int32Array(256);
