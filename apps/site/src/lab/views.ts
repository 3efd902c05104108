/**
 * What a widget shows of a result, as data: the series of a chart, a table of the same numbers and a
 * sentence for screen readers. Shared by the build-time SVG/table and the live uPlot chart, so both
 * say the same thing.
 */

import { type BoundaryDrawing, boundaryView } from './boundary-view.ts';
import { doctorView, gradcheckView, sanityView } from './debug-views.ts';
import type { ClipResult, HistogramResult, JobResult, Num, ProbeResult, Setting, TrainResult } from './protocol.ts';
import { timeView } from './rnn-view.ts';
import {
  CLIP_RULES,
  type ClipRule,
  EXTRA_STEP_METRICS,
  type ExtraStepMetric,
  isTrainExtraView,
  type TrainExtraView,
  trainExtraView,
} from './train-views.ts';
import { COLORS, columnFmt, fmt } from './view-format.ts';

export type ViewDef =
  | {
      readonly type: 'layers';
      readonly metric: 'deltaNorm' | 'gradNorm' | 'updateRatio' | 'preactivationStd';
      readonly prediction?: boolean;
      /** Name the probes' findings in the summary (default true; the capstone hides them: they are the answer). */
      readonly findings?: boolean;
    }
  | { readonly type: 'fraction'; readonly metric: 'saturation' | 'dead' }
  | { readonly type: 'histogram' }
  | { readonly type: 'clip'; readonly rules?: readonly ClipRule[] }
  | { readonly type: 'time'; readonly findings?: boolean }
  | { readonly type: 'gradcheck'; readonly scale?: boolean }
  | { readonly type: 'sanity' }
  | { readonly type: 'doctor' }
  /** The playground's decision boundary over the data (boundary-view.ts). */
  | { readonly type: 'boundary' }
  | {
      readonly type: 'steps';
      readonly metrics: readonly StepMetric[];
      readonly log: boolean;
    }
  | TrainExtraView;

export type StepMetric =
  | 'loss'
  | 'deltaFirst'
  | 'deltaLast'
  | 'dead'
  | 'inactive'
  | 'updateRatio'
  | 'timeRatio'
  | 'baseline'
  | ExtraStepMetric;

export interface Series {
  readonly label: string;
  readonly values: Num[];
  /** Okabe–Ito colours, also told apart by dash and points (never by colour alone). */
  readonly color: string;
  readonly dash?: readonly number[];
  readonly points?: boolean;
  readonly bars?: boolean;
}

export interface ViewData {
  readonly x: number[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly log: boolean;
  readonly series: Series[];
  readonly summary: string;
  readonly caption: string;
  /** A log x axis. Only the build-time SVG (svg.ts) honours it: page 12's sanity figure, whose gains
   * run 0.01 … 10 and whose small gains overprinted each other on a linear axis. */
  readonly xLog?: boolean;
  /** Words for the table's row headers instead of the x values (e.g. the fix each row tried). */
  readonly rowLabels?: readonly string[];
  /** A boundary view's map and points: drawn on a canvas (boundary-canvas.ts) instead of a chart. */
  readonly boundary?: BoundaryDrawing;
}

export { COLORS, fmt } from './view-format.ts';

/**
 * The cell texts of a view's number table: the header, then one row per x (its row label, then each
 * series' value). The build-time table and the page's script both render these, so they agree; each
 * column is formatted as one (`columnFmt`).
 */
export function tableCells(d: ViewData): { head: string[]; rows: string[][] } {
  const xf = columnFmt(d.x);
  const sf = d.series.map((s) => columnFmt(s.values));
  return {
    head: [d.xLabel, ...d.series.map((s) => s.label)],
    rows: d.x.map((x, i) => [d.rowLabels?.[i] ?? xf(x), ...d.series.map((s, j) => sf[j](s.values[i]))]),
  };
}

const pct = (v: Num | undefined) => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)}\u00a0%`);

const METRIC = {
  deltaNorm: { label: '‖δ_l‖ = ‖∂L/∂z_l‖', word: '‖δ‖ (the back-propagated error)' },
  gradNorm: { label: '‖∂L/∂W_l‖', word: '‖∂L/∂W‖ (the weight gradient)' },
  updateRatio: { label: '‖ΔW_l‖/‖W_l‖', word: 'the update/weight ratio ‖ΔW‖/‖W‖' },
  preactivationStd: { label: 'std of z_l', word: 'the standard deviation of the pre-activations z' },
} as const;

const STEP_METRIC = {
  loss: 'loss',
  deltaFirst: '‖δ‖ first hidden layer',
  deltaLast: '‖δ‖ last hidden layer',
  dead: 'dead units (fraction)',
  inactive: 'units with z ≤ 0 on every row (fraction)',
  updateRatio: '‖ΔW‖/‖W‖ first layer',
  timeRatio: '‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ (recurrent layer)',
  baseline: 'loss of always predicting the mean target',
  ...EXTRA_STEP_METRICS,
} as const;

/** Which norm each per-step series with a ‖·‖ shows: every widget says it (the layer views' captions do too). */
const DELTA_NORM = '‖δ‖ is the Frobenius norm over the batch';
const STEP_NORM: Partial<Record<keyof typeof STEP_METRIC, string>> = {
  deltaFirst: DELTA_NORM,
  deltaLast: DELTA_NORM,
  updateRatio: '‖ΔW‖/‖W‖ uses the Frobenius norms of the update and of the weights',
  timeRatio: '‖∂L/∂h_t‖ is the Frobenius norm over the batch',
  gradNorm: '‖g‖ is the Euclidean norm of every parameter gradient as one vector',
  weightNorm: '‖W‖ is the Euclidean norm of every weight as one vector',
};

/** A training run's per-step numbers: the train job's, or the playground's (the same run, drawn the same way). */
type StepsResult = Omit<TrainResult, 'kind'>;

/** A per-step series of a training result; the recurrent-only ones are empty for other runs. */
function stepValues(r: StepsResult, m: keyof typeof STEP_METRIC): Num[] {
  if (m === 'baseline') return r.loss.map(() => r.baseline ?? null);
  if (m === 'timeRatio') return r.timeRatio ?? r.loss.map(() => null);
  return r[m];
}

function layersView(v: Extract<ViewDef, { type: 'layers' }>, r: ProbeResult | HistogramResult): ViewData {
  const values = r[v.metric];
  const x = values.map((_, i) => i + 1);
  const series: Series[] = [{ label: `measured ${METRIC[v.metric].label}`, values, color: COLORS[0], points: true }];
  if (v.prediction && v.metric === 'deltaNorm' && r.predicted)
    series.push({ label: 'mean-field prediction', values: r.predicted, color: COLORS[1], dash: [6, 4] });
  if (v.metric === 'updateRatio') return updateRatioView(r, x, series);
  if (v.metric === 'preactivationStd') return forwardView(v, r, x, series);
  const ratio = v.metric === 'deltaNorm' ? r.ratio : r.gradRatio;
  let summary = `${METRIC[v.metric].word} at the first hidden layer is ${fmt(ratio)} × that at the last hidden layer`;
  summary +=
    v.metric === 'deltaNorm' && r.predictedRatio !== null
      ? ` (mean-field prediction: ${fmt(r.predictedRatio)} ×).`
      : '.';
  if (v.findings !== false && r.findings.length) summary += ` Findings: ${r.findings.join(', ')}.`;
  return {
    x,
    xLabel: `layer (1 = first hidden, ${x.length} = output)`,
    yLabel: METRIC[v.metric].label,
    log: true,
    series,
    summary,
    // δ has one row per example, so its norm runs over the batch; ∂L/∂W is already summed over it.
    caption: `${METRIC[v.metric].label} per layer, ${v.metric === 'gradNorm' ? 'Frobenius norm of the weight gradient (a sum over the batch)' : 'Frobenius norm over the batch'}, log scale${series.length > 1 ? '; dashed: mean-field prediction' : ''}.`,
  };
}

/** The forward pass: std of z per layer, with the mean-field √q_l when asked and applicable. */
function forwardView(
  v: Extract<ViewDef, { type: 'layers' }>,
  r: ProbeResult | HistogramResult,
  x: number[],
  series: Series[],
): ViewData {
  const s = r.preactivationStd;
  if (v.prediction && r.predictedStd)
    series.push({ label: 'mean-field prediction √q_l', values: r.predictedStd, color: COLORS[1], dash: [6, 4] });
  const last = s.length - 2;
  let summary = `The standard deviation of the pre-activations z is ${fmt(s[0])} at the first hidden layer and ${fmt(s[last])} at the last hidden layer`;
  summary += r.predictedStd
    ? ` (mean-field prediction: ${fmt(r.predictedStd[0])} and ${fmt(r.predictedStd[last])}).`
    : '.';
  if (r.findings.length) summary += ` Findings: ${r.findings.join(', ')}.`;
  return {
    x,
    xLabel: `layer (1 = first hidden, ${x.length} = output)`,
    yLabel: METRIC.preactivationStd.label,
    log: true,
    series,
    summary,
    caption: `Standard deviation of the pre-activations z_l per layer over the batch and the units (the forward pass), log scale${series.length > 1 ? '; dashed: mean-field prediction √q_l' : ''}.`,
  };
}

/** Per-layer ‖ΔW‖/‖W‖ of the measured step, read against CS231n's rule of thumb of about 1e-3. */
function updateRatioView(r: ProbeResult | HistogramResult, x: number[], series: Series[]): ViewData {
  const u = r.updateRatio;
  const last = u.length - 2;
  return {
    x,
    xLabel: `layer (1 = first hidden, ${x.length} = output)`,
    yLabel: METRIC.updateRatio.label,
    log: true,
    series,
    summary: `The update/weight ratio ‖ΔW‖/‖W‖ of this step is ${fmt(u[0])} at the first hidden layer and ${fmt(u[last])} at the last hidden layer (rule of thumb: about 1e-3).`,
    caption: `${METRIC.updateRatio.label} per layer for one optimizer step (Frobenius norms of the actual update and of the weights), log scale.`,
  };
}

function fractionView(v: Extract<ViewDef, { type: 'fraction' }>, r: ProbeResult | HistogramResult): ViewData {
  const values = r[v.metric].slice(0, -1);
  const word = v.metric === 'dead' ? 'dead units (f′ = 0 on every row)' : 'saturated units (|f′| < 1 % of its maximum)';
  return {
    x: values.map((_, i) => i + 1),
    xLabel: 'hidden layer',
    yLabel: v.metric === 'dead' ? 'dead fraction' : 'saturated fraction',
    log: false,
    series: [{ label: word, values, color: COLORS[2], points: true }],
    summary: `${word}: ${pct(values[0])} at the first hidden layer, ${pct(values[values.length - 1])} at the last.`,
    caption: `Fraction of ${word} per hidden layer.`,
  };
}

function histogramView(r: HistogramResult, layer: number): ViewData {
  const l = Math.min(Math.max(1, layer), r.hist.counts.length);
  const counts = r.hist.counts[l - 1];
  const bins = counts.length;
  const w = (r.hist.hi - r.hist.lo) / bins;
  const x = counts.map((_, i) => r.hist.lo + (i + 0.5) * w);
  const total = counts.reduce((a, b) => a + b, 0);
  const peak = Math.max(...counts, 1);
  const maxD = Math.max(...r.derivative.map(Math.abs), Number.MIN_VALUE);
  return {
    x,
    xLabel: 'pre-activation z',
    yLabel: 'share of z (bars) · f′(z)/max f′ (line)',
    log: false,
    series: [
      {
        label: `z at hidden layer ${l} (scaled to its peak)`,
        values: counts.map((c) => c / peak),
        color: COLORS[0],
        bars: true,
      },
      { label: 'f′(z) / max f′', values: r.derivative.map((d) => d / maxD), color: COLORS[1], dash: [6, 4] },
    ],
    summary: `Hidden layer ${l}: std of z is ${fmt(r.preactivationStd[l - 1])}; ${pct(r.saturation[l - 1])} of its units × rows are saturated; ${inside(total, r.hist.sizes[l - 1])} the chart's range [${r.hist.lo}, ${r.hist.hi}].`,
    caption: `Histogram of the pre-activations z at hidden layer ${l}, over the activation's derivative f′(z) (both scaled to 1).`,
  };
}

function stepsView(v: Extract<ViewDef, { type: 'steps' }>, r: StepsResult): ViewData {
  const n = r.loss.length;
  const x = Array.from({ length: n }, (_, i) => i);
  const series = v.metrics.map((m, i) => ({
    label: STEP_METRIC[m],
    values: stepValues(r, m),
    color: COLORS[i],
    dash: i ? [6, 4] : undefined,
  }));
  // One clause per series: a screen reader hears every line the chart draws, not only the first.
  // A dash is right in a table cell but reads as nothing in a sentence: say what the value is.
  const words = (v: Num | undefined) => (v === null ? 'a value that is not finite (Infinity or NaN)' : fmt(v));
  // A series that never moves (the mean-prediction baseline) "stayed at" its value: "went from 0.166 to 0.166" reads as a typo.
  // Each moving series says where it ended: "…; baseline stayed at 0.166 at step 299" would pin the
  // step on the series that did not move.
  const at = `at step ${n - 1} of ${r.totalSteps}`;
  const still = (s: (typeof series)[number]) => s.values.every((x) => Object.is(x, s.values[0]));
  const clauses = series.map((s) =>
    still(s)
      ? `${s.label} stayed at ${words(s.values[0])}`
      : `${s.label} went from ${words(s.values[0])} at step 0 to ${words(s.values[n - 1])} ${at}`,
  );
  let summary = series.every(still) ? `${clauses.join('; ')} ${at}.` : `${clauses.join('; ')}.`;
  if (r.baseline !== undefined && r.evalLoss != null)
    summary += ` After the last step the loss on all training rows is ${fmt(r.evalLoss)}, against ${fmt(r.baseline)} for always predicting the mean.`;
  // Batch norm with evalLoss 'on': the number `gradlab run` prints as "train loss" (page 10 quotes it).
  else if (r.evalLoss != null)
    summary += ` After the last update the loss on all training rows in evaluation mode is ${fmt(r.evalLoss)}, what the terminal command gradlab run prints as "train loss".`;
  if (r.phases) summary += ` The run switched to its second setting at step ${r.phases.switchStep}.`;
  if (r.stopped) summary += ` The non-finite sentinel stopped the run: ${r.stopped.message}`;
  return {
    x,
    xLabel: 'step',
    yLabel: v.metrics.map((m) => STEP_METRIC[m]).join(', '),
    log: v.log,
    series,
    summary,
    caption: `${v.metrics.map((m) => STEP_METRIC[m]).join(' and ')} over the training steps${v.log ? ', log scale' : ''}.${[
      ...new Set(v.metrics.map((m) => STEP_NORM[m]).filter((n) => n !== undefined)),
    ]
      .map((n) => ` ${n[0].toUpperCase()}${n.slice(1)}.`)
      .join('')}`,
  };
}

function clipView(r: ClipResult, rules: readonly ClipRule[]): ViewData {
  const x = r.thresholds.map((t) => Math.round(Math.log10(t) * 10) / 10);
  const i = r.thresholds.findIndex((t) => t >= 1e-3);
  const series: Series[] = rules.map((rule, k) => ({
    label: CLIP_RULES[rule].label,
    values: r[CLIP_RULES[rule].field],
    color: CLIP_RULES[rule].color,
    ...(k % 2 ? { dash: [6, 4] } : { points: true }),
  }));
  series.push({
    label: 'entries changed by value clipping (fraction)',
    values: r.clippedFraction,
    color: COLORS[2],
    dash: [2, 3],
  });
  const others = rules
    .filter((rule) => rule !== 'value')
    .map((rule) => `${CLIP_RULES[rule].short} ${fmt(r[CLIP_RULES[rule].field][i])}`)
    .join(', ');
  return {
    x,
    xLabel: 'log₁₀ threshold',
    yLabel: 'cosine with the raw gradient',
    log: false,
    series,
    summary: `The raw gradient has norm ${fmt(r.preNorm)}. Clipping each entry to ±${fmt(r.thresholds[i])} changes ${pct(r.clippedFraction[i])} of the entries and leaves a cosine of ${fmt(r.cosValue[i])} with the raw direction; the other rules at the same threshold leave: ${others}.`,
    caption: 'Cosine between the raw and the clipped gradient (all parameters as one vector) against the threshold.',
  };
}

export function viewData(v: ViewDef, r: JobResult, s: Setting): ViewData {
  if (v.type === 'boundary') {
    if (r.kind !== 'playground') throw new TypeError('a boundary view needs a playground job');
    return boundaryView(r);
  }
  if (r.kind === 'playground') {
    // The playground is a training run (steps views) with the probes' per-layer dashboard (probe views).
    if (v.type === 'steps') return stepsView(v, r);
    if (v.type === 'layers' || v.type === 'fraction') return viewData(v, r.dashboard, s);
    throw new TypeError(`a ${v.type} view does not go with a playground job`);
  }
  if (v.type === 'gradcheck' || v.type === 'sanity' || v.type === 'doctor') {
    if (v.type === 'gradcheck' && r.kind === 'gradcheck') return gradcheckView(r, v.scale === true);
    if (v.type === 'sanity' && r.kind === 'sanity') return sanityView(r);
    if (v.type === 'doctor' && r.kind === 'doctor') return doctorView(r);
    throw new TypeError(`a ${v.type} view goes with a ${v.type} job`);
  }
  if (r.kind === 'gradcheck' || r.kind === 'sanity' || r.kind === 'doctor')
    throw new TypeError(`a ${r.kind} job goes with a ${r.kind} view`);
  if (v.type === 'time' || r.kind === 'rnn-time') {
    if (v.type !== 'time' || r.kind !== 'rnn-time') throw new TypeError('a time view goes with an rnn-time job');
    return timeView(r, v.findings !== false);
  }
  if (v.type === 'clip') {
    if (r.kind !== 'clip') throw new TypeError('a clip view needs a clip job');
    return clipView(r, v.rules ?? ['value', 'global-norm']);
  }
  if (r.kind === 'clip') throw new TypeError(`a ${v.type} view needs a probe or histogram job`);
  if (v.type === 'steps') {
    if (r.kind !== 'train') throw new TypeError('a steps view needs a train job');
    return stepsView(v, r);
  }
  if (isTrainExtraView(v)) {
    if (r.kind !== 'train') throw new TypeError(`a ${v.type} view needs a train job`);
    return trainExtraView(v, r, s);
  }
  if (r.kind === 'train') throw new TypeError(`a ${v.type} view needs a probe or histogram job`);
  if (v.type === 'histogram') {
    if (r.kind !== 'histogram') throw new TypeError('a histogram view needs a histogram job');
    return histogramView(r, typeof s.layer === 'number' ? s.layer : 1);
  }
  return v.type === 'layers' ? layersView(v, r) : fractionView(v, r);
}

/** The numbers the browser tests compare with Node, bit for bit (shortest round-trip JSON). */
export function primaryNumbers(r: JobResult): Record<string, unknown> {
  if (r.kind === 'playground')
    return {
      loss: r.loss,
      deltaLayersLast: r.deltaLayersLast,
      dead: r.dead,
      stopped: r.stopped?.step ?? null,
      accuracy: r.accuracy,
      label: r.boundary.label,
      confidence: r.boundary.confidence,
      deltaNorm: r.dashboard.deltaNorm,
      gradNorm: r.dashboard.gradNorm,
      updateRatio: r.dashboard.updateRatio,
      deadLayers: r.dashboard.dead,
      saturation: r.dashboard.saturation,
      advice: r.advice.join('\n'),
    };
  if (r.kind === 'rnn-time') return { timeNorms: r.timeNorms, ratio: r.ratio, findings: r.findings };
  if (r.kind === 'gradcheck')
    return { relError: r.relError, absError: r.absError, gradMagnitude: r.gradMagnitude, loss: r.loss };
  if (r.kind === 'sanity') return { loss: r.loss };
  if (r.kind === 'doctor')
    return {
      findings: r.findings.map((f) => f.code),
      fixes: r.fixes.map((f) => [f.change, f.before, f.after, f.cleared]),
    };
  if (r.kind === 'train')
    return {
      loss: r.loss,
      deltaFirst: r.deltaFirst,
      dead: r.dead,
      inactive: r.inactive,
      stopped: r.stopped?.step ?? null,
      ...(r.timeRatio && { timeRatio: r.timeRatio, evalLoss: r.evalLoss ?? null }),
      gradNorm: r.gradNorm,
      clipRate: r.clipRate,
      weightNorm: r.weightNorm,
      zeroWeights: r.zeroWeights,
      deltaLayersFirst: r.deltaLayersFirst,
      gradWLayersFirst: r.gradWLayersFirst,
      bnEvalLoss: r.bnEvalLoss,
    };
  if (r.kind === 'clip')
    return {
      cosValue: r.cosValue,
      cosNorm: r.cosNorm,
      cosTensor: r.cosTensor,
      cosAdaptive: r.cosAdaptive,
      clippedFraction: r.clippedFraction,
    };
  // The mean-field prediction is left out: its Gauss–Hermite weights call the platform's Math.exp
  // (packages/probes/src/quadrature.ts), so Node and Chromium may differ in the last bit; the tests
  // compare it with a relative tolerance of 1e-12 instead (predictedNumbers).
  const base = {
    deltaNorm: r.deltaNorm,
    gradNorm: r.gradNorm,
    saturation: r.saturation,
    dead: r.dead,
    updateRatio: r.updateRatio,
    preactivationStd: r.preactivationStd,
  };
  return r.kind === 'histogram' ? { ...base, counts: r.hist.counts } : base;
}

/** The mean-field prediction shown, for a tolerance comparison (see primaryNumbers). */
export const predictedNumbers = (r: JobResult): Num[] | null =>
  r.kind === 'probe' || r.kind === 'histogram' ? r.predicted : null;

/** How many of a layer's `size` values the histogram shows, in words: "all 2048 of its values fall inside" when none is left out. */
const inside = (shown: number, size: number) =>
  shown === size ? `all ${size} of its values fall inside` : `${shown} of its ${size} values fall inside`;
