/**
 * The wasm SIMD kernels behind the `matrix.ts` signatures. Operands live in the engine's own
 * Float64Arrays, so each call copies the spans it reads into the module's memory and the span
 * of C back (the trial measured 94–98% of a zero-copy design at widths ≥ 32, decision 0023). C goes in
 * only when the kernel reads it: not for gemmNT's overwrite, nor when gemmAdd or gemmTNAdd start C's
 * rows from a row `init` (a bias, +0 for a fresh gradient), which goes in instead (decision 0054).
 * Nothing here allocates per call: whole arrays move with `set` (a memcpy), partial spans with a
 * loop, and the heap views are rebuilt only when the memory grows.
 */
import type { gemmAdd, gemmNT, gemmTNAdd } from '../matrix.ts';
import { KERNELS_WASM_HEX } from './module.generated.ts';

type Gemm = (
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  m: number,
  k: number,
  n: number,
) => void;
interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemmAdd: (...args: [...Parameters<Gemm>, scratch: number, init: number]) => void;
  gemmTNAdd: (...args: [...Parameters<Gemm>, scratch: number, init: number]) => void;
  gemmNT: (...args: [...Parameters<Gemm>, accumulate: number, scratch: number]) => void;
}
/** The slice of the WebAssembly API used here (core compiles without DOM or Node types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** Smallest module using v128: engines without SIMD fail validation and keep the JS kernels. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

function decodeHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Instantiates an embedded SIMD module (hex bytes, no imports), or explains why this runtime cannot
 * (no wasm, no SIMD, a CSP without 'wasm-unsafe-eval'). The kernels' loader, and @gradlab/probes'.
 */
export function instantiateSimd(hex: string): { exports: unknown } | { reason: string } {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return { reason: 'WebAssembly is not available in this runtime' };
  try {
    if (!api.validate(SIMD_PROBE)) return { reason: 'this runtime has WebAssembly without SIMD (f64x2)' };
    return { exports: new api.Instance(new api.Module(decodeHex(hex)), {}).exports };
  } catch (e) {
    // A Content-Security-Policy without 'wasm-unsafe-eval' lands here (CompileError / EvalError).
    return { reason: `WebAssembly could not be compiled here: ${(e as Error).message}` };
  }
}

/** Instantiates the kernels, or says why not (see {@link instantiateSimd}). */
export function instantiateKernels(): { kernels: WasmKernels } | { reason: string } {
  const r = instantiateSimd(KERNELS_WASM_HEX);
  return 'exports' in r ? { kernels: new WasmKernels(r.exports as KernelExports) } : r;
}

/** Span of a row-major operand: `rows` rows of `cols` entries, `ld` apart. */
const span = (rows: number, cols: number, ld: number) => (rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols);

export class WasmKernels {
  private readonly ex: KernelExports;
  private heap: Float64Array;
  /** heap[0 .. n) by n: C's span comes back with one memcpy, without a view per call. */
  private readonly views = new Map<number, Float64Array>();

  constructor(ex: KernelExports) {
    this.ex = ex;
    this.heap = new Float64Array(ex.memory.buffer);
  }

  /** Memory size in bytes (reported by kernelStatus). */
  get bytes(): number {
    return this.heap.byteLength;
  }

  private reserve(entries: number): void {
    if (entries <= this.heap.length) return;
    const pages = Math.ceil((entries * 8 - this.heap.byteLength) / 65536);
    this.ex.memory.grow(pages);
    this.heap = new Float64Array(this.ex.memory.buffer);
    this.views.clear(); // growing detached them
  }

  /** Copies src[off .. off+len) to heap[at ..): a memcpy for whole arrays, else a loop (no view allocated). */
  private put(src: Float64Array, off: number, len: number, at: number): void {
    const heap = this.heap;
    if (off === 0 && len === src.length) heap.set(src, at);
    else for (let i = 0; i < len; i++) heap[at + i] = src[off + i];
  }

  /**
   * Lays out the spans of C, A and B back to back from byte 0: C at 0, A at 8·cLen, B after A.
   * Gaps inside a span (ld > width) travel too and come back unchanged.
   */
  private stage(
    A: Float64Array,
    aOff: number,
    aLen: number,
    B: Float64Array,
    bOff: number,
    bLen: number,
    C: Float64Array,
    cOff: number,
    cLen: number,
    readC = true,
    scratch = 0,
  ): void {
    this.reserve(cLen + aLen + bLen + scratch);
    if (readC) this.put(C, cOff, cLen, 0);
    this.put(A, aOff, aLen, cLen);
    this.put(B, bOff, bLen, cLen + aLen);
  }

  /**
   * Given `init` (n entries: gemmAdd's bias, zeros for a fresh gradient), stages it at heap[at ..) and
   * returns its byte address: the kernel then reads init instead of C, so C does not go in. Else 0.
   */
  private start(init: Float64Array | undefined, n: number, at: number): number {
    if (!init) return 0;
    this.put(init, 0, n, at);
    return at * 8;
  }

  /** Copies C's span back from byte 0: a memcpy from a cached view when C is exactly the span. */
  private unstage(C: Float64Array, cOff: number, cLen: number): void {
    const heap = this.heap;
    if (cOff === 0 && cLen === C.length) {
      let view = this.views.get(cLen);
      if (!view) this.views.set(cLen, (view = heap.subarray(0, cLen)));
      C.set(view);
    } else for (let i = 0; i < cLen; i++) C[cOff + i] = heap[i];
  }

  // The three kernels with matrix.ts's signatures (arrow properties: callable detached).
  gemmAdd: typeof gemmAdd = (A, aOff, lda, B, bOff, ldb, C, cOff, ldc, m, k, n, init) => {
    const aLen = span(m, k, lda);
    const bLen = span(k, n, ldb);
    const cLen = span(m, n, ldc);
    if (cLen === 0) return;
    // On wide operands the kernel first packs B's 8-column panels into scratch after B and runs
    // every band of A's rows against one panel while it sits in L1: walked in place, B's rows
    // ≥ 1 KB apart evict each other (256³: ~18 → ~21 GF/s, 512-wide ~9 → ~20). With fewer than
    // 32 rows of A the packing pass costs more than it saves (decision 0052).
    const scratch = m >= 32 && k >= 128 && n >= 128 ? k * n : 0;
    const iLen = init ? n : 0;
    // Given init, C's entries are written, not read: its span goes in only for the gaps between rows.
    this.stage(A, aOff, aLen, B, bOff, bLen, C, cOff, cLen, !init || ldc !== n, iLen + scratch);
    const end = cLen + aLen + bLen;
    const from = this.start(init, n, end);
    const at = scratch && (end + iLen) * 8;
    this.ex.gemmAdd(cLen * 8, lda * 8, (cLen + aLen) * 8, ldb * 8, 0, ldc * 8, m, k, n, at, from);
    this.unstage(C, cOff, cLen);
  };
  gemmTNAdd: typeof gemmTNAdd = (A, aOff, lda, B, bOff, ldb, C, cOff, ldc, m, k, n, init) => {
    const aLen = span(m, k, lda);
    const bLen = span(m, n, ldb);
    const cLen = span(k, n, ldc);
    if (cLen === 0) return;
    // On wide operands the kernel first packs A's and B's column panels into scratch after B: read
    // down columns, rows ≥ 1 KB apart evict each other from L1 (128×256×256: ~18 → ~23 GF/s); on
    // narrow ones packing costs more than it saves (decision 0030).
    const scratch = m >= 64 && k >= 128 && n >= 128 ? (k + n) * m : 0;
    const iLen = init ? n : 0;
    this.stage(A, aOff, aLen, B, bOff, bLen, C, cOff, cLen, !init || ldc !== n, iLen + scratch);
    const end = cLen + aLen + bLen;
    const from = this.start(init, n, end);
    // Rows of C are A's columns (k); the summed dimension is A's rows (m).
    const at = scratch && (end + iLen) * 8;
    this.ex.gemmTNAdd(cLen * 8, lda * 8, (cLen + aLen) * 8, ldb * 8, 0, ldc * 8, k, m, n, at, from);
    this.unstage(C, cOff, cLen);
  };
  gemmNT: typeof gemmNT = (A, aOff, lda, B, bOff, ldb, C, cOff, ldc, m, n, k, accumulate) => {
    const aLen = span(m, n, lda);
    const bLen = span(k, n, ldb);
    const cLen = span(m, k, ldc);
    if (cLen === 0) return;
    // From 32 rows of A on, the kernel first stores B's rows transposed in panels (scratch after
    // B), instead of redoing the transposes for every band of A's rows (~20 → ~22 GF/s from 32³
    // to 256³; with 4–8 rows packing costs more than it saves: decision 0030).
    const scratch = m >= 32 ? k * n : 0;
    // Overwriting a gap-free C: every entry of the span is written, so C need not go in.
    this.stage(A, aOff, aLen, B, bOff, bLen, C, cOff, cLen, accumulate || ldc !== k, scratch);
    const at = scratch && (cLen + aLen + bLen) * 8;
    this.ex.gemmNT(cLen * 8, lda * 8, (cLen + aLen) * 8, ldb * 8, 0, ldc * 8, m, n, k, accumulate ? 1 : 0, at);
    this.unstage(C, cOff, cLen);
  };
}
