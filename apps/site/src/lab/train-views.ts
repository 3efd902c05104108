/**
 * Views of part 2's training measurements (train-extras.ts), as data like every view in views.ts: a
 * chart's series, the table of the same numbers and a one-sentence summary.
 * - `shrink`: ‖W‖ over training beside the closed form (1 − ηλ)^(t+1)·‖W₀‖ of pure L2 weight decay
 *   under SGD (what the weights would be if the data gradient were zero);
 * - `normHist`: how often each size of pre-clip gradient norm ‖g‖ occurred over the run (half-decade
 *   bins), early and late halves apart;
 * - `trainLayers`: ‖δ_l‖ per hidden layer at the first and the latest step;
 * - `gradLayers`: ‖∂L/∂W_l‖ per hidden layer at the first step, with the loss of that step in the
 *   summary (batch norm's scale invariance: move the gain, the loss stays, the gradient scales by 1/a).
 */
import type { Num, Setting, TrainResult } from './protocol.ts';
import { COLORS, fmt } from './view-format.ts';
import type { ViewData } from './views.ts';

export type ClipRule = 'value' | 'norm' | 'global-norm' | 'adaptive';

/** The clip job's series per rule (Okabe–Ito colours, as in view-format.ts). */
export const CLIP_RULES = {
  value: { label: 'clip by value', short: 'by value', field: 'cosValue', color: '#d55e00' },
  norm: { label: 'clip by norm (per tensor)', short: 'per-tensor norm', field: 'cosTensor', color: '#cc79a7' },
  'global-norm': { label: 'clip by global norm', short: 'global norm', field: 'cosNorm', color: '#0072b2' },
  adaptive: { label: 'adaptive (AGC, threshold = λ)', short: 'AGC', field: 'cosAdaptive', color: '#e69f00' },
} as const;

export const EXTRA_STEP_METRICS = {
  gradNorm: '‖g‖ before clipping (all parameters)',
  clipRate: 'clipping rate',
  // Read after the step's update, unlike the loss and ‖δ‖ beside them (train-extras.ts).
  weightNorm: "‖W‖ after the step's update (all weights)",
  zeroWeights: "weights exactly 0 after the step's update (fraction)",
  bnEvalLoss: 'loss in evaluation mode (running statistics)',
} as const;
export type ExtraStepMetric = keyof typeof EXTRA_STEP_METRICS;

export type TrainExtraView =
  | { readonly type: 'shrink' }
  | { readonly type: 'normHist' }
  | { readonly type: 'trainLayers' }
  | { readonly type: 'gradLayers' };

const TRAIN_EXTRA_VIEWS: ReadonlySet<string> = new Set(['shrink', 'normHist', 'trainLayers', 'gradLayers']);
export const isTrainExtraView = (v: { readonly type: string }): v is TrainExtraView => TRAIN_EXTRA_VIEWS.has(v.type);

const numOf = (s: Setting, k: string, fallback: number) => (typeof s[k] === 'number' ? (s[k] as number) : fallback);

function shrinkView(r: TrainResult, s: Setting): ViewData {
  const lr = numOf(s, 'lr', 0.01);
  const lambda = s.reg === 'l2' ? numOf(s, 'lambda', 1e-4) : 0;
  const w0 = r.weightNormInit;
  const n = r.weightNorm.length;
  const x = Array.from({ length: n + 1 }, (_, i) => i);
  const closed: Num[] = x.map((t) => (w0 === null ? null : (1 - lr * lambda) ** t * w0));
  const measured: Num[] = [w0, ...r.weightNorm];
  return {
    x,
    xLabel: 'step t (0 = before training)',
    yLabel: '‖W‖ (all weights)',
    log: true,
    series: [
      { label: 'measured ‖W‖', values: measured, color: COLORS[0], points: true },
      { label: `(1 − ηλ)ᵗ ‖W₀‖, η = ${lr}, λ = ${lambda}`, values: closed, color: COLORS[1], dash: [6, 4] },
    ],
    summary: `‖W‖ went from ${fmt(w0)} to ${fmt(measured[n])} in ${n} steps; pure weight decay alone would give ${fmt(closed[n])}.`,
    caption:
      'L2 norm of every weight (not the biases) over training, log scale; dashed: the closed form of weight decay with no data gradient.',
  };
}

function normHistView(r: TrainResult): ViewData {
  const logs = r.gradNorm.map((g) => (g !== null && g > 0 ? Math.log10(g) : null));
  const finite = logs.filter((v): v is number => v !== null);
  const lo = finite.length ? Math.floor(Math.min(...finite) * 2) / 2 : -1;
  const hi = finite.length ? Math.max(lo + 0.5, Math.ceil(Math.max(...finite) * 2) / 2) : 1;
  const bins = Math.max(1, Math.round((hi - lo) * 2));
  const half = Math.ceil(logs.length / 2);
  const early = new Array<number>(bins).fill(0);
  const late = new Array<number>(bins).fill(0);
  logs.forEach((v, t) => {
    if (v === null) return;
    const b = Math.min(bins - 1, Math.floor((v - lo) * 2));
    (t < half ? early : late)[b]++;
  });
  const x = Array.from({ length: bins }, (_, i) => lo + (i + 0.5) / 2);
  const skipped = logs.length - finite.length;
  const top = x[early.map((c, i) => c + late[i]).reduce((best, c, i, all) => (c > all[best] ? i : best), 0)];
  return {
    x,
    xLabel: 'log₁₀ ‖g‖ before clipping (bin centre)',
    yLabel: 'steps',
    log: false,
    series: [
      { label: `steps 0–${half - 1}`, values: early, color: COLORS[0], bars: true },
      { label: `steps ${half}–${logs.length - 1}`, values: late, color: COLORS[1], points: true, dash: [6, 4] },
    ],
    summary: `Over ${finite.length} steps the pre-clip gradient norm ranged from ${fmt(10 ** Math.min(...finite))} to ${fmt(10 ** Math.max(...finite))}; the most common half decade is centred on ${fmt(10 ** top)}${skipped ? `; ${skipped} steps had no finite norm` : ''}.`,
    caption:
      'Histogram of the global gradient norm ‖g‖₂ (all parameters, before clipping) over the steps of the run, in half-decade bins: first half of the run (bars) and second half (line).',
  };
}

function trainLayersView(r: TrainResult): ViewData {
  const x = r.deltaLayersFirst.map((_, i) => i + 1);
  const ratio = (xs: Num[]) => {
    const a = xs[0];
    const b = xs[xs.length - 1];
    return a !== null && b !== null && b !== 0 ? a / b : null;
  };
  const steps = r.loss.length;
  return {
    x,
    xLabel: 'hidden layer',
    yLabel: '‖δ_l‖ = ‖∂L/∂z_l‖',
    log: true,
    series: [
      { label: '‖δ_l‖ at step 0', values: r.deltaLayersFirst, color: COLORS[0], points: true },
      { label: `‖δ_l‖ at step ${steps - 1}`, values: r.deltaLayersLast, color: COLORS[1], dash: [6, 4] },
    ],
    summary: `At step 0 ‖δ‖ at the first hidden layer is ${fmt(ratio(r.deltaLayersFirst))} × that at the last; at step ${steps - 1}, ${fmt(ratio(r.deltaLayersLast))} ×.`,
    caption:
      '‖δ_l‖ = ‖∂L/∂z_l‖ per hidden layer (Frobenius norm over the batch), log scale, at the first and the latest step.',
  };
}

function gradLayersView(r: TrainResult, s: Setting): ViewData {
  const x = r.gradWLayersFirst.map((_, i) => i + 1);
  const gain = numOf(s, 'gain', 1);
  return {
    x,
    xLabel: 'hidden layer',
    yLabel: '‖∂L/∂W_l‖ at step 0',
    log: true,
    series: [{ label: `‖∂L/∂W_l‖, gain ${gain}`, values: r.gradWLayersFirst, color: COLORS[0], points: true }],
    summary: `At gain ${gain} the loss at step 0 is ${fmt(r.loss[0])} and ‖∂L/∂W‖ of the first hidden layer is ${fmt(r.gradWLayersFirst[0])} (× gain: ${fmt(r.gradWLayersFirst[0] === null ? null : r.gradWLayersFirst[0] * gain)}).`,
    caption: '‖∂L/∂W_l‖ per hidden layer (Frobenius norm) at the first step, log scale.',
  };
}

export function trainExtraView(v: TrainExtraView, r: TrainResult, s: Setting): ViewData {
  if (v.type === 'gradLayers') return gradLayersView(r, s);
  if (v.type === 'shrink') return shrinkView(r, s);
  if (v.type === 'normHist') return normHistView(r);
  return trainLayersView(r);
}
