/**
 * The probes' hottest per-step passes as wasm f64x2 code (wasm/stats.wat, decision 0051), with the
 * same sums in the same order as the JavaScript loops, which stay as the fallback: a runtime without
 * WebAssembly SIMD, or a page whose CSP forbids compiling wasm, gets the JS loops and the same bits.
 *
 * The engine's tensors are ordinary Float64Arrays, so each pass first copies its tensor into the
 * module's memory with one `TypedArray.set` (a memcpy, ~0.1 ns per entry); nothing is allocated
 * per call, and the heap view is rebuilt only when the memory grows. Tensors shorter than
 * {@link SIMD_MIN_LENGTH} stay in JavaScript: there the call and copy cost more than they save.
 */
import { instantiateSimd } from '@gradlab/core';
import { STATS_WASM_HEX } from './stats.generated.ts';

interface StatsExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  sumSquares(p: number, n: number): number;
  moments2(p: number, q: number, n: number, out: number): void;
  scan(p: number, n: number, cut: number, ceiling: number, out: number): number;
  updateSums(u: number, w: number, n: number, out: number): void;
  updateSums2(u: number, w: number, v: number, x: number, n: number, out: number): void;
  maxAbs(p: number, n: number): number;
  outside(p: number, n: number, lo: number, hi: number): number;
  unitsOn(p: number, rows: number, units: number, out: number): void;
  scanUnits(p: number, rows: number, units: number, cut: number, ceiling: number, out: number, acc: number): number;
  range(p: number, n: number, out: number): void;
  tally(
    p: number,
    n: number,
    lo: number,
    hi: number,
    scale: number,
    t: number,
    w: number,
    out: number,
    inside: number,
  ): void;
  sumSquares2(p: number, q: number, n: number, out: number): void;
}
/** Below this many entries a pass stays in JavaScript (same bits either way). */
export const SIMD_MIN_LENGTH = 64;
/** Results live in bytes 0–63, tensors from entry 8 (byte 64) on. */
const DATA = 8;

export class SimdPasses {
  private readonly ex: StatsExports;
  private heap: Float64Array;
  private words: Int32Array;
  private bytes: Uint8Array;

  constructor(ex: StatsExports) {
    this.ex = ex;
    this.heap = new Float64Array(ex.memory.buffer);
    this.words = new Int32Array(ex.memory.buffer);
    this.bytes = new Uint8Array(ex.memory.buffer);
  }

  /** Makes room for `entries` values after the result area. */
  private reserve(entries: number): void {
    const need = (DATA + entries) * 8;
    if (need <= this.heap.byteLength) return;
    this.ex.memory.grow(Math.ceil((need - this.heap.byteLength) / 65536));
    this.heap = new Float64Array(this.ex.memory.buffer);
    this.words = new Int32Array(this.ex.memory.buffer);
    this.bytes = new Uint8Array(this.ex.memory.buffer);
  }

  private load(a: Float64Array): void {
    this.reserve(a.length);
    this.heap.set(a, DATA);
  }

  /** vector-norms.ts' `sumOfSquaresJS(a)`, bit for bit. */
  sumOfSquares(a: Float64Array): number {
    this.load(a);
    return this.ex.sumSquares(DATA * 8, a.length);
  }

  /** {@link sumOfSquares} of a and b (as long as a) into out[at] and out[at + 1], in one interleaved pass. */
  sumOfSquares2(a: Float64Array, b: Float64Array, out: Float64Array, at: number): void {
    const n = a.length;
    this.reserve(2 * n);
    const heap = this.heap;
    heap.set(a, DATA);
    heap.set(b, DATA + n);
    this.ex.sumSquares2(DATA * 8, (DATA + n) * 8, n, 0);
    out[at] = heap[0];
    out[at + 1] = heap[1];
  }

  /**
   * stats.ts' `momentsInto` of a into out[at], out[at + 1] and of z (as long as a) into out[at + 2],
   * out[at + 3] in one interleaved pass; returns a's ±0 count.
   */
  layerMoments(a: Float64Array, z: Float64Array, out: Float64Array, at: number): number {
    const n = a.length;
    this.reserve(2 * n);
    this.heap.set(a, DATA);
    this.heap.set(z, DATA + n);
    this.ex.moments2(DATA * 8, (DATA + n) * 8, n, 0);
    this.finishMoments(a[0], n, 0, out, at);
    this.finishMoments(z[0], n, 5, out, at + 2);
    return this.heap[4];
  }

  /** mean and std from the sums the module left at heap[h …]: momentsInto's last lines. */
  private finishMoments(k: number, n: number, h: number, out: Float64Array, at: number): void {
    const heap = this.heap;
    const m = (heap[h] + heap[h + 1]) / n;
    out[at] = k + m;
    out[at + 1] = Math.sqrt(Math.max(0, (heap[h + 2] + heap[h + 3]) / n - m * m));
  }

  /** How many |d| < cut; `aboveOut()` then tells whether some |d| > ceiling. */
  scan(d: Float64Array, cut: number, ceiling: number): number {
    this.load(d);
    return this.ex.scan(DATA * 8, d.length, cut, ceiling, 0);
  }

  /** 1 when the last {@link scan} saw some |d| above its ceiling, else 0. */
  scanAbove(): number {
    return this.words[0];
  }

  /**
   * With u = W − before (the trace's ΔW, formed here: a trace's previousW and W), Σu²
   * (sumOfSquares' order) into out[0] and Σ(W − u)² (index order) into out[1].
   */
  updateSums(before: Float64Array, W: Float64Array, out: Float64Array): void {
    const n = before.length;
    this.reserve(2 * n);
    this.heap.set(before, DATA);
    this.heap.set(W, DATA + n);
    this.ex.updateSums(DATA * 8, (DATA + n) * 8, n, 0);
    out[0] = this.heap[0];
    out[1] = this.heap[1];
  }

  /**
   * max |u| of the ΔW that the last update pass formed, as the first (`which` 0) or second (1)
   * layer: the rare path of a Σu² that under- or overflowed, from the u the pass left in memory.
   * The entries must hold no NaN (as there: Σu² would be NaN).
   */
  updateMax(which: 0 | 1, n: number): number {
    return this.ex.maxAbs((DATA + 2 * which * n) * 8, n);
  }

  /**
   * The least and the greatest entry of x (NaN skipped; ±Infinity count) into out[0] and out[1],
   * as stats.ts' histogram loop finds them except for the sign of a bound that is ±0 (the caller
   * fixes it); returns true when every entry is finite.
   */
  range(x: Float64Array, out: Float64Array): boolean {
    this.load(x);
    this.ex.range(DATA * 8, x.length, 0);
    const heap = this.heap;
    out[0] = heap[0];
    out[1] = heap[1];
    return heap[2] === 0;
  }

  /**
   * stats.ts' histogram tally of x into counts (its length is the bins): entry v in [lo, hi] counts
   * in bin ⌊(v − lo)·scale⌋, an entry at hi (slot `bins`) in the top bin; `scale` must be finite.
   * With `loaded`, x is the tensor the last {@link range} copied in (the same histogram asks both);
   * `inside` says every entry is finite and in [lo, hi] (that range pass said so), so none is checked.
   * Returns how many were below lo, above hi and NaN in out[0 … 2].
   */
  tally(
    x: Float64Array,
    loaded: boolean,
    inside: boolean,
    lo: number,
    hi: number,
    scale: number,
    counts: number[],
    out: Int32Array,
  ): void {
    const n = x.length;
    const bins = counts.length;
    const w = bins + 1;
    // Four i32 tallies of w slots after the tensor: 2w entries of 8 bytes.
    this.reserve(n + 2 * w);
    if (!loaded) this.heap.set(x, DATA);
    const t = (DATA + n) * 8;
    this.ex.tally(DATA * 8, n, lo, hi, scale, t, w, 0, +inside);
    const words = this.words;
    const t0 = t >> 2;
    const t1 = t0 + w;
    const t2 = t1 + w;
    const t3 = t2 + w;
    for (let b = 0; b < bins; b++) counts[b] = words[t0 + b] + words[t1 + b] + words[t2 + b] + words[t3 + b];
    counts[bins - 1] += words[t0 + bins] + words[t1 + bins] + words[t2 + bins] + words[t3 + bins];
    out[0] = words[0];
    out[1] = words[1];
    out[2] = words[2];
  }

  /** How many entries of x are < lo or > hi (NaN is neither). */
  outside(x: Float64Array, lo: number, hi: number): number {
    this.load(x);
    return this.ex.outside(DATA * 8, x.length, lo, hi);
  }

  /** Per unit of a rows × units f′: off[j] = 1 when f′ is ±0 on every row (NaN counts as nonzero), else 0. */
  unitsOff(d: Float64Array, units: number, off: Uint8Array): void {
    const n = d.length;
    this.reserve(n + Math.ceil(units / 8));
    this.heap.set(d, DATA);
    const at = (DATA + n) * 8;
    this.ex.unitsOn(DATA * 8, n / units, units, at);
    const bytes = this.bytes;
    for (let j = 0; j < units; j++) off[j] = 1 - bytes[at + j];
  }

  /**
   * {@link scan} and {@link unitsOff} in one row-major read of a rows × `units` f′ (`units` even
   * and ≥ 2): returns how many |d| < cut, `scanAbove()` then tells whether some |d| > ceiling, and
   * off[j] is 1 when unit j's f′ is ±0 on every row (NaN counts as nonzero), else 0.
   */
  scanUnits(d: Float64Array, units: number, cut: number, ceiling: number, off: Uint8Array): number {
    const n = d.length;
    this.reserve(n + units);
    this.heap.set(d, DATA);
    const acc = (DATA + n) * 8;
    const count = this.ex.scanUnits(DATA * 8, n / units, units, cut, ceiling, 0, acc);
    // Unit j's i64 at acc + 8j is −1 (some row nonzero) or 0; its low word says the same.
    const words = this.words;
    for (let j = 0, w = acc >> 2; j < units; j++, w += 2) off[j] = 1 + words[w];
    return count;
  }

  /** {@link updateSums} of two layers of the same size in one interleaved pass: out[0 … 3]. */
  updateSums2(before: Float64Array, W: Float64Array, before2: Float64Array, W2: Float64Array, out: Float64Array): void {
    const n = before.length;
    this.reserve(4 * n);
    const h = this.heap;
    h.set(before, DATA);
    h.set(W, DATA + n);
    h.set(before2, DATA + 2 * n);
    h.set(W2, DATA + 3 * n);
    this.ex.updateSums2(DATA * 8, (DATA + n) * 8, (DATA + 2 * n) * 8, (DATA + 3 * n) * 8, n, 0);
    out[0] = h[0];
    out[1] = h[1];
    out[2] = h[2];
    out[3] = h[3];
  }
}

/** Instantiates the module (about 2 KB: synchronous compilation is allowed on any thread), or says why not. */
export function instantiateSimdPasses(): { passes: SimdPasses } | { reason: string } {
  // core's loader: the same SIMD check and CSP fallback as the kernels.
  const r = instantiateSimd(STATS_WASM_HEX);
  return 'exports' in r ? { passes: new SimdPasses(r.exports as StatsExports) } : r;
}

let selected: SimdPasses | undefined;
let settled = false;
let why = '';
/** The one instance, kept across selections: a new one would start again in V8's baseline tier. */
let instance: ReturnType<typeof instantiateSimdPasses> | undefined;

/** The wasm passes when this runtime has them and they are selected, else undefined (use the JS loops). */
export function simdPasses(): SimdPasses | undefined {
  if (!settled) useSimdPasses('auto');
  return selected;
}

/**
 * Selects the statistics' passes: 'auto' (the default) takes wasm when it instantiates, 'js' the
 * JavaScript loops, 'wasm' throws when wasm is unavailable. Either gives the same bits; this is
 * for tests and measurements. Returns which is in use and, for JS under 'auto', why.
 */
export function useSimdPasses(mode: 'auto' | 'js' | 'wasm'): { passes: 'wasm' | 'js'; reason: string } {
  settled = true;
  selected = undefined;
  why = 'JavaScript passes selected';
  if (mode !== 'js') {
    instance ??= instantiateSimdPasses();
    const r = instance;
    if ('passes' in r) selected = r.passes;
    else if (mode === 'wasm') throw new Error(`wasm statistics unavailable: ${r.reason}`);
    else why = r.reason;
  }
  return { passes: selected ? 'wasm' : 'js', reason: selected ? '' : why };
}
