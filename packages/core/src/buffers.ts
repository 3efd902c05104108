import { engineBuffer } from './kernels.ts';

/**
 * Where the engine's working buffers come from: layer gradients and activations, the trainer's batch,
 * update and transform copies, optimizer state, and the weights copied from the initializers. Normally
 * fresh zeroed arrays from `engineBuffer` (in a wasm region when the wasm kernels run). `withBuffers`
 * lends a source for one synchronous call, so a caller that builds many short sessions (an interactive
 * probe runner) can reuse memory: fresh megabytes per call cost Chromium tens of ms in page faults and
 * garbage collection (decision 0012). A source must return zeroed arrays of the asked length, never the
 * same one twice within the call; then the results are the same bits.
 */
let source: (length: number) => Float64Array = engineBuffer;

/** A zeroed working buffer of `length` entries, from the current source. */
export const workBuffer = (length: number): Float64Array => source(length);

/** Runs `fn` with the engine's working buffers taken from `lend`, then restores the previous source. */
export function withBuffers<T>(lend: (length: number) => Float64Array, fn: () => T): T {
  const saved = source;
  source = lend;
  try {
    return fn();
  } finally {
    source = saved;
  }
}
