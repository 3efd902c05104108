/** The records of `grad-norms`: one step's per-layer norms and first/last ratios. */
import type { LayerInfo } from './layer-info.ts';
import type { Num } from './report-numbers.ts';

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
