import { defineProbe, type StepTrace } from '@gradlab/plugin-api';
import { Window } from './history.ts';
import { windowOption } from './probe-options.ts';
import { type Num, num } from './report-numbers.ts';

const options = {
  bins: { type: 'integer', default: 24, min: 1, max: 1000, description: 'Bins of the log10(preNorm) histogram.' },
  logMin: { type: 'number', default: -8, description: 'Lower edge of the histogram, in log10 units.' },
  logMax: { type: 'number', default: 4, description: 'Upper edge of the histogram, in log10 units.' },
  window: windowOption,
} as const;

export interface ClippingStatsRecord {
  readonly step: number;
  /** The transform's stats this step (preNorm, postNorm, scale, clippedFraction, …). */
  readonly stats: Readonly<Record<string, Num>>;
}

export interface TransformSummary {
  /** Position in `train.clipping` (the same id may appear twice). */
  readonly index: number;
  readonly id: string;
  readonly steps: number;
  /** Steps on which the transform changed the gradients (clippedFraction > 0, or scale < 1). */
  readonly clippedSteps: number;
  /** Mean of stats.clippedFraction over all steps (null if the transform does not report it). */
  readonly meanClippedFraction: Num;
  /** Histogram of log10(stats.preNorm) over all steps: equal bins over [logMin, logMax]. */
  readonly preNorm: {
    readonly logMin: number;
    readonly logMax: number;
    readonly counts: number[];
    readonly underflow: number;
    readonly overflow: number;
    readonly nonFinite: number;
  };
  readonly history: ClippingStatsRecord[];
}

export interface ClippingStatsReport {
  readonly transforms: TransformSummary[];
}

interface Tracker {
  id: string;
  steps: number;
  clippedSteps: number;
  fractionSum: number;
  fractionSteps: number;
  counts: number[];
  underflow: number;
  overflow: number;
  nonFinite: number;
  history: Window<ClippingStatsRecord>;
}

/** `clipping-stats`: what each gradient transform did, step by step (for the clipping widget). */
export default defineProbe({
  meta: {
    id: 'clipping-stats',
    title: 'Clipping statistics',
    summary: 'Per-step statistics of each gradient-clipping transform, with a histogram of pre-clip norms.',
    emits: [],
    cost: 'cheap',
  },
  options,
  create: (o) => {
    const trackers: Tracker[] = [];
    return {
      onStep(trace: StepTrace) {
        trace.transforms.forEach(({ id, stats }, k) => {
          const t = (trackers[k] ??= {
            id,
            steps: 0,
            clippedSteps: 0,
            fractionSum: 0,
            fractionSteps: 0,
            counts: new Array<number>(o.bins).fill(0),
            underflow: 0,
            overflow: 0,
            nonFinite: 0,
            history: new Window(o.window),
          });
          t.steps++;
          const fraction = stats.clippedFraction;
          if ((fraction ?? 0) > 0 || (stats.scale ?? 1) < 1) t.clippedSteps++;
          if (typeof fraction === 'number' && Number.isFinite(fraction)) {
            t.fractionSum += fraction;
            t.fractionSteps++;
          }
          if (stats.preNorm !== undefined) {
            const x = Math.log10(stats.preNorm);
            if (Number.isNaN(x)) t.nonFinite++;
            else if (x < o.logMin) t.underflow++;
            else if (x >= o.logMax) t.overflow++;
            else t.counts[Math.floor(((x - o.logMin) / (o.logMax - o.logMin)) * o.bins)]++;
          }
          const record: Record<string, Num> = {};
          for (const [key, v] of Object.entries(stats)) record[key] = num(v);
          t.history.push({ step: trace.step, stats: record });
        });
      },
      report: (): ClippingStatsReport => ({
        transforms: trackers.map((t, index) => ({
          index,
          id: t.id,
          steps: t.steps,
          clippedSteps: t.clippedSteps,
          meanClippedFraction: t.fractionSteps ? t.fractionSum / t.fractionSteps : null,
          preNorm: {
            logMin: o.logMin,
            logMax: o.logMax,
            counts: t.counts.slice(),
            underflow: t.underflow,
            overflow: t.overflow,
            nonFinite: t.nonFinite,
          },
          history: t.history.toArray(),
        })),
      }),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'clipping-stats': typeof options;
  }
}
