import { defineProbe, type StepTrace } from '@gradlab/plugin-api';
import { alsoLayers, finding, fire, Persistence } from './alarms.ts';
import { HINTS, MAX_DERIVATIVE, ONE_SIDED } from './hints.ts';
import { History } from './history.ts';
import { type LayerInfo, layerInfo } from './layer-info.ts';
import { windowOption } from './probe-options.ts';
import { fmt, type Num } from './report-numbers.ts';
import { stepStats } from './step-stats.ts';
import { SIMD_MIN_LENGTH, simdPasses } from './wasm/simd-passes.ts';

const options = {
  threshold: {
    type: 'number',
    default: 0.01,
    min: 0,
    max: 1,
    description: "A unit × example is saturated when |f'(z)| < threshold · max |f'|.",
  },
  fraction: {
    type: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    description: 'A layer with more than this fraction saturated is SATURATION.',
  },
  patience: {
    type: 'integer',
    default: 20,
    min: 1,
    description: 'Consecutive steps the fraction must stay above `fraction` before the finding.',
  },
  oneSided: {
    type: 'enum',
    values: ['ignore', 'judge'],
    default: 'ignore',
    description:
      "Whether layers whose activation saturates only for negative inputs (relu, elu, gelu, …) can raise SATURATION; their zero side is dead-units' business.",
  },
  window: windowOption,
} as const;

/**
 * The value-based convention (Karpathy's makemore lectures): a tanh unit is saturated when
 * |tanh z| > 0.97, a sigmoid unit when σ(z) is outside [0.03, 0.97]. Bands of a = f(z) per id;
 * other activations have no value-based statistic (null).
 */
export const VALUE_BANDS: Readonly<Record<string, readonly [number, number]>> = {
  tanh: [-0.97, 0.97],
  softsign: [-0.97, 0.97],
  sigmoid: [0.03, 0.97],
  'hard-sigmoid': [0.03, 0.97],
};

export interface SaturationRecord {
  readonly step: number;
  /** Derivative-based: fraction of rows × units with |f'(z)| < threshold · reference, per layer. */
  readonly fraction: Num[];
  /**
   * Value-based: fraction of rows × units whose activation a = f(z) lies outside the
   * activation's band in {@link VALUE_BANDS} (|tanh z| > 0.97, σ(z) ∉ [0.03, 0.97]); null for
   * activations without a band.
   */
  readonly valueFraction: Num[];
  /** The max |f'| used per layer: the known maximum for the id, or the batch maximum if larger. */
  readonly reference: Num[];
}

export interface SaturationReport {
  readonly threshold: number;
  readonly layers: LayerInfo[];
  readonly history: SaturationRecord[];
}

/** `saturation`: how much of each layer sits where f' is nearly 0 (sigmoid/tanh tails). */
export default defineProbe({
  meta: {
    id: 'saturation',
    title: 'Saturation',
    summary: 'Fraction of units and examples per layer where the activation is flat, so almost no gradient passes.',
    emits: ['SATURATION'],
    cost: 'per-sample',
  },
  options,
  create: (o) => {
    // Row: step, then the fraction and the reference per layer.
    const history = new History(o.window);
    let layers: LayerInfo[] = [];
    let alarms: Persistence[] = [];
    let judged = new Uint8Array(0);
    let fraction = new Float64Array(0);
    /** Per layer: the known max |f'| of its activation (0 if unknown), and whether it can raise SATURATION. */
    let known = new Float64Array(0);
    let judge = new Uint8Array(0);
    return {
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        const n = ls.length;
        if (history.width !== 1 + 3 * n) {
          layers = ls.map(layerInfo);
          alarms = ls.map(() => new Persistence(o.patience));
          judged = new Uint8Array(n);
          fraction = new Float64Array(n);
          known = Float64Array.from(ls, (l) => MAX_DERIVATIVE[l.activation] ?? 0);
          judge = Uint8Array.from(ls, (l) => +(o.oneSided === 'judge' || !ONE_SIDED.has(l.activation)));
          history.reset(1 + 3 * n);
        }
        const stats = stepStats(trace);
        const row = history.push();
        const d = history.data;
        const at = row * history.width;
        d[at] = trace.step;
        for (let k = 0; k < n; k++) {
          const l = ls[k];
          // The reference is the known max |f'|, or the batch's if larger; count against it.
          let count = stats.flatCount(k, o.threshold * known[k], known[k]);
          const reference = stats.derivativeReference(k, known[k]);
          if (reference > known[k]) count = stats.flatCount(k, o.threshold * reference);
          const f = l.dadz.length ? count / l.dadz.length : 0;
          fraction[k] = f;
          d[at + 1 + k] = f;
          d[at + 1 + n + k] = reference;
          d[at + 1 + 2 * n + k] = valueFraction(l.activation, l.a);
          judged[k] = judge[k] & +(f > o.fraction);
        }
        const hit = fire(alarms, judged, fraction, 'max');
        if (!hit) return;
        const k = hit.worst;
        const l = ls[k];
        const reference = d[at + 1 + n + k];
        return [
          finding({
            code: 'SATURATION',
            severity: 'warn',
            step: trace.step,
            layer: l.index,
            message: `${fmt(100 * fraction[k])}% of layer ${l.index} (${l.activation})${alsoLayers(hit.layers, k, layers)} has |f'(z)| < ${fmt(o.threshold)} × ${fmt(reference)} for ${alarms[k].steps} step(s) (limit ${fmt(100 * o.fraction)}%): those units pass almost no gradient back.`,
            hint: HINTS.saturation(l.activation),
            evidence: {
              fraction: fraction[k],
              threshold: o.threshold,
              reference,
              limit: o.fraction,
              steps: alarms[k].steps,
              layers: hit.layers.map((j) => layers[j].index).join(','),
            },
          }),
        ];
      },
      report: (): SaturationReport => {
        const records: SaturationRecord[] = history.records(['fraction', 'reference', 'valueFraction'], layers.length);
        return { threshold: o.threshold, layers, history: records };
      },
    };
  },
});

/** Fraction of `a` outside the activation's value band (NaN, reported as null, without a band). */
function valueFraction(activation: string, a: Float64Array): number {
  const band = VALUE_BANDS[activation];
  if (!band || a.length === 0) return Number.NaN;
  const [lo, hi] = band;
  // Counts are exact in any order: the wasm pass compares two entries per instruction (decision 0051).
  const simd = a.length >= SIMD_MIN_LENGTH ? simdPasses() : undefined;
  if (simd !== undefined) return simd.outside(a, lo, hi) / a.length;
  let count = 0;
  // Two branch-free comparisons (at most one is true; NaN makes both false): `a < lo || a > hi`
  // short-circuits into a branch that mispredicts on a layer spread across both tails.
  for (let i = 0; i < a.length; i++) count += +(a[i] < lo) + +(a[i] > hi);
  return count / a.length;
}

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    saturation: typeof options;
  }
}
