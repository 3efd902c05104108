/**
 * Working buffers recycled across runs of the probe runner. The engine takes its buffers in the same
 * order for the same network, so the pool keeps them by position: the k-th buffer a run takes is the
 * k-th of the run before when its length matches (zeroed, as a fresh Float64Array is), else a new
 * one in its place. A run never gets one buffer twice, and after a run the pool holds exactly that
 * run's buffers. Nothing a run returns may point into them: the runner returns a report of plain
 * numbers and drops the session.
 *
 * Why: a 20 × 64 probe allocates about 5 MB of weights, gradients and activations; in Chromium, fresh
 * memory costs page faults and garbage collection, several times the run's arithmetic (decision 0012).
 * Kept small: it ships in the lab worker's entry, which is at its gzip budget.
 */
import { withBuffers } from '@gradlab/core';

export interface BufferPool {
  /** Runs `fn` with the engine's working buffers taken from this pool. */
  run<T>(fn: () => T): T;
  /** The next zeroed buffer of `length` in the current run: what the engine's `workBuffer` gives inside `run`. */
  take(length: number): Float64Array;
}

export function createBufferPool(): BufferPool {
  const held: Float64Array[] = [];
  let next = -1; // the position of the next take; -1 outside a run
  const take = (length: number): Float64Array => {
    let b = held[next];
    if (b?.length === length) b.fill(0);
    else held[next] = b = new Float64Array(length);
    next++;
    return b;
  };
  return {
    take,
    run(fn) {
      // A nested run (a plugin hook that runs a probe) keeps taking the next positions: none is shared.
      if (next >= 0) return fn();
      next = 0;
      try {
        return withBuffers(take, fn);
      } finally {
        held.length = next; // a shallower network's leftovers go
        next = -1;
      }
    },
  };
}
