/** The measurement behind `grad-norms`: one step's per-layer norms and first/last ratios. */
import type { StepTrace } from '@gradlab/plugin-api';
import { frobenius, type LayerInfo, type Num, num } from './util.ts';

/** One step of `grad-norms`; arrays are indexed by layer, `null` marks a non-finite value. */
export interface GradNormsRecord {
  readonly step: number;
  readonly loss: Num;
  /** ‖∂L/∂z_l‖_F over the batch (and time steps, for rnn layers). */
  readonly deltaNorm: Num[];
  /** ‖∂L/∂W_l‖_F of the main weight (rnn: input weight, batchnorm: γ). */
  readonly gradNorm: Num[];
  readonly biasGradNorm: Num[];
  /** ‖∂L/∂W_h‖_F for rnn layers, null for others; present only when the net has an rnn layer. */
  readonly recurrentGradNorm?: Num[];
  /** √(Σ over every parameter tensor of ‖grad‖²), as the gradients entered the transforms. */
  readonly globalNorm: Num;
  /** x[first]/x[last] over the span (see report.first, report.last). */
  readonly ratios: { readonly delta: Num; readonly grad: Num; readonly biasGrad: Num };
  /** ‖∂L/∂h_t‖ for t = 0 … T−1, per rnn layer. */
  readonly timeDeltaNorms?: { readonly layer: number; readonly norms: Num[] }[];
}

export interface GradNormsReport {
  readonly span: 'hidden' | 'all';
  readonly first: number;
  readonly last: number;
  readonly layers: LayerInfo[];
  readonly history: GradNormsRecord[];
}

const ratio = (a: number, b: number) => num(a / b);

/** Norms of one step; `delta` and `global` are returned raw (non-finite kept) for the verdicts. */
export function measureNorms(
  trace: StepTrace,
  first: number,
  last: number,
): { record: GradNormsRecord; delta: number[]; global: number } {
  const ls = trace.layers;
  const delta = ls.map((l) => frobenius(l.delta));
  const norms = trace.grads.map(frobenius);
  const normOf = (g: Float64Array) => {
    const i = trace.grads.indexOf(g);
    return i < 0 ? frobenius(g) : norms[i];
  };
  const grad = ls.map((l) => normOf(l.gradW));
  const bias = ls.map((l) => normOf(l.gradB));
  const global = Math.hypot(...norms);
  const record: GradNormsRecord = {
    step: trace.step,
    loss: num(trace.loss),
    deltaNorm: delta.map(num),
    gradNorm: grad.map(num),
    biasGradNorm: bias.map(num),
    ...(ls.some((l) => l.Wh) && {
      recurrentGradNorm: ls.map((l) => (l.gradWh ? num(normOf(l.gradWh)) : null)),
    }),
    globalNorm: num(global),
    ratios: {
      delta: ratio(delta[first], delta[last]),
      grad: ratio(grad[first], grad[last]),
      biasGrad: ratio(bias[first], bias[last]),
    },
    ...(ls.some((l) => l.timeDeltaNorms) && {
      timeDeltaNorms: ls.flatMap((l) =>
        l.timeDeltaNorms ? [{ layer: l.index, norms: Array.from(l.timeDeltaNorms, num) }] : [],
      ),
    }),
  };
  return { record, delta, global };
}
