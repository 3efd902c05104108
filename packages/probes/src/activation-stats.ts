import { defineProbe, type StepTrace } from '@gradlab/plugin-api';
import { type Histogram, histogram, moments } from './stats.ts';
import { type LayerInfo, layerInfo, type Num, num, Window, windowOption } from './util.ts';

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
    const history = new Window<ActivationStatsRecord>(o.window);
    let layers: LayerInfo[] = [];
    const withA = o.histogramOf === 'a' || o.histogramOf === 'both';
    const withZ = o.histogramOf === 'z' || o.histogramOf === 'both';
    return {
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        if (layers.length !== ls.length) layers = ls.map(layerInfo);
        const stats = ls.map((l) => {
          const a = moments(l.a);
          const z = moments(l.z);
          return { aMean: num(a.mean), aStd: num(a.std), zMean: num(z.mean), zStd: num(z.std) };
        });
        const histSteps = (withA || withZ) && trace.step % o.histogramEvery === 0;
        history.push({
          step: trace.step,
          layers: stats,
          ...(histSteps && {
            histograms: ls.map((l) => ({
              ...(withA && { a: histogram(l.a, o.bins, o.range) }),
              ...(withZ && { z: histogram(l.z, o.bins, o.range) }),
            })),
          }),
        });
      },
      report: (): ActivationStatsReport => ({ layers, history: history.toArray() }),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'activation-stats': typeof options;
  }
}
