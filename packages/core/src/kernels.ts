/**
 * Which matrix kernels the layers call: the JavaScript ones in matrix.ts, or the same products
 * as wasm f64x2 SIMD (src/wasm/, about 4× faster). Both give identical bits (same order of
 * summation, no FMA; test/wasm-kernels.test.ts), so the choice changes speed, never results.
 * Decision 0023.
 */
import { gradlabError } from './errors/index.ts';
import { gemmAdd, gemmNT, gemmTNAdd } from './matrix.ts';
import { instantiateKernels, regionBuffer, type WasmKernels } from './wasm/kernels.ts';

export type KernelMode = 'js' | 'auto' | 'wasm';
export interface KernelStatus {
  /** What was asked for (`auto` unless useKernels said otherwise). */
  readonly requested: KernelMode;
  /** What the layers call now. */
  readonly active: 'js' | 'wasm';
  /** Why wasm is not active, when it is not. */
  readonly reason?: string;
}

/** The kernels the layers call through (a property load per call; swapped by useKernels). */
export const kernels = { gemmAdd, gemmTNAdd, gemmNT };

let status: KernelStatus | undefined;
let wasm: { kernels: WasmKernels } | { reason: string } | undefined;

/**
 * Selects the kernels for every session from now on. `auto` (the default) uses wasm when this
 * runtime validates and compiles the SIMD module, else JavaScript; `wasm` throws
 * KernelsUnavailable instead of falling back. Returns the resulting status.
 */
export function useKernels(mode: KernelMode): KernelStatus {
  if (mode !== 'js' && mode !== 'auto' && mode !== 'wasm') {
    throw gradlabError('InvalidKernelMode', [JSON.stringify(mode)]);
  }
  let active: 'js' | 'wasm' = 'js';
  let reason: string | undefined = mode === 'js' ? 'JavaScript kernels were requested' : undefined;
  if (mode !== 'js') {
    wasm ??= instantiateKernels();
    if ('kernels' in wasm) active = 'wasm';
    else if (mode === 'wasm') throw gradlabError('KernelsUnavailable', [mode, wasm.reason]);
    else reason = wasm.reason;
  }
  const k = active === 'wasm' && wasm && 'kernels' in wasm ? wasm.kernels : undefined;
  kernels.gemmAdd = k ? k.gemmAdd : gemmAdd;
  kernels.gemmTNAdd = k ? k.gemmTNAdd : gemmTNAdd;
  kernels.gemmNT = k ? k.gemmNT : gemmNT;
  status = { requested: mode, active, ...(reason && { reason }) };
  return status;
}

/** The three matrix kernels in use now, with matrix.ts's signatures (a copy: reassigning it changes nothing). */
export function activeKernels(): Readonly<typeof kernels> {
  kernelStatus();
  return { ...kernels };
}

/** The kernels in use; the first call (or the first model built) settles `auto`. */
export function kernelStatus(): KernelStatus {
  return status ?? useKernels('auto');
}

/**
 * A zeroed Float64Array of `length` entries for the engine's buffers (weights, gradients,
 * activations, optimizer state). With the wasm kernels active it lives in a wasm region, so the
 * products on it skip the copies in and out (decision 0059); else it is an ordinary array.
 * Either way it is never detached, and the results are the same bits.
 */
export function engineBuffer(length: number): Float64Array {
  if (!Number.isSafeInteger(length) || length < 0)
    throw new RangeError(`engineBuffer(length): length must be a whole number ≥ 0 (received ${length}).`);
  return (kernelStatus().active === 'wasm' && regionBuffer(length)) || new Float64Array(length);
}
