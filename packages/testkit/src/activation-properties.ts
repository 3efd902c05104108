/**
 * The activation checks of the declared properties (range, monotonic, passesThroughOrigin, zeroCentered,
 * saturates): each compares a metadata claim with the activation's own values. Split from activation.ts,
 * which holds the numerical checks and `describeActivation`.
 */
import type { ActivationFunctions, ActivationMeta } from '@gradlab/plugin-api';
import { type CheckResult, result } from './plugin.ts';

/** Inputs where naive formulas overflow: exp(2x) overflows past 354.9, exp(x) past 709.8. */
export const EXTREME_INPUTS: readonly number[] = [
  300, 310, 320, 330, 340, 350, 354.5, 355, 360, 370, 380, 390, 400, 710, 1e3,
].flatMap((x) => [x, -x]);

/** f'(x) as the engine computes it. */
export function slope(act: ActivationFunctions, x: number): number {
  return act.derivative(x, act.forward(x));
}

export function grid(from: number, to: number, step: number): number[] {
  const n = Math.round((to - from) / step);
  return Array.from({ length: n + 1 }, (_, i) => from + i * step);
}

/** Values on a dense grid over [−30, 30] and at the extremes lie in meta.range; finite bounds are nearly reached. */
export function checkRange(act: ActivationFunctions, meta: ActivationMeta): CheckResult {
  const [lo, hi] = meta.range;
  const failures: string[] = [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of [...grid(-30, 30, 0.005), ...EXTREME_INPUTS]) {
    const y = act.forward(x);
    if (!(y >= lo && y <= hi)) failures.push(`f(${x}) = ${y} lies outside the declared range [${lo}, ${hi}]`);
    if (y < min) min = y;
    if (y > max) max = y;
  }
  // A range wider than the function is a lie too: finite bounds must be (nearly) attained.
  if (Number.isFinite(lo) && min - lo > 1e-3 * Math.max(1, Math.abs(lo))) {
    failures.push(`the smallest value seen is ${min}, far above the declared minimum ${lo}`);
  }
  if (Number.isFinite(hi) && hi - max > 1e-3 * Math.max(1, Math.abs(hi))) {
    failures.push(`the largest value seen is ${max}, far below the declared maximum ${hi}`);
  }
  return result(failures.slice(0, 20));
}

/** monotonic ⇔ f never decreases on a fine grid over [−20, 20] and across the extremes. */
export function checkMonotonic(act: ActivationFunctions, meta: ActivationMeta): CheckResult {
  const xs = [
    ...EXTREME_INPUTS.filter((x) => x < -20).sort((a, b) => a - b),
    ...grid(-20, 20, 1e-3),
    ...EXTREME_INPUTS.filter((x) => x > 20).sort((a, b) => a - b),
  ];
  const drops: string[] = [];
  let prev = act.forward(xs[0]);
  for (let i = 1; i < xs.length; i++) {
    const y = act.forward(xs[i]);
    if (y < prev) drops.push(`f decreases from f(${xs[i - 1]}) = ${prev} to f(${xs[i]}) = ${y}`);
    prev = y;
  }
  if (meta.properties.monotonic) return result(drops.slice(0, 20));
  return result(drops.length ? [] : ['monotonic is false, but f never decreases on [−20, 20]']);
}

/** passesThroughOrigin ⇔ f(0) = 0. */
export function checkPassesThroughOrigin(act: ActivationFunctions, meta: ActivationMeta): CheckResult {
  const y = act.forward(0);
  const declared = meta.properties.passesThroughOrigin;
  if (declared && y !== 0) return result([`passesThroughOrigin is declared but f(0) = ${y}`]);
  if (!declared && y === 0) return result(['passesThroughOrigin is false but f(0) = 0']);
  return result([]);
}

/** Relative tolerance of zeroCentered: |E f(z)| ≤ ZERO_CENTERED_TOLERANCE · √E f(z)² for z ~ N(0, 1). */
export const ZERO_CENTERED_TOLERANCE = 0.05;

/**
 * E f(z) and √E f(z)² for z ~ N(0, 1), by the trapezoid rule on [−12, 12] with step 1/256
 * (the Gaussian weight beyond ±12 is below 1e-32; kinks cost at most O(h²) ≈ 1e-5).
 */
export function gaussianMoments(f: (x: number) => number): { mean: number; rms: number } {
  const steps = 12 * 256;
  const h = 1 / 256;
  let mean = 0;
  let square = 0;
  for (let i = -steps; i <= steps; i++) {
    const z = i * h;
    const w = ((i === -steps || i === steps ? 0.5 : 1) * h * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI);
    const y = f(z);
    mean += w * y;
    square += w * y * y;
  }
  return { mean, rms: Math.sqrt(square) };
}

/**
 * zeroCentered ⇔ the outputs are centred on zero, in the usual sense: for z ~ N(0, 1),
 * |E f(z)| ≤ 5% of √E f(z)² (tanh, softsign and SELU are; ReLU, with mean 1/√(2π), is not).
 */
export function checkZeroCentered(act: ActivationFunctions, meta: ActivationMeta): CheckResult {
  const { mean, rms } = gaussianMoments((x) => act.forward(x));
  if (!Number.isFinite(mean) || !Number.isFinite(rms))
    return result([`E f(z) for z ~ N(0, 1) is not finite (${mean})`]);
  const centred = Math.abs(mean) <= ZERO_CENTERED_TOLERANCE * rms;
  const found = `E f(z) = ${mean.toPrecision(4)} for z ~ N(0, 1), ${(Math.abs(mean) / (rms || 1)).toPrecision(3)} × its RMS ${rms.toPrecision(4)} (tolerance ${ZERO_CENTERED_TOLERANCE})`;
  if (meta.properties.zeroCentered && !centred) return result([`zeroCentered is declared but ${found}`]);
  if (!meta.properties.zeroCentered && centred) return result([`zeroCentered is false but ${found}`]);
  return result([]);
}

/** `saturates` matches |f'(±30)| < 1e-6 on exactly the declared sides. */
export function checkSaturation(act: ActivationFunctions, meta: ActivationMeta): CheckResult {
  const { saturates } = meta.properties;
  const failures: string[] = [];
  for (const [side, x] of [
    ['negative', -30],
    ['positive', 30],
  ] as const) {
    const d = slope(act, x);
    const expected = saturates === 'both' || (saturates === 'negative' && side === 'negative');
    const flat = Math.abs(d) < 1e-6;
    if (expected && !flat) {
      failures.push(`saturates is "${saturates}" but |f'(${x})| = ${Math.abs(d)} is not below 1e-6`);
    }
    if (!expected && !(Math.abs(d) >= 1e-6)) {
      failures.push(`saturates is "${saturates}" but |f'(${x})| = ${Math.abs(d)} is below 1e-6`);
    }
  }
  return result(failures);
}
