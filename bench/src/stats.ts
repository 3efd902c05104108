/** Small statistics and timing helpers. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Quantile by linear interpolation, q in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Collect garbage if `--expose-gc` was given, so one engine's garbage is not collected on another's clock. */
export function collectGarbage(): void {
  globalThis.gc?.();
}

/** Milliseconds per call of `step`, over `reps` back-to-back calls. */
export function timeBlock(step: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) step();
  return (performance.now() - t0) / reps;
}

/** Repetitions that make one timed block last at least `blockMs`, given a per-step estimate. */
export function repsFor(msPerStep: number, blockMs: number): number {
  return Math.max(1, Math.ceil(blockMs / Math.max(msPerStep, 1e-6)));
}

/** A rough per-step estimate: run until `ms` elapsed (at least `minSteps` steps), return the median. */
export function estimate(step: () => void, ms: number, minSteps = 3): number {
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < minSteps || performance.now() - t0 < ms) {
    const t = performance.now();
    step();
    times.push(performance.now() - t);
  }
  return median(times);
}
