/**
 * Per-step measurements of a training run that part 2's pages read (clipping, L1/L2, normalization and
 * residual paths), recorded from the engine's step trace beside the basics of jobs.ts:
 * - `gradNorm`: ‖g‖₂ of every parameter gradient as one vector, as it entered the clipping rules
 *   (the data gradient plus any regularizer's, before clipping);
 * - `clipRate`: the clipping rule's `clippedFraction` (value: entries, norm: tensors, global norm: 0 or
 *   1, AGC: units); 0 without clipping;
 * - `weightNorm`: ‖W‖₂ of every weight tensor (role weight/recurrent, not biases or batch-norm γ/β) as
 *   one vector after the step; `weightNormInit` the same before the first step;
 * - `zeroWeights`: fraction of those weight entries that are exactly 0 after the step;
 * - `deltaLayersFirst` / `deltaLayersLast`: ‖δ_l‖ = ‖∂L/∂z_l‖_F per hidden layer at the first and the
 *   latest step (with batch norm, at the batch-norm layers, where the activation sits);
 * - `stepsDone`: steps completed, for prose that says where the sentinel stopped a run;
 * - `gradWLayersFirst`: ‖∂L/∂W_l‖_F per hidden dense layer at the first step (batch norm's scale
 *   invariance: scaling W by a divides it by a);
 * - `bnEvalLoss` (batch norm, and only when the setting asks with `evalLoss: 'on'`: it costs one more
 *   forward pass per step): before each step, the loss on the same training rows in evaluation
 *   mode, i.e. with the running statistics instead of the batch's. `loss[t]` is the training-mode loss
 *   at the same weights and rows (the canonical run is full-batch), so the two differ only in the
 *   statistics used. Evaluation changes no state: the run's numbers are those of `gradlab run`.
 */

import type { Session } from '@gradlab/core';
import type { LayerTrace, ParamSlot, StepTrace } from '@gradlab/plugin-api';
import { frobenius } from '@gradlab/probes';
import type { Num } from './protocol.ts';

export interface TrainExtras {
  readonly gradNorm: Num[];
  readonly clipRate: Num[];
  readonly weightNorm: Num[];
  readonly weightNormInit: Num;
  readonly zeroWeights: Num[];
  readonly deltaLayersFirst: Num[];
  readonly deltaLayersLast: Num[];
  /** Steps completed (fewer than asked when the non-finite sentinel stopped the run). */
  readonly stepsDone: number;
  /** ‖∂L/∂W_l‖_F per hidden dense layer at the first step. */
  readonly gradWLayersFirst: Num[];
  /** With batch norm and `evalLoss: 'on'`: the loss on the training rows in evaluation mode (running statistics) at each step's weights; else []. */
  readonly bnEvalLoss: Num[];
}

const num = (v: number): Num => (Number.isFinite(v) ? v : null);
const isWeight = (p: ParamSlot) => p.role === 'weight' || p.role === 'recurrent';

/**
 * ‖·‖₂ of several tensors as one vector, as the grad-norms probe takes its global norm (`gradlab run
 * --probes grad-norms` prints the same bits): each tensor's Frobenius norm, then their hypot. Both stay
 * finite where Σx² overflows (entries above ~1e154 in an exploding run) while the norm does not.
 */
function normOfAll(xs: readonly Float64Array[]): number {
  return Math.hypot(...xs.map(frobenius));
}

/** The hidden layers of a trace: the batch-norm layers when there are any, else every layer but the output. */
export function hiddenLayers(trace: StepTrace): LayerTrace[] {
  const all = trace.layers.slice(0, -1);
  return all.some((l) => l.type === 'batchnorm') ? all.filter((l) => l.type === 'batchnorm') : all;
}

export function createTrainExtras(initialParams: readonly ParamSlot[], options: { readonly evalLoss: boolean }) {
  const weightNormInit = num(normOfAll(initialParams.filter(isWeight).map((p) => p.value)));
  const rec = {
    gradNorm: [] as Num[],
    clipRate: [] as Num[],
    weightNorm: [] as Num[],
    zeroWeights: [] as Num[],
  };
  let first: Num[] = [];
  let latest: Num[] = [];
  let gradWFirst: Num[] = [];
  const bnEvalLoss: Num[] = [];
  return {
    /**
     * Records one step; `hidden` is hiddenLayers(trace), which the caller computed for its own numbers.
     * Returns ‖δ_l‖ per hidden layer at this step (the array it keeps as `deltaLayersLast`; not to be mutated).
     */
    onStep(trace: StepTrace, hidden: readonly LayerTrace[]): readonly Num[] {
      rec.gradNorm.push(num(normOfAll(trace.grads)));
      const stats = trace.transforms[0]?.stats;
      rec.clipRate.push(stats ? num(stats.clippedFraction ?? 0) : 0);
      const weights = trace.params.filter(isWeight).map((p) => p.value);
      rec.weightNorm.push(num(normOfAll(weights)));
      let zeros = 0;
      let total = 0;
      for (const w of weights) {
        total += w.length;
        for (let i = 0; i < w.length; i++) if (w[i] === 0) zeros++;
      }
      rec.zeroWeights.push(total ? zeros / total : null);
      // The grad-norms probe's ‖δ_l‖ and ‖∂L/∂W_l‖ (frobenius): finite where Σx² overflows.
      latest = hidden.map((l) => num(frobenius(l.delta)));
      if (!first.length) {
        first = latest;
        const dense = trace.layers.slice(0, -1).filter((l) => l.type === 'dense');
        gradWFirst = dense.map((l) => num(frobenius(l.gradW)));
      }
      return latest;
    },
    /** Before each step (not inside it: evaluation runs its own forward pass). */
    beforeStep(session: Session): void {
      if (options.evalLoss && session.model.layers.some((l) => l.type === 'batchnorm'))
        bnEvalLoss.push(num(session.evaluate('train').loss));
    },
    snapshot(): TrainExtras {
      return {
        gradNorm: rec.gradNorm.slice(),
        clipRate: rec.clipRate.slice(),
        weightNorm: rec.weightNorm.slice(),
        weightNormInit,
        zeroWeights: rec.zeroWeights.slice(),
        deltaLayersFirst: first.slice(),
        deltaLayersLast: latest.slice(),
        stepsDone: rec.gradNorm.length,
        gradWLayersFirst: gradWFirst.slice(),
        bnEvalLoss: bnEvalLoss.slice(),
      };
    },
  };
}
