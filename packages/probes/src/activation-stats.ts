import { defineProbe, type LayerTrace, type StepTrace } from '@gradlab/plugin-api';
import { History } from './history.ts';
import { type LayerInfo, layerInfo } from './layer-info.ts';
import { windowOption } from './probe-options.ts';
import { type Num, num } from './report-numbers.ts';
import { type Histogram, histogram } from './stats.ts';
import { stepStats } from './step-stats.ts';

const options = {
  bins: { type: 'integer', default: 40, min: 1, max: 1000, description: 'Bins per histogram.' },
  range: {
    type: 'number',
    default: 0,
    min: 0,
    description:
      'Histograms cover [−range, range] with under/overflow counts, the same every step; 0 fits each histogram to its data.',
  },
  histogramOf: {
    type: 'enum',
    values: ['a', 'z', 'both', 'none'],
    default: 'both',
    description: 'Which tensors get histograms: activations a, pre-activations z, both or none.',
  },
  histogramEvery: {
    type: 'integer',
    default: 10,
    min: 1,
    description: 'Histograms on every n-th step (0, n, 2n, …); means and stds are kept every step.',
  },
  window: windowOption,
} as const;

export interface LayerMoments {
  /** Mean and standard deviation (population) over all rows × units. */
  readonly aMean: Num;
  readonly aStd: Num;
  readonly zMean: Num;
  readonly zStd: Num;
  /** Fraction of activations exactly 0 (a === 0, so −0 too) over all rows × units: ReLU's silent units. */
  readonly aZero: Num;
}

export interface ActivationStatsRecord {
  readonly step: number;
  readonly layers: LayerMoments[];
  /** Present on histogram steps, per layer. */
  readonly histograms?: { readonly a?: Histogram; readonly z?: Histogram }[];
}

export interface ActivationStatsReport {
  readonly layers: LayerInfo[];
  readonly history: ActivationStatsRecord[];
}

/** `activation-stats`: per-layer mean and std of a and z each step, and histograms every n steps. */
export default defineProbe({
  meta: {
    id: 'activation-stats',
    title: 'Activation statistics',
    summary: 'Per-layer mean and standard deviation of activations and pre-activations, with histograms over time.',
    emits: [],
    cost: 'per-sample',
  },
  options,
  create: (o) => {
    // Row: step, then aMean, aStd, zMean, zStd, aZero per layer; histograms as the row's extra.
    const history = new History<{ readonly a?: Histogram; readonly z?: Histogram }[]>(o.window);
    let layers: LayerInfo[] = [];
    const withA = o.histogramOf === 'a' || o.histogramOf === 'both';
    const withZ = o.histogramOf === 'z' || o.histogramOf === 'both';
    // Plain object literals: conditional spreads ({ ...(withA && { a }) }) cost more than the histograms.
    const histograms = (l: LayerTrace): { readonly a?: Histogram; readonly z?: Histogram } => {
      if (!withZ) return { a: histogram(l.a, o.bins, o.range) };
      if (!withA) return { z: histogram(l.z, o.bins, o.range) };
      return { a: histogram(l.a, o.bins, o.range), z: histogram(l.z, o.bins, o.range) };
    };
    return {
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        const n = ls.length;
        if (history.width !== 1 + 5 * n) {
          layers = ls.map(layerInfo);
          history.reset(1 + 5 * n);
        }
        const stats = stepStats(trace);
        const row = history.push();
        const d = history.data;
        const at = row * history.width;
        d[at] = trace.step;
        for (let k = 0; k < n; k++) {
          const m = stats.layerMoments(k);
          d[at + 1 + 5 * k] = m[4 * k];
          d[at + 2 + 5 * k] = m[4 * k + 1];
          d[at + 3 + 5 * k] = m[4 * k + 2];
          d[at + 4 + 5 * k] = m[4 * k + 3];
          const size = ls[k].a.length;
          d[at + 5 + 5 * k] = size ? stats.zeroCount(k) / size : Number.NaN;
        }
        const histSteps = (withA || withZ) && trace.step % o.histogramEvery === 0;
        history.extras[row] = histSteps ? ls.map(histograms) : undefined;
      },
      report: (): ActivationStatsReport => {
        const records: ActivationStatsRecord[] = [];
        for (let i = 0; i < history.length; i++) {
          const row = history.row(i);
          const d = history.data;
          const at = row * history.width;
          const stats: LayerMoments[] = layers.map((_, k) => ({
            aMean: num(d[at + 1 + 5 * k]),
            aStd: num(d[at + 2 + 5 * k]),
            zMean: num(d[at + 3 + 5 * k]),
            zStd: num(d[at + 4 + 5 * k]),
            aZero: num(d[at + 5 + 5 * k]),
          }));
          const histograms = history.extras[row];
          records.push({ step: d[at], layers: stats, ...(histograms && { histograms }) });
        }
        return { layers, history: records };
      },
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'activation-stats': typeof options;
  }
}
