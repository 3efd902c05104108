import { defineProbe, type Finding, type StepTrace } from '@gradlab/plugin-api';
import { HINTS, SATURATING } from './hints.ts';
import { type GradNormsRecord, type GradNormsReport, measureNorms } from './norms.ts';
import {
  finding,
  fmt,
  type LayerInfo,
  layerInfo,
  Persistence,
  patienceOption,
  ratioSpan,
  Window,
  windowOption,
} from './util.ts';

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
 * incoming activations, which can hide a vanishing δ (DESIGN.md §9).
 */
export default defineProbe({
  meta: {
    id: 'grad-norms',
    title: 'Gradient norms',
    summary: 'Per-layer norms of the back-propagated error and of the weight gradients, with first/last ratios.',
    emits: ['VANISHING_GRADIENTS', 'EXPLODING_GRADIENTS'],
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
    const history = new Window<GradNormsRecord>(o.window);
    const vanishing = new Persistence(o.patience);
    const exploding = new Persistence(o.patience);
    let layers: LayerInfo[] = [];
    let span = { first: 0, last: 0 };
    return {
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        if (layers.length !== ls.length) {
          layers = ls.map(layerInfo);
          span = ratioSpan(ls.length, o.span);
        }
        const { first, last } = span;
        const { record, delta, global } = measureNorms(trace, first, last);
        history.push(record);

        const found: Finding[] = [];
        const r = delta[first] / delta[last];
        const judged = last > first && Number.isFinite(r);
        const k = last - first;
        const evidence = {
          deltaRatio: r,
          firstLayer: first,
          lastLayer: last,
          firstDeltaNorm: delta[first],
          lastDeltaNorm: delta[last],
          globalNorm: global,
        };
        if (vanishing.update(judged && r < o.vanishing)) {
          const saturating = layers.slice(first, last + 1).some((l) => SATURATING.has(l.activation));
          found.push(
            finding({
              code: 'VANISHING_GRADIENTS',
              severity: 'warn',
              step: trace.step,
              layer: first,
              message: `‖δ‖ at layer ${first} is ${fmt(r)} × ‖δ‖ at layer ${last} (threshold ${fmt(o.vanishing)}): the error signal shrinks by a factor ${fmt(r ** (1 / k))} per layer over ${k} layers, so the first layers barely learn.`,
              hint: saturating ? HINTS.vanishingSaturating : HINTS.vanishing,
              evidence: { ...evidence, threshold: o.vanishing, steps: vanishing.steps },
            }),
          );
        }
        const ratioHigh = judged && r > o.exploding;
        if (exploding.update(ratioHigh || global > o.maxGlobalNorm)) {
          const why = ratioHigh
            ? `‖δ‖ at layer ${first} is ${fmt(r)} × ‖δ‖ at layer ${last} (threshold ${fmt(o.exploding)}): the error signal grows by ${fmt(r ** (1 / k))} per layer`
            : `the global gradient norm is ${fmt(global)} (threshold ${fmt(o.maxGlobalNorm)})`;
          found.push(
            finding({
              code: 'EXPLODING_GRADIENTS',
              severity: 'warn',
              step: trace.step,
              layer: first,
              message: `${why}; steps this large overshoot and can end in NaN.`,
              hint: HINTS.exploding,
              evidence: { ...evidence, threshold: o.exploding, maxGlobalNorm: o.maxGlobalNorm, steps: exploding.steps },
            }),
          );
        }
        return found;
      },
      report: (): GradNormsReport => ({ span: o.span, ...span, layers, history: history.toArray() }),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'grad-norms': typeof options;
  }
}
