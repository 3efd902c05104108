import { defineProbe, type StepTrace } from '@gradlab/plugin-api';
import { HINTS, MAX_DERIVATIVE, ONE_SIDED } from './hints.ts';
import {
  alsoLayers,
  finding,
  fire,
  fmt,
  type LayerInfo,
  layerInfo,
  type Num,
  num,
  Persistence,
  Window,
  windowOption,
} from './util.ts';

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

export interface SaturationRecord {
  readonly step: number;
  /** Fraction of rows × units with |f'(z)| < threshold · reference, per layer. */
  readonly fraction: Num[];
  /** The max |f'| used per layer: the known maximum for the id, or the batch maximum if larger. */
  readonly reference: Num[];
}

export interface SaturationReport {
  readonly threshold: number;
  readonly layers: LayerInfo[];
  readonly history: SaturationRecord[];
}

/**
 * How many |d[i]| are below `cut`, and the largest |d[i]|, in one branch-free pass (f' is
 * often 0 or 1 at random, which defeats branch prediction). NaN entries count as neither.
 */
function below(d: Float64Array, cut: number): [count: number, max: number] {
  let count = 0;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    // biome-ignore lint/complexity/useMathMinMax: a select skips NaN; Math.max would propagate it, and is slower here.
    hi = v > hi ? v : hi;
    // biome-ignore lint/complexity/useMathMinMax: as above.
    lo = v < lo ? v : lo;
    count += +(v < cut) & +(v > -cut);
  }
  return [count, Math.max(hi, -lo)];
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
    const history = new Window<SaturationRecord>(o.window);
    let layers: LayerInfo[] = [];
    let alarms: Persistence[] = [];
    return {
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        if (layers.length !== ls.length) {
          layers = ls.map(layerInfo);
          alarms = ls.map(() => new Persistence(o.patience));
        }
        const fraction: number[] = [];
        const reference: number[] = [];
        for (const l of ls) {
          const d = l.dadz;
          const known = MAX_DERIVATIVE[l.activation] ?? 0;
          let [count, batchMax] = below(d, o.threshold * known);
          if (batchMax > known) count = below(d, o.threshold * batchMax)[0];
          fraction.push(d.length ? count / d.length : 0);
          reference.push(Math.max(known, batchMax));
        }
        history.push({ step: trace.step, fraction: fraction.map(num), reference: reference.map(num) });
        const judged = ls.map(
          (l, k) => (o.oneSided === 'judge' || !ONE_SIDED.has(l.activation)) && fraction[k] > o.fraction,
        );
        const hit = fire(alarms, judged, fraction, 'max');
        if (!hit) return;
        const k = hit.worst;
        const l = ls[k];
        return [
          finding({
            code: 'SATURATION',
            severity: 'warn',
            step: trace.step,
            layer: l.index,
            message: `${fmt(100 * fraction[k])}% of layer ${l.index} (${l.activation})${alsoLayers(hit.layers, k, layers)} has |f'(z)| < ${fmt(o.threshold)} × ${fmt(reference[k])} for ${alarms[k].steps} step(s) (limit ${fmt(100 * o.fraction)}%): those units pass almost no gradient back.`,
            hint: HINTS.saturation(l.activation),
            evidence: {
              fraction: fraction[k],
              threshold: o.threshold,
              reference: reference[k],
              limit: o.fraction,
              steps: alarms[k].steps,
              layers: hit.layers.map((j) => layers[j].index).join(','),
            },
          }),
        ];
      },
      report: (): SaturationReport => ({ threshold: o.threshold, layers, history: history.toArray() }),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    saturation: typeof options;
  }
}
