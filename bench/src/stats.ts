/** Small statistics and timing helpers. */
import { readFileSync } from 'node:fs';

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

/**
 * What a timed block measures. `wall`: elapsed time (the default). `cpu`: CPU time of this
 * thread, so time the OS gave other processes is not counted; on a shared, oversubscribed
 * machine that keeps the blocks comparable (everything timed here runs on the main thread:
 * gradlab, tfjs-cpu, and tfjs-wasm, which tfjs runs single-threaded under Node). It does not undo
 * contention for the core's caches and execution units, so a loaded machine still reads low.
 */
export type Clock = 'wall' | 'cpu';
let clock: Clock = 'wall';
let schedstat = true;

/**
 * This thread's CPU time in ms: Linux's scheduler count in nanoseconds (the first field of
 * /proc/thread-self/schedstat), else libuv's `threadCpuUsage` (getrusage). Both advance when the
 * scheduler accounts the running thread, at ticks (4 ms here), hence MIN_CPU_BLOCK_MS.
 */
function threadCpuMs(): number {
  if (schedstat) {
    try {
      return Number.parseInt(readFileSync('/proc/thread-self/schedstat', 'latin1'), 10) / 1e6;
    } catch {
      schedstat = false;
    }
  }
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1e3;
}

/** Selects the clock of {@link timeBlock}; returns a description for the report. */
export function useClock(c: Clock): string {
  clock = c;
  if (c === 'wall') return 'wall clock (performance.now)';
  threadCpuMs();
  return schedstat
    ? 'thread CPU time (/proc/thread-self/schedstat, ns): time other processes ran is excluded'
    : 'thread CPU time (process.threadCpuUsage, getrusage): time other processes ran is excluded';
}

/** Milliseconds per call of `step`, over `reps` back-to-back calls, on the selected clock. */
export function timeBlock(step: () => void, reps: number): number {
  const cpu = clock === 'cpu';
  const t0 = cpu ? threadCpuMs() : performance.now();
  for (let i = 0; i < reps; i++) step();
  return ((cpu ? threadCpuMs() : performance.now()) - t0) / reps;
}

/**
 * The thread CPU clock advances in scheduler ticks (4 ms here), so with `--clock=cpu` a block
 * lasts at least this long in CPU time: a tick is then at most ±4% of it.
 */
const MIN_CPU_BLOCK_MS = 100;

/** Repetitions that make one timed block last at least `blockMs`, given a per-step estimate. */
export function repsFor(msPerStep: number, blockMs: number): number {
  const ms = clock === 'cpu' ? Math.max(blockMs, MIN_CPU_BLOCK_MS) : blockMs;
  return Math.max(1, Math.ceil(ms / Math.max(msPerStep, 1e-6)));
}

/**
 * A rough per-step estimate that also warms the step up: run until `ms` elapsed (at least
 * `minSteps` steps) and return the median. With `--clock=cpu`, `ms` of CPU time and the mean
 * (a single step is far below the clock's tick), so that blocks are sized in the clock they are
 * timed in: wall-clock estimates on a loaded machine are several times too long.
 */
export function estimate(step: () => void, ms: number, minSteps = 3): number {
  if (clock === 'cpu') {
    const c0 = threadCpuMs();
    let steps = 0;
    while (steps < minSteps || threadCpuMs() - c0 < Math.max(ms, MIN_CPU_BLOCK_MS)) {
      step();
      steps++;
    }
    return (threadCpuMs() - c0) / steps;
  }
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < minSteps || performance.now() - t0 < ms) {
    const t = performance.now();
    step();
    times.push(performance.now() - t);
  }
  return median(times);
}
