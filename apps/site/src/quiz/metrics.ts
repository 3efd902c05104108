/**
 * The engine state a quiz predicate or a predict question reads: flat names over a lab job's result.
 * Defined once here; `assertQuiz(…, { metrics: METRICS })` refuses any other name at build time.
 */
import type { Metrics } from '@gradlab/quiz';
import type { Num, ProbeResult, RnnTimeResult, Setting, TrainResult } from '../lab/protocol.ts';
import { TRAIN_EXTRA_METRIC_LABELS, trainExtraMetrics } from './train-extra-metrics.ts';

const finite = (xs: readonly Num[]) => xs.filter((x): x is number => x !== null);
const last = (xs: readonly Num[]) => xs[xs.length - 1];

/** Metric name → what it is, in words (shown with a goal's predicate). */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  ratio: 'first/last hidden-layer ‖δ‖ ratio',
  predictedRatio: 'mean-field prediction of that ratio',
  gradRatio: 'first/last hidden-layer ‖∂L/∂W‖ ratio',
  maxDead: 'largest dead-unit fraction of any hidden layer',
  meanDead: 'mean dead-unit fraction over the hidden layers',
  maxSaturation: 'largest saturated fraction of any hidden layer',
  nonFinite: 'a NaN or ±Infinity appeared',
  batchNorm: 'batch normalization is on',
  depth: 'hidden layers',
  finalLoss: 'loss at the last step',
  lossRatio: 'loss at the last step / loss at the first step',
  finalDead: 'dead-unit fraction at the last step',
  peakDead: 'largest dead-unit fraction during training',
  stopped: 'the run was stopped by the non-finite sentinel',
  initialDead: 'dead-unit fraction at step 0 (inactive at initialization)',
  killed: 'dead-unit fraction at the last step before the switch (two-phase runs)',
  updateRatioFirst: 'update/weight ratio ‖ΔW‖/‖W‖ of the first hidden layer at the measured step',
  updateRatioLast: 'update/weight ratio ‖ΔW‖/‖W‖ of the last hidden layer at the measured step',
  finalInactive: 'fraction of hidden units with z ≤ 0 on every example at the last step',
  steps: 'training steps completed',
  ...TRAIN_EXTRA_METRIC_LABELS,
};

export const METRICS: readonly string[] = Object.keys(METRIC_LABELS);

/** The metrics of a probe, training or rnn-time result for the setting that produced it. */
export function metricsOf(r: ProbeResult | TrainResult | RnnTimeResult, setting: Setting): Metrics {
  const common = {
    batchNorm: setting.norm === 'batchnorm',
    depth: typeof setting.depth === 'number' ? setting.depth : 10,
  };
  // Through time: `ratio` is ‖∂L/∂h_first‖/‖∂L/∂h_T‖ over the back-propagated steps (the capstone's run F).
  if (r.kind === 'rnn-time')
    return { ratio: r.ratio ?? Number.NaN, nonFinite: r.ratio === null || r.timeNorms.some((x) => x === null) };
  if (r.kind === 'train') {
    const dead = finite(r.dead);
    return {
      ...common,
      finalLoss: last(r.loss) ?? Number.NaN,
      lossRatio: (last(r.loss) ?? Number.NaN) / (r.loss[0] ?? Number.NaN),
      finalDead: last(r.dead) ?? Number.NaN,
      peakDead: dead.length ? Math.max(...dead) : Number.NaN,
      stopped: r.stopped !== null,
      initialDead: r.dead[0] ?? Number.NaN,
      killed: r.phases ? (r.dead[r.phases.switchStep - 1] ?? Number.NaN) : Number.NaN,
      finalInactive: last(r.inactive) ?? Number.NaN,
      nonFinite: r.stopped !== null || r.loss.some((x) => x === null),
      steps: r.loss.length,
      ...trainExtraMetrics(r),
    };
  }
  // Hidden layers only: the output layer is the last entry.
  const hidden = (xs: readonly Num[]) => finite(xs.slice(0, -1));
  const dead = hidden(r.dead);
  const sat = hidden(r.saturation);
  return {
    ...common,
    ratio: r.ratio ?? Number.NaN,
    predictedRatio: r.predictedRatio ?? Number.NaN,
    gradRatio: r.gradRatio ?? Number.NaN,
    maxDead: dead.length ? Math.max(...dead) : Number.NaN,
    meanDead: dead.length ? dead.reduce((a, b) => a + b, 0) / dead.length : Number.NaN,
    maxSaturation: sat.length ? Math.max(...sat) : Number.NaN,
    nonFinite: r.deltaNorm.some((x) => x === null) || r.ratio === null,
    updateRatioFirst: r.updateRatio[0] ?? Number.NaN,
    updateRatioLast: r.updateRatio[r.updateRatio.length - 2] ?? Number.NaN,
  };
}
