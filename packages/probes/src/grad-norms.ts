import { defineProbe, type Finding, type LayerTrace, type StepTrace } from '@gradlab/plugin-api';
import { finding, NO_FINDINGS, Persistence } from './alarms.ts';
import { HINTS, SATURATING } from './hints.ts';
import { History } from './history.ts';
import { type LayerInfo, layerInfo, ratioSpan } from './layer-info.ts';
import type { GradNormsRecord, GradNormsReport } from './norms.ts';
import { patienceOption, windowOption } from './probe-options.ts';
import { fmt, type Num, num } from './report-numbers.ts';
import { type StepStats, stepStats } from './step-stats.ts';

const options = {
  span: {
    type: 'enum',
    values: ['hidden', 'all'],
    default: 'hidden',
    description: "Layers the first/last ratios span: 'hidden' stops before the output layer, 'all' includes it.",
  },
  vanishing: {
    type: 'number',
    default: 1e-3,
    min: 0,
    max: 1,
    description: 'VANISHING_GRADIENTS when ‖δ_first‖/‖δ_last‖ is below this.',
  },
  exploding: {
    type: 'number',
    default: 10,
    min: 1,
    description: 'EXPLODING_GRADIENTS when ‖δ_first‖/‖δ_last‖ is above this.',
  },
  maxGlobalNorm: {
    type: 'number',
    default: 1e3,
    min: 0,
    description: 'EXPLODING_GRADIENTS also when the global gradient norm is above this.',
  },
  patience: patienceOption(1),
  window: windowOption,
} as const;

/**
 * `grad-norms`: per-layer ‖δ‖, ‖∂L/∂W‖ and ‖∂L/∂b‖, the global norm and first/last ratios.
 * Verdicts use the δ ratio, not the ‖∂L/∂W‖ ratio: ∂L/∂W_l = a_{l−1}ᵀδ_l also scales with the
 * incoming activations, which can hide a vanishing δ.
 */
export default defineProbe({
  meta: {
    id: 'grad-norms',
    title: 'Gradient norms',
    summary: 'Per-layer norms of the back-propagated error and of the weight gradients, with first/last ratios.',
    emits: [
      'VANISHING_GRADIENTS',
      'EXPLODING_GRADIENTS',
      'NORMALIZATION_JUMP',
      'VANISHING_THROUGH_TIME',
      'EXPLODING_THROUGH_TIME',
    ],
    cost: 'per-sample',
    references: [
      {
        title: 'Glorot, Bengio (2010). Understanding the difficulty of training deep feedforward neural networks',
        url: 'https://proceedings.mlr.press/v9/glorot10a.html',
        year: 2010,
      },
    ],
  },
  options,
  create: (o) => {
    // Row: step, loss, globalNorm, then ‖δ‖, ‖∂L/∂W‖ and ‖∂L/∂b‖ per layer (raw: non-finite kept).
    const history = new History<RnnNorms>(o.window);
    const vanishing = new Persistence(o.patience);
    const exploding = new Persistence(o.patience);
    const jump = new Persistence(o.patience);
    const timeVanishing = new Persistence(o.patience);
    const timeExploding = new Persistence(o.patience);
    let layers: LayerInfo[] = [];
    let span = { first: 0, last: 0 };
    return {
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        const n = ls.length;
        if (history.width !== 3 + 3 * n) {
          layers = ls.map(layerInfo);
          span = ratioSpan(n, o.span);
          history.reset(3 + 3 * n);
        }
        const stats = stepStats(trace);
        const row = history.push();
        const d = history.data;
        const at = row * history.width;
        const global = stats.globalNorm();
        d[at] = trace.step;
        d[at + 1] = trace.loss;
        d[at + 2] = global;
        let rnn = false;
        for (let k = 0; k < n; k++) {
          d[at + 3 + k] = stats.deltaNorm(k);
          d[at + 3 + n + k] = stats.layerGradNorm(k, 0);
          d[at + 3 + 2 * n + k] = stats.layerGradNorm(k, 1);
          if (ls[k].Wh || ls[k].timeDeltaNorms) rnn = true;
        }
        history.extras[row] = rnn ? rnnNorms(ls, stats) : undefined;

        const { first, last } = span;
        const firstNorm = d[at + 3 + first];
        const lastNorm = d[at + 3 + last];
        const r = firstNorm / lastNorm;
        // Batch norm rescales δ by γ/σ_batch once, where δ enters it; that one jump is not a
        // per-layer trend, so the verdicts use the product of the other layer-to-layer factors.
        // Into a residual layer δ also flows on the identity path, so a factor up to 2 (identity
        // plus a critical branch) is expected there; only the excess counts.
        let jumps = 1;
        for (let l = first; l < last; l++) {
          const f = d[at + 3 + l] / d[at + 3 + l + 1];
          if (ls[l + 1].type === 'batchnorm') jumps *= f;
          else if (ls[l + 1].residual) jumps *= Math.min(2, Math.max(0.5, f));
        }
        const sustained = Number.isFinite(jumps) && jumps > 0 ? r / jumps : r;
        const judged = last > first && Number.isFinite(r);
        // A warning needs both ratios past the threshold: the raw one (what the first layers get) and
        // the one without the jumps (the trend). With batch norm after every layer the jumps are not
        // one-off: they undo the dense layers' shrink, so the trend alone called a net that trains
        // "vanishing" while its first layers got 98× the last one's ‖δ‖.
        const vanishes = judged && sustained < o.vanishing && r < o.vanishing;
        const k = last - first;
        const base = () => ({ ...evidence(r, span, firstNorm, lastNorm, global), sustainedRatio: sustained });
        let found: Finding[] | undefined;
        if (vanishing.update(vanishes)) {
          const saturating = layers.slice(first, last + 1).some((l) => SATURATING.has(l.activation));
          (found ??= []).push(
            finding({
              code: 'VANISHING_GRADIENTS',
              severity: 'warn',
              step: trace.step,
              layer: first,
              message: `‖δ‖ at layer ${first} is ${fmt(r)} × ‖δ‖ at layer ${last} (threshold ${fmt(o.vanishing)}): the error signal shrinks by a factor ${fmt(r ** (1 / k))} per layer over ${k} layers, so the first layers barely learn.`,
              hint: saturating ? HINTS.vanishingSaturating : HINTS.vanishing,
              evidence: { ...base(), threshold: o.vanishing, steps: vanishing.steps },
            }),
          );
        }
        const ratioHigh = judged && sustained > o.exploding && r > o.exploding;
        if (exploding.update(ratioHigh || global > o.maxGlobalNorm)) {
          const why = ratioHigh
            ? `‖δ‖ at layer ${first} is ${fmt(r)} × ‖δ‖ at layer ${last} (threshold ${fmt(o.exploding)}): the error signal grows by ${fmt(r ** (1 / k))} per layer`
            : `the global gradient norm is ${fmt(global)} (threshold ${fmt(o.maxGlobalNorm)})`;
          (found ??= []).push(
            finding({
              code: 'EXPLODING_GRADIENTS',
              severity: 'warn',
              step: trace.step,
              layer: first,
              message: `${why}; steps this large overshoot and can end in NaN.`,
              hint: trace.transforms.some((t) => t.id === 'global-norm') ? HINTS.explodingClipped : HINTS.exploding,
              evidence: { ...base(), threshold: o.exploding, maxGlobalNorm: o.maxGlobalNorm, steps: exploding.steps },
            }),
          );
        }
        const outside = (x: number) => x > o.exploding || x < o.vanishing;
        const jumpOnly = judged && jumps !== 1 && (outside(r) || outside(sustained)) && !ratioHigh && !vanishes;
        if (jump.update(jumpOnly)) {
          (found ??= []).push(
            finding({
              code: 'NORMALIZATION_JUMP',
              severity: 'info',
              step: trace.step,
              layer: first,
              message: `‖δ‖ at layer ${first} is ${fmt(r)} × ‖δ‖ at layer ${last}, but a factor ${fmt(jumps)} of that is where δ enters batch norm (which rescales it by γ/σ of the batch) or adds up along residual connections (up to 2× per block is the identity path plus a critical branch); ${
                outside(sustained)
                  ? `the layers in between alone give ${fmt(sustained)}, a trend the normalization undoes`
                  : `beyond that the factor is ${fmt(sustained)}`
              }: not a vanishing or exploding trend.`,
              evidence: { ...base(), normalizationFactor: jumps },
            }),
          );
        }
        for (let l = 0; l < n; l++) {
          const times = ls[l].timeDeltaNorms;
          if (!times || times.length < 2) continue;
          // Truncated steps are 0 by design: the ratio spans the back-propagated steps.
          let t0 = 0;
          while (t0 < times.length - 1 && times[t0] === 0) t0++;
          const tr = times[t0] / times[times.length - 1];
          const span = times.length - 1 - t0;
          if (span < 1 || !Number.isFinite(tr)) continue;
          const low = timeVanishing.update(tr < o.vanishing);
          const high = timeExploding.update(tr > o.exploding);
          if (!low && !high) continue;
          (found ??= []).push(
            finding({
              code: low ? 'VANISHING_THROUGH_TIME' : 'EXPLODING_THROUGH_TIME',
              severity: 'warn',
              step: trace.step,
              layer: ls[l].index,
              message: `‖∂L/∂h_t‖ at time step ${t0} is ${fmt(tr)} × its value at the last step ${times.length - 1} (threshold ${fmt(low ? o.vanishing : o.exploding)}): going back in time it ${low ? 'shrinks' : 'grows'} by ${fmt(tr ** (1 / span))} per step, so ${low ? 'early inputs barely affect the weight updates (long-range dependencies are not learned)' : 'the updates are dominated by the earliest inputs and can overflow'}.`,
              hint: low ? HINTS.timeVanishing : HINTS.timeExploding,
              evidence: {
                timeRatio: tr,
                firstTimeStep: t0,
                lastTimeStep: times.length - 1,
                threshold: low ? o.vanishing : o.exploding,
              },
            }),
          );
          break;
        }
        return found ?? NO_FINDINGS;
      },
      report: (): GradNormsReport => {
        const n = layers.length;
        const { first, last } = span;
        const records: GradNormsRecord[] = [];
        for (let i = 0; i < history.length; i++) {
          const row = history.row(i);
          const d = history.data;
          const at = row * history.width;
          const extra = history.extras[row];
          const ratio = (column: number) => num(d[at + column + first] / d[at + column + last]);
          records.push({
            step: d[at],
            loss: num(d[at + 1]),
            deltaNorm: history.nums(row, 3, n),
            gradNorm: history.nums(row, 3 + n, n),
            biasGradNorm: history.nums(row, 3 + 2 * n, n),
            ...(extra?.recurrentGradNorm && { recurrentGradNorm: extra.recurrentGradNorm }),
            globalNorm: num(d[at + 2]),
            ratios: { delta: ratio(3), grad: ratio(3 + n), biasGrad: ratio(3 + 2 * n) },
            ...(extra?.timeDeltaNorms && { timeDeltaNorms: extra.timeDeltaNorms }),
          });
        }
        return { span: o.span, ...span, layers, history: records };
      },
    };
  },
});

/** The numbers behind a grad-norms finding (built only when one fires). */
const evidence = (
  r: number,
  span: { first: number; last: number },
  firstNorm: number,
  lastNorm: number,
  global: number,
) => ({
  deltaRatio: r,
  firstLayer: span.first,
  lastLayer: span.last,
  firstDeltaNorm: firstNorm,
  lastDeltaNorm: lastNorm,
  globalNorm: global,
});

/** The fields only nets with an rnn layer have, kept as objects (copied: the trace's arrays are live). */
interface RnnNorms {
  readonly recurrentGradNorm?: Num[];
  readonly timeDeltaNorms?: { readonly layer: number; readonly norms: Num[] }[];
}

function rnnNorms(ls: readonly LayerTrace[], stats: StepStats): RnnNorms {
  return {
    ...(ls.some((l) => l.Wh) && {
      recurrentGradNorm: ls.map((l, k) => (l.gradWh ? num(stats.layerGradNorm(k, 2)) : null)),
    }),
    ...(ls.some((l) => l.timeDeltaNorms) && {
      timeDeltaNorms: ls.flatMap((l) =>
        l.timeDeltaNorms ? [{ layer: l.index, norms: Array.from(l.timeDeltaNorms, num) }] : [],
      ),
    }),
  };
}

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'grad-norms': typeof options;
  }
}
