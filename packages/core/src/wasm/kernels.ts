/**
 * The wasm SIMD kernels behind the `matrix.ts` signatures. Operands live in the engine's own
 * Float64Arrays, so each call copies the spans it reads into the module's memory and the span
 * of C back (the trial measured 94–98% of a zero-copy design at widths ≥ 32, decision 0023). C goes in
 * only when the kernel reads it: not for gemmNT's overwrite, nor when gemmAdd or gemmTNAdd start C's
 * rows from a row `init` (a bias, +0 for a fresh gradient), which goes in instead (decision 0054).
 * Nothing here allocates per call: whole arrays move with `set` (a memcpy), partial spans with a
 * loop, and the heap views are rebuilt only when the memory grows.
 *
 * Regions (decision 0059): the engine's own buffers can live in a kernels instance's memory instead,
 * carved from a region that is sized once and never grows, so no view of it is ever detached. A
 * product whose A, B and C all sit in one region runs there in place, without copies; any other
 * takes the copy path above. Same kernels, same bits.
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
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
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

type Loaded = { exports: unknown; module: object };
/**
 * Instantiates an embedded SIMD module (hex bytes; `imports` builds its imports), or explains why this
 * runtime cannot (no wasm, no SIMD, a CSP without 'wasm-unsafe-eval'). Returns the compiled module
 * too, for more instances. The kernels' loader, and @gradlab/probes'.
 */
export function instantiateSimd(hex: string, imports = (_: WasmApi) => ({})): Loaded | { reason: string } {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return { reason: 'WebAssembly is not available in this runtime' };
  try {
    if (!api.validate(SIMD_PROBE)) return { reason: 'this runtime has WebAssembly without SIMD (f64x2)' };
    const module = new api.Module(decodeHex(hex));
    return { exports: new api.Instance(module, imports(api)).exports, module };
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

/** A region's size: buffers are carved from it until it is full, then a new region starts. */
const REGION_BYTES = 16 << 20;
/** Kept free at a region's end for the packing scratch and staged start rows of in-place products. */
const REGION_TAIL = 2 << 20;
/** Each region's instance, keyed by its memory's buffer: weakly, so a region lives as long as any view of it. */
const regions = new WeakMap<ArrayBufferLike, WasmKernels>();
/** The region new buffers are carved from (the last standard-size one made). */
let region: WasmKernels | undefined;

/**
 * A zeroed Float64Array of `length` entries inside a region, or undefined where wasm cannot run
 * or the memory cannot be had (callers then allocate an ordinary array: only speed differs).
 */
export function regionBuffer(length: number): Float64Array | undefined {
  const view = region?.carve(length);
  if (view) return view;
  const made = instantiateKernels();
  if (!('kernels' in made)) return undefined;
  const r = made.kernels;
  try {
    // The first 8 entries are never carved (below), so they count in a buffer's room.
    r.reserve(Math.max(REGION_BYTES, (length + 8) * 8 + REGION_TAIL) / 8);
  } catch {
    return undefined; // out of memory: RangeError from memory.grow
  }
  r.top = 8; // address 0 would read as "no init row" in the kernels' arguments
  regions.set(r.heap.buffer, r);
  // A buffer too large for a region gets one of its own; smaller ones keep filling the current one.
  if ((length + 8) * 8 + REGION_TAIL <= REGION_BYTES) region = r;
  return r.carve(length);
}

/**
 * For a buffer carved from a region: the region's memory (a WebAssembly.Memory that never grows)
 * and the byte address from which its end is never carved. Between products, which stage start
 * rows and scratch there only during a call, other wasm passes may use that end for results and
 * scratch: @gradlab/probes' statistics, which read the tensors in place (decision 0060).
 */
export function engineRegion(view: Float64Array): { memory: object; free: number } | undefined {
  const r = regions.get(view.buffer);
  return r && { memory: r.ex.memory, free: r.heap.byteLength - REGION_TAIL };
}

/** Byte address of X[off] in its buffer (an operand in place). */
const addr = (X: Float64Array, off: number) => X.byteOffset + off * 8;

/** Span of a row-major operand: `rows` rows of `cols` entries, `ld` apart. */
const span = (rows: number, cols: number, ld: number) => (rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols);

export class WasmKernels {
  readonly ex: KernelExports;
  heap: Float64Array;
  /** In a region: entries carved so far (the tail after them is free). */
  top = 0;
  /** In a region: entries below this may have been written by products in place (not zero). */
  private used = 0;
  /** Set by `inPlace`: byte addresses of the operands, the scratch (0: none) and the start row (0: none). */
  private aAt = 0;
  private bAt = 0;
  private cAt = 0;
  private scratchAt = 0;
  private initAt = 0;
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

  /** In a region: the next `length` entries (64-byte aligned) as a view, or undefined when full. */
  carve(length: number): Float64Array | undefined {
    const from = this.top;
    if ((from + length) * 8 > this.heap.byteLength - REGION_TAIL) return undefined;
    this.top = from + ((length + 7) & ~7);
    const view = new Float64Array(this.heap.buffer, from * 8, length);
    // Products in place stage start rows and scratch after `top`: what they wrote is cleared.
    return from < this.used ? view.fill(0) : view;
  }

  /**
   * The region to run a product in place, or undefined for the copy path. In place needs A, B and
   * C in one region, C overlapping neither (the kernel reads A and B while it writes C), and room
   * after the carved buffers for `init` unless it lives there apart from C (else staged there). The scratch goes
   * after that when it fits, else none: the kernel then reads its operands where they are, same
   * bits. Sets the region's byte addresses for the call (0: no scratch, no init).
   */
  private inPlace(
    A: Float64Array,
    aOff: number,
    aLen: number,
    B: Float64Array,
    bOff: number,
    bLen: number,
    C: Float64Array,
    cOff: number,
    cLen: number,
    scratch: number,
    init: Float64Array | undefined,
    n: number,
  ) {
    const h = regions.get(C.buffer);
    if (!h || A.buffer !== C.buffer || B.buffer !== C.buffer) return undefined;
    const a = addr(A, aOff);
    const b = addr(B, bOff);
    const c = addr(C, cOff);
    if (!(a + aLen * 8 <= c || a >= c + cLen * 8) || !(b + bLen * 8 <= c || b >= c + cLen * 8)) return undefined;
    let free = h.top;
    const i = init ? addr(init, 0) : 0;
    h.initAt = init?.buffer === C.buffer && (i + n * 8 <= c || i >= c + cLen * 8) ? i : 0;
    if (init && !h.initAt) {
      if (free + n > h.heap.length) return undefined;
      h.put(init, 0, n, free);
      h.initAt = free * 8;
      free += n;
    }
    h.scratchAt = scratch && free + scratch <= h.heap.length ? free * 8 : 0;
    h.used = Math.max(h.used, free + (h.scratchAt && scratch));
    h.aAt = a;
    h.bAt = b;
    h.cAt = c;
    return h;
  }

  reserve(entries: number): void {
    if (entries <= this.heap.length) return;
    this.ex.memory.grow(Math.ceil((entries * 8 - this.heap.byteLength) / 65536));
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
    const h = this.inPlace(A, aOff, aLen, B, bOff, bLen, C, cOff, cLen, scratch, init, n);
    if (h) return h.ex.gemmAdd(h.aAt, lda * 8, h.bAt, ldb * 8, h.cAt, ldc * 8, m, k, n, h.scratchAt, h.initAt);
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
    const h = this.inPlace(A, aOff, aLen, B, bOff, bLen, C, cOff, cLen, scratch, init, n);
    if (h) return h.ex.gemmTNAdd(h.aAt, lda * 8, h.bAt, ldb * 8, h.cAt, ldc * 8, k, m, n, h.scratchAt, h.initAt);
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
    const h = this.inPlace(A, aOff, aLen, B, bOff, bLen, C, cOff, cLen, scratch, undefined, 0);
    if (h) return h.ex.gemmNT(h.aAt, lda * 8, h.bAt, ldb * 8, h.cAt, ldc * 8, m, n, k, accumulate ? 1 : 0, h.scratchAt);
    // Overwriting a gap-free C: every entry of the span is written, so C need not go in.
    this.stage(A, aOff, aLen, B, bOff, bLen, C, cOff, cLen, accumulate || ldc !== k, scratch);
    const at = scratch && (cLen + aLen + bLen) * 8;
    this.ex.gemmNT(cLen * 8, lda * 8, (cLen + aLen) * 8, ldb * 8, 0, ldc * 8, m, n, k, accumulate ? 1 : 0, at);
    this.unstage(C, cOff, cLen);
  };
}
