/**
 * Measurements of one step that several probes need (norms, moments, f′ counts, update norms),
 * computed at most once per step however many probes ask, and only when one asks. With every
 * probe attached each tensor of a layer is read about once, instead of once per probe; `nan-watch`
 * reads the finiteness of a tensor off a sum another probe already took.
 *
 * One `StepStats` serves a session: it is keyed by `trace.params` (the same array on every step of
 * a session), so its buffers are reused and recording a step allocates nothing. A new trace
 * object is a new step and invalidates every result; a trace must not change while probes read it
 * (the engine's traces never do).
 */
import type { LayerTrace, StepTrace } from '@gradlab/plugin-api';
import { momentsInto } from './stats.ts';
import { frobenius, frobeniusFromSum, hypot, normalSum, readsEntries } from './vector-norms.ts';
import { SIMD_MIN_LENGTH, simdPasses } from './wasm/simd-passes.ts';

const cache = new WeakMap<object, StepStats>();

/** The shared measurements of `trace`'s step. */
export function stepStats(trace: StepTrace): StepStats {
  let stats = cache.get(trace.params);
  if (stats === undefined) {
    stats = new StepStats();
    cache.set(trace.params, stats);
  }
  if (stats.trace !== trace) stats.begin(trace);
  return stats;
}

/** Every result is stored with the step's generation number; a slot is valid when the numbers match. */
export class StepStats {
  trace: StepTrace | undefined;
  private gen = 0;
  private layers: readonly LayerTrace[] | undefined;
  /** `trace.layers` the per-layer slots were laid out for. */
  private layout: readonly LayerTrace[] | undefined;
  private grads: readonly Float64Array[] | undefined;

  private gradNorms = new Float64Array(0);
  private gradAt = new Int32Array(0);
  private globalAt = -1;
  private global = Number.NaN;
  /** Per layer: index in `trace.grads` of gradW, gradB and gradWh (−1 when absent). */
  private slots = new Int32Array(0);
  /** Per parameter: the layer whose main weight W it is, or −1. */
  private weightOf = new Int32Array(0);

  private deltaNorms = new Float64Array(0);
  private deltaAt = new Int32Array(0);
  /** Per layer: aMean, aStd, zMean, zStd. */
  private moments = new Float64Array(0);
  private momentsAt = new Int32Array(0);
  /** Per layer: how many entries of a are exactly 0, counted in the moments' pass. */
  private zeros = new Float64Array(0);
  /** Per layer: the |f′| < cut count for `cuts`, 1 if some |f′| > ceiling for `ceilings` (else 0). */
  private flatCounts = new Float64Array(0);
  private cuts = new Float64Array(0);
  private above = new Float64Array(0);
  private ceilings = new Float64Array(0);
  private dadzAt = new Int32Array(0);
  /** Per layer: per unit, 1 when f′ is ±0 on every row (NaN is not), see {@link unitsOff}. */
  private offUnits: Uint8Array[] = [];
  private offAt = new Int32Array(0);
  /** Whether a probe has asked {@link unitsOff}: only then does the f′ scan answer it in the same read. */
  private unitsAsked = false;
  /** Per layer: max |f′|, taken only when some |f′| is above the ceiling asked for. */
  private maxDerivative = new Float64Array(0);
  private maxAt = new Int32Array(0);
  /** Per layer: ‖ΔW‖_F and ‖W − ΔW‖_F. */
  private updateNorms = new Float64Array(0);
  private weightNorms = new Float64Array(0);
  private weightsAt = new Int32Array(0);
  /** Σu² and Σ(W − u)² of one or two layers from the wasm update pass. */
  private readonly sums = new Float64Array(4);

  /** Start a new step. */
  begin(trace: StepTrace): void {
    this.trace = trace;
    this.gen = (this.gen + 1) | 0;
    this.layers = undefined;
    if (this.grads !== trace.grads) {
      this.grads = trace.grads;
      this.gradNorms = new Float64Array(trace.grads.length);
      this.gradAt = new Int32Array(trace.grads.length).fill(-1);
      this.layout = undefined;
    }
    // W before the step and W were just written by the trainer (the copy, then the optimizer: its
    // last acts before the probes) and still sit in L2; the probe that asks for their norms comes
    // after others have read every a, z and f′. Reading them now, not then, saves a trip to L3
    // per tensor (only a probe needing 'updates' makes the trace carry them, and that probe asks
    // for every layer's norms anyway).
    const ls = trace.layers;
    if (ls.length && hasUpdate(ls[0])) for (let k = 0; k < ls.length; k++) this.weights(k);
  }

  /** `trace.layers`, read once per step; lays the per-layer slots out when the layers change. */
  private layersOf(): readonly LayerTrace[] {
    if (this.layers !== undefined) return this.layers;
    const ls = this.trace!.layers;
    this.layers = ls;
    if (this.layout === ls) return ls;
    const n = ls.length;
    if (this.layout?.length !== n) {
      this.deltaNorms = new Float64Array(n);
      this.deltaAt = new Int32Array(n).fill(-1);
      this.moments = new Float64Array(4 * n);
      this.momentsAt = new Int32Array(n).fill(-1);
      this.zeros = new Float64Array(n);
      this.flatCounts = new Float64Array(n);
      this.cuts = new Float64Array(n);
      this.above = new Float64Array(n);
      this.ceilings = new Float64Array(n);
      this.dadzAt = new Int32Array(n).fill(-1);
      this.offUnits = ls.map((l) => new Uint8Array(l.units));
      this.offAt = new Int32Array(n).fill(-1);
      this.maxDerivative = new Float64Array(n);
      this.maxAt = new Int32Array(n).fill(-1);
      this.updateNorms = new Float64Array(n);
      this.weightNorms = new Float64Array(n);
      this.weightsAt = new Int32Array(n).fill(-1);
    } else {
      // Same depth, other views (another row count): results of this step may already be stored.
      for (let k = 0; k < n; k++)
        if (this.offUnits[k].length !== ls[k].units) this.offUnits[k] = new Uint8Array(ls[k].units);
    }
    const position = new Map<Float64Array, number>();
    for (let i = 0; i < this.grads!.length; i++) position.set(this.grads![i], i);
    this.slots = new Int32Array(3 * n);
    ls.forEach((l, k) => {
      this.slots[3 * k] = position.get(l.gradW) ?? -1;
      this.slots[3 * k + 1] = position.get(l.gradB) ?? -1;
      this.slots[3 * k + 2] = l.gradWh ? (position.get(l.gradWh) ?? -1) : -1;
    });
    const layerOf = new Map<Float64Array, number>();
    for (let k = 0; k < n; k++) layerOf.set(ls[k].W, k);
    this.weightOf = Int32Array.from(this.trace!.params, (p) => layerOf.get(p.value) ?? -1);
    this.layout = ls;
    return ls;
  }

  /** ‖trace.grads[i]‖_F. */
  gradNorm(i: number): number {
    if (this.gradAt[i] !== this.gen) {
      this.gradNorms[i] = frobenius(this.grads![i]);
      this.gradAt[i] = this.gen;
    }
    return this.gradNorms[i];
  }

  /** √(Σ over every gradient tensor of ‖g‖²): `Math.hypot` of the tensor norms. */
  globalNorm(): number {
    if (this.globalAt !== this.gen) {
      const grads = this.grads!;
      // Two tensors of a length at a time (each layer's ∂L/∂W and the next's): one sum's additions
      // run while the other's wait on their latency.
      for (let i = 0; i < grads.length; i++) {
        if (this.gradAt[i] === this.gen) continue;
        const j = this.partner(grads, i);
        if (j < 0) this.gradNorm(i);
        else this.normsOfTwo(grads[i], grads[j], this.gradNorms, i, j, this.gradAt);
      }
      this.global = hypot(this.gradNorms);
      this.globalAt = this.gen;
    }
    return this.global;
  }

  /** ‖g‖_F of layer k's gradient `which` (0 gradW, 1 gradB, 2 gradWh), NaN when the layer has none. */
  layerGradNorm(k: number, which: 0 | 1 | 2): number {
    const l = this.layersOf()[k];
    const slot = this.slots[3 * k + which];
    if (slot >= 0) return this.gradNorm(slot);
    const g = which === 0 ? l.gradW : which === 1 ? l.gradB : l.gradWh;
    return g ? frobenius(g) : Number.NaN;
  }

  /** ‖δ_k‖_F (with ‖δ_k+1‖_F in the same pass when it is as long: grad-norms asks for both). */
  deltaNorm(k: number): number {
    const ls = this.layersOf();
    if (this.deltaAt[k] !== this.gen) {
      const d = ls[k].delta;
      const next = ls[k + 1]?.delta;
      if (next?.length === d.length && this.deltaAt[k + 1] !== this.gen && d.length >= SIMD_MIN_LENGTH && simdPasses())
        this.normsOfTwo(d, next, this.deltaNorms, k, k + 1, this.deltaAt);
      else {
        this.deltaNorms[k] = frobenius(d);
        this.deltaAt[k] = this.gen;
      }
    }
    return this.deltaNorms[k];
  }

  /**
   * A j among the next four gradients (a layer's W, b and maybe Wh or γ, β come between two
   * layers' W) as long as gradient i and not yet measured, when the wasm passes run; else −1.
   */
  private partner(tensors: readonly Float64Array[], i: number): number {
    const n = tensors[i].length;
    if (n < SIMD_MIN_LENGTH || simdPasses() === undefined) return -1;
    const last = Math.min(i + 4, tensors.length - 1);
    for (let j = i + 1; j <= last; j++) if (tensors[j].length === n && this.gradAt[j] !== this.gen) return j;
    return -1;
  }

  /** ‖a‖_F into norms[i] and ‖b‖_F into norms[j] from one interleaved wasm pass (frobenius' sums, bit for bit). */
  private normsOfTwo(
    a: Float64Array,
    b: Float64Array,
    norms: Float64Array,
    i: number,
    j: number,
    at: Int32Array,
  ): void {
    simdPasses()!.sumOfSquares2(a, b, this.sums, 0);
    norms[i] = frobeniusFromSum(a, this.sums[0]);
    norms[j] = frobeniusFromSum(b, this.sums[1]);
    at[i] = this.gen;
    at[j] = this.gen;
  }

  /** Mean and std of a and z of layer k, at [4k … 4k+3] of the returned array: aMean, aStd, zMean, zStd. */
  layerMoments(k: number): Float64Array {
    const ls = this.layersOf();
    if (this.momentsAt[k] !== this.gen) {
      const { a, z } = ls[k];
      const simd = a.length >= SIMD_MIN_LENGTH && a.length === z.length ? simdPasses() : undefined;
      // In wasm, a's and z's sums (chains of additions) interleave in one pass; same sums, same order.
      if (simd !== undefined) this.zeros[k] = simd.layerMoments(a, z, this.moments, 4 * k);
      else {
        this.zeros[k] = momentsInto(a, this.moments, 4 * k);
        momentsInto(z, this.moments, 4 * k + 2, false);
      }
      this.momentsAt[k] = this.gen;
    }
    return this.moments;
  }

  /** How many activations a of layer k are exactly 0 (−0 too; NaN is not), from the moments' pass. */
  zeroCount(k: number): number {
    this.layerMoments(k);
    return this.zeros[k];
  }

  /** Whether {@link layerMoments} of layer k were already taken this step. */
  hasMoments(k: number): boolean {
    this.layersOf();
    return this.momentsAt[k] === this.gen;
  }

  /**
   * How many |f′(z)| of layer k are below `cut` (NaN counts as neither). The first question of a
   * step scans f′ once for this count and whether some |f′| is above `ceiling`; asking again with
   * another cut recounts only.
   */
  flatCount(k: number, cut: number, ceiling = Number.POSITIVE_INFINITY): number {
    const ls = this.layersOf();
    if (this.dadzAt[k] !== this.gen) {
      this.scanDerivative(ls[k], k, cut, ceiling);
      this.dadzAt[k] = this.gen;
    } else if (this.cuts[k] !== cut) {
      this.flatCounts[k] = countBelow(ls[k].dadz, cut);
      this.cuts[k] = cut;
    }
    return this.flatCounts[k];
  }

  /**
   * max(ceiling, max |f′(z)|) over layer k (NaN entries skipped). When the scan counted nothing
   * above this ceiling the answer is the ceiling itself, without a pass for the maximum.
   */
  derivativeReference(k: number, ceiling: number): number {
    if (this.dadzAt[k] !== this.gen) this.flatCount(k, 0, ceiling);
    if (this.ceilings[k] === ceiling && this.above[k] === 0) return ceiling;
    if (this.maxAt[k] !== this.gen) {
      this.maxDerivative[k] = maxAbs(this.layers![k].dadz);
      this.maxAt[k] = this.gen;
    }
    return Math.max(ceiling, this.maxDerivative[k]);
  }

  /**
   * Per unit of layer k, 1 when f′(z) is ±0 on every row of the batch (NaN counts as nonzero),
   * else 0. Each unit's column is read only until its first nonzero row: a live unit costs a row
   * or two, only an inactive one is read to the end.
   */
  unitsOff(k: number): Uint8Array {
    const ls = this.layersOf();
    const off = this.offUnits[k];
    if (this.offAt[k] === this.gen) return off;
    this.offAt[k] = this.gen;
    this.unitsAsked = true;
    const d = ls[k].dadz;
    const units = ls[k].units;
    const n = d.length;
    const simd = n >= SIMD_MIN_LENGTH ? simdPasses() : undefined;
    if (simd !== undefined) {
      // Usually saturation's scan already answered this in its read of f′ (scanDerivative).
      if (pairs(units)) simd.scanUnits(d, units, 0, Number.POSITIVE_INFINITY, off);
      else simd.unitsOff(d, units, off);
      return off;
    }
    for (let j = 0; j < units; j++) {
      let i = j;
      while (i < n && d[i] === 0) i += units;
      off[j] = +(i >= n);
    }
    return off;
  }

  /**
   * One row-major pass (the per-unit question of dead-units is {@link unitsOff}'s, which stops at
   * a unit's first nonzero row). Comparisons with NaN are false, so NaN is never counted. The
   * count is kept an int32 (`| 0`; exact, a tensor has far fewer than 2³¹ entries). A maximum (a select or Math.max) compiles to a
   * branch, which f′ values of 0 or 1 at random mispredict half the time; the question asked is
   * only whether some |f′| exceeds `ceiling` (usually the activation's known maximum, so never),
   * a branch that is predicted, and once it is taken the bound becomes +Infinity, so it is taken
   * at most once.
   */
  private scanDerivative(l: LayerTrace, k: number, cut: number, ceiling: number): void {
    const d = l.dadz;
    const n = d.length;
    // Counts are exact in any order; the wasm pass compares two entries per instruction.
    const simd = n >= SIMD_MIN_LENGTH ? simdPasses() : undefined;
    if (simd !== undefined) {
      // With an even number of units the same read also answers dead-units' per-unit question, once
      // a probe has asked it (it asks next, every step): f′ is read once a step instead of twice.
      if (this.unitsAsked && pairs(l.units) && this.offAt[k] !== this.gen) {
        this.flatCounts[k] = simd.scanUnits(d, l.units, cut, ceiling, this.offUnits[k]);
        this.offAt[k] = this.gen;
      } else this.flatCounts[k] = simd.scan(d, cut, ceiling);
      this.cuts[k] = cut;
      this.above[k] = simd.scanAbove();
      this.ceilings[k] = ceiling;
      return;
    }
    let below = 0;
    let above = 0;
    let top = ceiling;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      const a0 = Math.abs(d[i]);
      const a1 = Math.abs(d[i + 1]);
      const a2 = Math.abs(d[i + 2]);
      const a3 = Math.abs(d[i + 3]);
      below = (below + +(a0 < cut) + +(a1 < cut) + +(a2 < cut) + +(a3 < cut)) | 0;
      if (a0 > top || a1 > top || a2 > top || a3 > top) {
        above = 1;
        top = 1 / 0;
      }
    }
    for (; i < n; i++) {
      const a = Math.abs(d[i]);
      below = (below + +(a < cut)) | 0;
      if (a > top) {
        above = 1;
        top = 1 / 0;
      }
    }
    this.flatCounts[k] = below;
    this.cuts[k] = cut;
    this.above[k] = above;
    this.ceilings[k] = ceiling;
  }

  /** ‖ΔW_k‖_F and ‖W_k − ΔW_k‖_F (W before the step) in one pass; NaN for both when the layer carries no update. */
  updateNorm(k: number): number {
    this.weights(k);
    return this.updateNorms[k];
  }

  /** ‖W_k before the step‖_F, see {@link updateNorm}. */
  weightNorm(k: number): number {
    this.weights(k);
    return this.weightNorms[k];
  }

  /**
   * True when `trace.params[i]` is known to be finite from a sum: it is the main weight W of a
   * layer carrying its update, and ‖ΔW‖ and ‖W − ΔW‖ are finite (so ΔW and W − ΔW, hence W, are).
   * False means "not known": scan it.
   */
  paramKnownFinite(i: number): boolean {
    this.layersOf();
    const k = this.weightOf[i];
    if (k < 0 || !hasUpdate(this.layers![k])) return false;
    this.weights(k);
    return Number.isFinite(this.updateNorms[k]) && Number.isFinite(this.weightNorms[k]);
  }

  private weights(k: number): void {
    const ls = this.layersOf();
    if (this.weightsAt[k] === this.gen) return;
    this.weightsAt[k] = this.gen;
    const l = ls[k];
    if (!hasUpdate(l)) {
      this.updateNorms[k] = Number.NaN;
      this.weightNorms[k] = Number.NaN;
      return;
    }
    // The engine's traces carry W before the step (previousW): the wasm pass forms ΔW = W − previousW
    // as it sums, and the trace's updateW (a pass of its own) is not formed. After a non-finite
    // loss the engine applies no update, so ΔW is 0 whatever W holds: that step reads updateW.
    const before = l.previousW;
    const simd =
      before !== undefined && before.length >= SIMD_MIN_LENGTH && Number.isFinite(this.trace!.loss)
        ? simdPasses()
        : undefined;
    if (simd !== undefined && before !== undefined) {
      // Σ(W − u)² is one chain of additions; the next layer's, when it is as long and not taken
      // yet, runs interleaved with it (its probes ask for it next).
      const next = ls[k + 1];
      const before2 = next?.previousW;
      if (before2 !== undefined && before2.length === before.length && this.weightsAt[k + 1] !== this.gen) {
        simd.updateSums2(before, l.W, before2, next.W, this.sums);
        this.weightsAt[k + 1] = this.gen;
        const s2 = this.sums[2];
        // An all-zero ΔW (sigmoid's first layers: their updates round away) needs max |ΔW|: taken
        // from the ΔW the pass left in wasm memory rather than by a JS loop.
        const m2 = readsEntries(s2) ? simd.updateMax(1, before2.length) : -1;
        this.finishWeights(k + 1, next, s2, this.sums[3], m2);
      } else simd.updateSums(before, l.W, this.sums);
      const s0 = this.sums[0];
      const m0 = readsEntries(s0) ? simd.updateMax(0, before.length) : -1;
      this.finishWeights(k, l, s0, this.sums[1], m0);
      return;
    }
    const W = l.W;
    const u = l.updateW!;
    // Σu² in the four sums of `sumOfSquares` (so the result equals `frobenius(u)`), Σ(W − u)² in
    // one (more sums were slower: registers run out). The wasm pass above does the same sums.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s = 0;
    let i = 0;
    const n = u.length;
    for (; i + 3 < n; i += 4) {
      const u0 = u[i];
      const u1 = u[i + 1];
      const u2 = u[i + 2];
      const u3 = u[i + 3];
      s0 += u0 * u0;
      s1 += u1 * u1;
      s2 += u2 * u2;
      s3 += u3 * u3;
      const w0 = W[i] - u0;
      s += w0 * w0;
      const w1 = W[i + 1] - u1;
      s += w1 * w1;
      const w2 = W[i + 2] - u2;
      s += w2 * w2;
      const w3 = W[i + 3] - u3;
      s += w3 * w3;
    }
    for (; i < n; i++) {
      s0 += u[i] * u[i];
      const w = W[i] - u[i];
      s += w * w;
    }
    this.finishWeights(k, l, s0 + s1 + s2 + s3, s);
  }

  /**
   * The norms of layer l from Σu² and Σ(W − u)²; only a sum that under- or overflowed reads the
   * tensors again, ΔW as the trace's updateW, which the engine forms when it is read. For Σu²
   * frobeniusFromSum reads ΔW only when the max |ΔW| it is given is not 0 or infinite: an update
   * that rounded to all zeros (a deep sigmoid net's first layers, every step) forms no ΔW.
   */
  private finishWeights(k: number, l: LayerTrace, su: number, s: number, maxAbs = -1): void {
    this.updateNorms[k] = frobeniusFromSum(readsEntries(su, maxAbs) ? l.updateW! : NO_ENTRIES, su, maxAbs);
    this.weightNorms[k] = normalSum(s) ? Math.sqrt(s) : differenceNorm(l.W, l.updateW!);
  }
}

/** Whether a trace layer carries this step's update: previousW (the engine's), or updateW alone. */
const hasUpdate = (l: LayerTrace) => l.previousW !== undefined || l.updateW !== undefined;

/** What {@link StepStats.finishWeights} hands frobeniusFromSum in place of a ΔW it will not read. */
const NO_ENTRIES = new Float64Array(0);

/** Whether a row of `units` entries splits into f64x2 pairs (the fused f′ pass, {@link SimdPasses.scanUnits}). */
const pairs = (units: number) => units >= 2 && (units & 1) === 0;

/** ‖W − u‖_F scaled by the largest |W − u| (the rare path where Σ(W − u)² under- or overflows). */
function differenceNorm(W: Float64Array, u: Float64Array): number {
  let m = 0;
  for (let i = 0; i < u.length; i++) m = Math.max(m, Math.abs(W[i] - u[i]));
  if (m === 0 || !Number.isFinite(m)) return m;
  let t = 0;
  for (let i = 0; i < u.length; i++) t += ((W[i] - u[i]) / m) * ((W[i] - u[i]) / m);
  return m * Math.sqrt(t);
}

/** max |d[i]| over the entries that are not NaN (0 if none). */
function maxAbs(d: Float64Array): number {
  let max = 0;
  for (let i = 0; i < d.length; i++) {
    const a = Math.abs(d[i]);
    // biome-ignore lint/complexity/useMathMinMax: a select skips NaN; Math.max would propagate it.
    max = a > max ? a : max;
  }
  return max;
}

/** How many |d[i]| are below `cut` (NaN counts as neither). */
function countBelow(d: Float64Array, cut: number): number {
  let count = 0;
  for (let i = 0; i < d.length; i++) count += +(Math.abs(d[i]) < cut);
  return count;
}
