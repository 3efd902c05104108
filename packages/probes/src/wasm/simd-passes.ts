/**
 * The probes' hottest per-step passes as wasm f64x2 code (wasm/stats.wat, decision 0051), with the
 * same sums in the same order as the JavaScript loops, which stay as the fallback: a runtime without
 * WebAssembly SIMD, or a page whose CSP forbids compiling wasm, gets the JS loops and the same bits.
 *
 * Where a pass runs (decision 0060): the engine's tensors live in wasm regions when its wasm
 * kernels run (core's `engineRegion`), and a pass whose tensors all sit in one region reads them
 * there, through an instance of the module on that region's memory, with its results and scratch
 * in the region's free end. Any other pass copies its tensors into the module's own memory first,
 * with one `TypedArray.set` each. Nothing is allocated per call; the own memory's views are
 * rebuilt only when it grows. Tensors shorter than {@link SIMD_MIN_LENGTH} stay in JavaScript:
 * there the call and copy cost more than they save.
 */
import { engineRegion, instantiateSimd, type WasmApi } from '@gradlab/core';
import { STATS_WASM_HEX } from './stats.generated.ts';

interface StatsExports {
  sumSquares(p: number, n: number): number;
  moments2(p: number, q: number, n: number, out: number): void;
  scan(p: number, n: number, cut: number, ceiling: number, out: number): number;
  updateSums(u: number, w: number, d: number, n: number, out: number): void;
  updateSums2(u: number, w: number, v: number, x: number, d: number, e: number, n: number, out: number): void;
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
type Memory = InstanceType<WasmApi['Memory']>;
/** Below this many entries a pass stays in JavaScript (same bits either way). */
export const SIMD_MIN_LENGTH = 64;
/** Bytes of results at a place's `out`; scratch and (own memory) copied tensors follow. */
const RESULTS = 64;

/** An instance of the module on one memory, with views of it. */
class Place {
  readonly ex: StatsExports;
  readonly memory: Memory;
  /** Byte address of the results. */
  readonly out: number;
  /** Bytes usable from `out` on (0 for the own memory: it grows). */
  readonly end: number;
  heap!: Float64Array;
  words!: Int32Array;
  bytes!: Uint8Array;

  constructor(ex: StatsExports, memory: Memory, out: number, end: number) {
    this.ex = ex;
    this.memory = memory;
    this.out = out;
    this.end = end;
    this.view();
  }

  view(): void {
    this.heap = new Float64Array(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
    this.bytes = new Uint8Array(this.memory.buffer);
  }
}

export class SimdPasses {
  /** The module's own memory: tensors are copied in, results at bytes 0–63. */
  private readonly own: Place;
  /** Per region buffer, the instance on its memory (null: not a region). */
  private readonly regions = new WeakMap<ArrayBufferLike, Place | null>();
  /** Where the current pass runs, and the next free byte address there. */
  private p: Place;
  private next = 0;
  /** Where the last update pass left each layer's ΔW (for {@link updateMax}). */
  private uPlace: Place;
  private readonly uAt = [0, 0];

  private readonly wasm: WasmApi;
  private readonly module: object;

  constructor(ex: StatsExports, memory: Memory, wasm: WasmApi, module: object) {
    this.wasm = wasm;
    this.module = module;
    this.own = new Place(ex, memory, 0, 0);
    this.p = this.uPlace = this.own;
  }

  /**
   * Picks where the next pass runs: in the region holding all of a … d when its free end has
   * `room` bytes of scratch after the results, else in the own memory, grown to take `entries`
   * copied entries and the room.
   */
  private at(entries: number, room: number, a: Float64Array, b = a, c = a, d = a): Place {
    const r = this.region(a);
    if (r && b.buffer === a.buffer && c.buffer === a.buffer && d.buffer === a.buffer && RESULTS + room <= r.end) {
      this.next = r.out + RESULTS;
      return (this.p = r);
    }
    const own = this.own;
    const need = RESULTS + entries * 8 + room;
    if (need > own.heap.byteLength) {
      own.memory.grow(Math.ceil((need - own.heap.byteLength) / 65536));
      own.view();
    }
    this.next = RESULTS;
    return (this.p = own);
  }

  /** The instance on the region holding x (made on first use), or null when x is not an engine buffer in a region. */
  private region(x: Float64Array): Place | null {
    let r = this.regions.get(x.buffer);
    if (r === undefined) {
      const found = engineRegion(x);
      r = null;
      if (found) {
        const memory = found.memory as Memory;
        try {
          const ex = new this.wasm.Instance(this.module, { m: { memory } }).exports as StatsExports;
          r = new Place(ex, memory, found.free, memory.buffer.byteLength - found.free);
        } catch {
          // No instance (out of memory, say): this region's tensors are copied, as ordinary arrays are.
        }
      }
      this.regions.set(x.buffer, r);
    }
    return r;
  }

  /** The byte address the pass reads x at: where it is, in a region; else where it is copied to now. */
  private put(x: Float64Array): number {
    if (this.p !== this.own) return x.byteOffset;
    const at = this.next;
    this.own.heap.set(x, at >> 3);
    this.next = at + x.length * 8;
    return at;
  }

  /** `bytes` of scratch at the next free address, kept 8-byte aligned. */
  private scratch(bytes: number): number {
    const at = this.next;
    this.next = at + ((bytes + 7) & ~7);
    return at;
  }

  /** vector-norms.ts' `sumOfSquaresJS(a)`, bit for bit. */
  sumOfSquares(a: Float64Array): number {
    const p = this.at(a.length, 0, a);
    return p.ex.sumSquares(this.put(a), a.length);
  }

  /** {@link sumOfSquares} of a and b (as long as a) into out[at] and out[at + 1], in one interleaved pass. */
  sumOfSquares2(a: Float64Array, b: Float64Array, out: Float64Array, at: number): void {
    const n = a.length;
    const p = this.at(2 * n, 0, a, b);
    p.ex.sumSquares2(this.put(a), this.put(b), n, p.out);
    const r = p.out >> 3;
    out[at] = p.heap[r];
    out[at + 1] = p.heap[r + 1];
  }

  /**
   * stats.ts' `momentsInto` of a into out[at], out[at + 1] and of z (as long as a) into out[at + 2],
   * out[at + 3] in one interleaved pass; returns a's ±0 count.
   */
  layerMoments(a: Float64Array, z: Float64Array, out: Float64Array, at: number): number {
    const n = a.length;
    const p = this.at(2 * n, 0, a, z);
    p.ex.moments2(this.put(a), this.put(z), n, p.out);
    const r = p.out >> 3;
    finishMoments(p.heap, r, a[0], n, out, at);
    finishMoments(p.heap, r + 5, z[0], n, out, at + 2);
    return p.heap[r + 4];
  }

  /** How many |d| < cut; `scanAbove()` then tells whether some |d| > ceiling. */
  scan(d: Float64Array, cut: number, ceiling: number): number {
    const p = this.at(d.length, 0, d);
    return p.ex.scan(this.put(d), d.length, cut, ceiling, p.out);
  }

  /** 1 when the last {@link scan} or {@link scanUnits} saw some |d| above its ceiling, else 0. */
  scanAbove(): number {
    return this.p.words[this.p.out >> 2];
  }

  /**
   * With u = W − before (the trace's ΔW, formed here: a trace's previousW and W), Σu²
   * (sumOfSquares' order) into out[0] and Σ(W − u)² (index order) into out[1].
   */
  updateSums(before: Float64Array, W: Float64Array, out: Float64Array): void {
    const n = before.length;
    const p = this.at(2 * n, 8 * n, before, W);
    const b = this.put(before);
    const w = this.put(W);
    // u goes over before's copy, or to scratch in a region (where `before` is the trace's own).
    this.uAt[0] = p === this.own ? b : this.scratch(8 * n);
    this.uPlace = p;
    p.ex.updateSums(b, w, this.uAt[0], n, p.out);
    out[0] = p.heap[p.out >> 3];
    out[1] = p.heap[(p.out >> 3) + 1];
  }

  /**
   * max |u| of the ΔW that the last update pass formed, as the first (`which` 0) or second (1)
   * layer: the rare path of a Σu² that under- or overflowed, from the u the pass left in memory.
   * The entries must hold no NaN (as there: Σu² would be NaN).
   */
  updateMax(which: 0 | 1, n: number): number {
    return this.uPlace.ex.maxAbs(this.uAt[which], n);
  }

  /**
   * The least and the greatest entry of x (NaN skipped; ±Infinity count) into out[0] and out[1],
   * as stats.ts' histogram loop finds them except for the sign of a bound that is ±0 (the caller
   * fixes it); returns true when every entry is finite.
   */
  range(x: Float64Array, out: Float64Array): boolean {
    const p = this.at(x.length, 0, x);
    p.ex.range(this.put(x), x.length, p.out);
    const r = p.out >> 3;
    out[0] = p.heap[r];
    out[1] = p.heap[r + 1];
    return p.heap[r + 2] === 0;
  }

  /**
   * stats.ts' histogram tally of x into counts (its length is the bins): entry v in [lo, hi] counts
   * in bin ⌊(v − lo)·scale⌋, an entry at hi (slot `bins`) in the top bin; `scale` must be finite.
   * With `loaded`, x is the tensor the last {@link range} read (the same histogram asks both): in
   * the own memory it is not copied again. `inside` says every entry is finite and in [lo, hi]
   * (that range pass said so), so none is checked.
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
    // Four i32 tallies of w slots.
    const p = this.at(n, 16 * w, x);
    let xAt = RESULTS;
    if (loaded && p === this.own) this.next += n * 8;
    else xAt = this.put(x);
    const t = this.scratch(16 * w);
    p.ex.tally(xAt, n, lo, hi, scale, t, w, p.out, +inside);
    const words = p.words;
    const t0 = t >> 2;
    const t1 = t0 + w;
    const t2 = t1 + w;
    const t3 = t2 + w;
    for (let b = 0; b < bins; b++) counts[b] = words[t0 + b] + words[t1 + b] + words[t2 + b] + words[t3 + b];
    counts[bins - 1] += words[t0 + bins] + words[t1 + bins] + words[t2 + bins] + words[t3 + bins];
    const r = p.out >> 2;
    out[0] = words[r];
    out[1] = words[r + 1];
    out[2] = words[r + 2];
  }

  /** How many entries of x are < lo or > hi (NaN is neither). */
  outside(x: Float64Array, lo: number, hi: number): number {
    const p = this.at(x.length, 0, x);
    return p.ex.outside(this.put(x), x.length, lo, hi);
  }

  /** Per unit of a rows × units f′: off[j] = 1 when f′ is ±0 on every row (NaN counts as nonzero), else 0. */
  unitsOff(d: Float64Array, units: number, off: Uint8Array): void {
    const n = d.length;
    const p = this.at(n, units, d);
    const dAt = this.put(d);
    const at = this.scratch(units);
    p.ex.unitsOn(dAt, n / units, units, at);
    const bytes = p.bytes;
    for (let j = 0; j < units; j++) off[j] = 1 - bytes[at + j];
  }

  /**
   * {@link scan} and {@link unitsOff} in one row-major read of a rows × `units` f′ (`units` even
   * and ≥ 2): returns how many |d| < cut, `scanAbove()` then tells whether some |d| > ceiling, and
   * off[j] is 1 when unit j's f′ is ±0 on every row (NaN counts as nonzero), else 0.
   */
  scanUnits(d: Float64Array, units: number, cut: number, ceiling: number, off: Uint8Array): number {
    const n = d.length;
    const p = this.at(n, 8 * units, d);
    const dAt = this.put(d);
    const acc = this.scratch(8 * units);
    const count = p.ex.scanUnits(dAt, n / units, units, cut, ceiling, p.out, acc);
    // Unit j's i64 at acc + 8j is −1 (some row nonzero) or 0; its low word says the same.
    const words = p.words;
    for (let j = 0, w = acc >> 2; j < units; j++, w += 2) off[j] = 1 + words[w];
    return count;
  }

  /** {@link updateSums} of two layers of the same size in one interleaved pass: out[0 … 3]. */
  updateSums2(before: Float64Array, W: Float64Array, before2: Float64Array, W2: Float64Array, out: Float64Array): void {
    const n = before.length;
    const p = this.at(4 * n, 16 * n, before, W, before2, W2);
    const b = this.put(before);
    const w = this.put(W);
    const b2 = this.put(before2);
    const w2 = this.put(W2);
    const own = p === this.own;
    this.uAt[0] = own ? b : this.scratch(8 * n);
    this.uAt[1] = own ? b2 : this.scratch(8 * n);
    this.uPlace = p;
    p.ex.updateSums2(b, w, b2, w2, this.uAt[0], this.uAt[1], n, p.out);
    const r = p.out >> 3;
    out[0] = p.heap[r];
    out[1] = p.heap[r + 1];
    out[2] = p.heap[r + 2];
    out[3] = p.heap[r + 3];
  }
}

/** mean and std from the sums a moments pass left at heap[h …]: momentsInto's last lines. */
function finishMoments(heap: Float64Array, h: number, k: number, n: number, out: Float64Array, at: number): void {
  const m = (heap[h] + heap[h + 1]) / n;
  out[at] = k + m;
  out[at + 1] = Math.sqrt(Math.max(0, (heap[h + 2] + heap[h + 3]) / n - m * m));
}

/** Instantiates the module (about 2 KB: synchronous compilation is allowed on any thread), or says why not. */
export function instantiateSimdPasses(): { passes: SimdPasses } | { reason: string } {
  // core's loader: the same SIMD check and CSP fallback as the kernels. The module imports its
  // memory: this instance gets a fresh one, region instances their region's.
  let memory: Memory | undefined;
  let wasm: WasmApi | undefined;
  const r = instantiateSimd(STATS_WASM_HEX, (api) => {
    wasm = api;
    return { m: { memory: (memory = new api.Memory({ initial: 1 })) } };
  });
  return 'exports' in r ? { passes: new SimdPasses(r.exports as StatsExports, memory!, wasm!, r.module) } : r;
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
