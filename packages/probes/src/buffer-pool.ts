/**
 * Working buffers recycled across runs of the probe runner. The engine takes its buffers in the same
 * order for the same network, so the pool keeps them by position: the k-th buffer a run takes is the
 * k-th of the run before when its length matches (zeroed, as a fresh one is), else a new engine
 * buffer in its place. A run never gets one buffer twice. Nothing a run returns may point into them: the
 * runner returns a report of plain numbers and drops the session. It holds as many buffers as the
 * largest run took (the largest network asked for). Not re-entrant: a run inside a run would start
 * over at position 0 and share the outer run's buffers (the runner never nests).
 *
 * Why: a 20 × 64 probe allocates about 4.5 MB of gradients and activations; in Chromium, fresh
 * memory costs page faults and garbage collection, several times the run's arithmetic (decision 0012).
 * Kept this small on purpose: it ships in the lab worker's entry, which is at its gzip budget.
 */
import { engineBuffer, withBuffers } from '@gradlab/core';

export interface BufferPool {
  /** Runs `fn` with the engine's working buffers taken from this pool. */
  run<T>(fn: () => T): T;
  /** The next zeroed buffer of `length` in the current run: what the engine's `workBuffer` gives inside `run`. */
  take(length: number): Float64Array;
}

export function createBufferPool(): BufferPool {
  const held: Float64Array[] = [];
  let next = 0; // the position of the next take
  const take = (length: number): Float64Array => {
    let b = held[next];
    if (b?.length === length) b.fill(0);
    else held[next] = b = engineBuffer(length); // in a wasm region when the wasm kernels run: no copies (decision 0059)
    next++;
    return b;
  };
  return {
    take,
    run(fn) {
      next = 0;
      return withBuffers(take, fn);
    },
  };
}
