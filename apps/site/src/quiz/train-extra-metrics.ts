/**
 * Quiz metrics over part 2's training measurements (lab/train-extras.ts): clipping, L1/L2 and the
 * per-layer ‖δ‖ of normalization and residual pages. Spread into metrics.ts's names.
 */
import type { Num, TrainResult } from '../lab/protocol.ts';

export const TRAIN_EXTRA_METRIC_LABELS = {
  peakGradNorm: 'largest pre-clip gradient norm ‖g‖ during training',
  meanClipRate: 'mean clipping rate over the steps',
  finalWeightNorm: '‖W‖ of all weights after the last step',
  weightShrink: '‖W‖ after the last step / ‖W‖ before training',
  finalZeroWeights: 'fraction of weights exactly 0 after the last step',
  deltaRatioStart: 'first/last hidden-layer ‖δ‖ ratio at step 0',
} as const;

const finite = (xs: readonly Num[]) => xs.filter((x): x is number => x !== null);
const last = (xs: readonly Num[]) => xs[xs.length - 1] ?? null;
const ratio = (a: Num, b: Num) => (a !== null && b !== null && b !== 0 ? a / b : Number.NaN);

export function trainExtraMetrics(r: TrainResult): Record<keyof typeof TRAIN_EXTRA_METRIC_LABELS, number> {
  const grads = finite(r.gradNorm);
  const rates = finite(r.clipRate);
  return {
    peakGradNorm: grads.length ? Math.max(...grads) : Number.NaN,
    meanClipRate: rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : Number.NaN,
    finalWeightNorm: last(r.weightNorm) ?? Number.NaN,
    weightShrink: ratio(last(r.weightNorm), r.weightNormInit),
    finalZeroWeights: last(r.zeroWeights) ?? Number.NaN,
    deltaRatioStart: ratio(r.deltaLayersFirst[0] ?? null, last(r.deltaLayersFirst)),
  };
}
