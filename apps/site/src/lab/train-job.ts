/**
 * The training job: a run that advances in slices, so the worker can stream progress and honour
 * cancel/pause. In a module of its own so the worker's training chunk holds what training needs and not
 * every other job (worker-jobs.ts, decision 0043); jobs.ts re-exports it for the build and Node.
 */
import { createSession, type ExperimentSpec, norm2, type Registry } from '@gradlab/core';
import type { Probe, StepTrace } from '@gradlab/plugin-api';
import { meanPredictorLoss } from './adding-task.ts';
import type { Num, Setting, TrainResult } from './protocol.ts';
import { createTrainExtras, hiddenLayers } from './train-extras.ts';
import { trainPhases } from './train-phases.ts';
import { trainSpec } from './train-spec.ts';

// A finite number or null (JSON has no NaN/±Infinity); null and undefined give null too.
const num = (v: number | null | undefined): Num => (Number.isFinite(v) ? (v as number) : null);

/** A training run that advances in slices, so the worker can stream progress and honour cancel/pause. */
export function startTraining(registry: Registry, s: Setting, given?: ExperimentSpec) {
  // Two phases when the setting asks for them (train-phases.ts): phase 2 starts from phase 1's weights.
  // `given`: another job's spec instead of the canonical net's (the playground, playground-job.ts).
  const phases = trainPhases(registry, s);
  const spec = given ?? trainSpec(registry, phases.first);
  const rec = {
    loss: [] as Num[],
    deltaFirst: [] as Num[],
    deltaLast: [] as Num[],
    dead: [] as Num[],
    inactive: [] as Num[],
    updateRatio: [] as Num[],
    timeRatio: [] as Num[],
  };
  // W before the step (W − ΔW) of the first layer, for the update ratio: one buffer for the whole run
  // instead of a width × width array per step.
  let before = new Float64Array(0);
  const capture: Probe = {
    id: 'site-train-trace',
    options: {},
    needs: ['updates'],
    onStep(trace: StepTrace) {
      // With batch norm the activation sits on the batchnorm layers (the dense ones are linear).
      const hidden = hiddenLayers(trace);
      rec.loss.push(num(trace.loss));
      // ‖δ_l‖ per hidden layer is computed once a step (train-extras.ts); the first and last are read here.
      const deltas = extras.onStep(trace, hidden);
      rec.deltaFirst.push(deltas[0]);
      rec.deltaLast.push(deltas[deltas.length - 1]);
      let dead = 0;
      let inactive = 0;
      let units = 0;
      for (const l of hidden) {
        units += l.units;
        for (let u = 0; u < l.units; u++) {
          let zero = true;
          for (let r = 0; r < l.rows && zero; r++) zero = l.dadz[r * l.units + u] === 0;
          if (zero) dead++;
          // z ≤ 0 on every row: the same as dead for ReLU; for leaky ReLU (f′ = α there) it says
          // whether a unit is still off, which is what "revived" is measured by.
          let off = true;
          for (let r = 0; r < l.rows && off; r++) off = l.z[r * l.units + u] <= 0;
          if (off) inactive++;
        }
      }
      rec.dead.push(dead / units);
      rec.inactive.push(inactive / units);
      const first = trace.layers[0];
      // The trace holds W after the step; the ratio is to W before it (W − ΔW), as the update-ratio probe's.
      const dW = first.updateW;
      if (dW) {
        if (before.length !== first.W.length) before = new Float64Array(first.W.length);
        for (let i = 0; i < before.length; i++) before[i] = first.W[i] - dW[i];
      }
      // ‖·‖_F: core's norm2 is the square root of the sum of squares (rescaled at extreme scales).
      rec.updateRatio.push(dW ? num(norm2(dW) / norm2(before)) : null);
      // A recurrent first layer: ‖∂L/∂h_t‖ at the first back-propagated step over the last (as grad-norms).
      const times = first.timeDeltaNorms;
      if (times) {
        const t0 = times.findIndex((v) => v !== 0);
        rec.timeRatio.push(t0 < 0 ? null : num(times[t0] / times[times.length - 1]));
      }
    },
    report: () => null,
  };
  let session = createSession(spec, { registry, probes: [capture] });
  const extras = createTrainExtras(session.model.params, { evalLoss: s.evalLoss === 'on' });
  const firstSteps = session.totalSteps;
  const secondSpec = phases.second && trainSpec(registry, phases.second);
  const totalSteps = firstSteps + (secondSpec ? (secondSpec.train.steps ?? 0) : 0);
  let switched = false;
  let stopped: TrainResult['stopped'] = null;
  const recurrent = spec.model.layers[0]?.type === 'rnn';
  const baseline = recurrent ? meanPredictorLoss(session.trainData.y) : undefined;
  // What `gradlab run` prints as "train loss": every training row, evaluation mode, after the last
  // update. Recurrent runs read it against the baseline; batch-norm runs that ask (evalLoss 'on')
  // quote it, so a page's number is the terminal's.
  const wantsEval = recurrent || s.evalLoss === 'on';
  let evalLoss: Num | undefined;
  const snapshot = (): TrainResult => ({
    kind: 'train',
    loss: rec.loss.slice(),
    deltaFirst: rec.deltaFirst.slice(),
    deltaLast: rec.deltaLast.slice(),
    dead: rec.dead.slice(),
    inactive: rec.inactive.slice(),
    updateRatio: rec.updateRatio.slice(),
    ...extras.snapshot(),
    totalSteps,
    stopped,
    findings: session.findings.map((f) => f.code),
    spec,
    ...(secondSpec && { phases: { switchStep: firstSteps, spec2: secondSpec } }),
    ...(recurrent && { timeRatio: rec.timeRatio.slice(), baseline }),
    ...(evalLoss !== undefined && { evalLoss }),
  });
  return {
    /** The first phase's session: the playground (one phase) evaluates its model between slices. */
    session,
    get done() {
      return stopped !== null || (session.stepCount >= session.totalSteps && (switched || !secondSpec));
    },
    /** Steps until `budgetMs` has passed (at least one), the end, or a stop. */
    advance(budgetMs: number, now: () => number = () => performance.now()): void {
      const t0 = now();
      do {
        if (secondSpec && !switched && session.stepCount >= session.totalSteps) {
          session = createSession(secondSpec, { registry, probes: [capture], weights: session.model });
          switched = true;
        }
        extras.beforeStep(session);
        const r = session.step();
        if (r.stopped) stopped = { step: (switched ? firstSteps : 0) + r.stopped.step, message: r.stopped.message };
      } while (!this.done && now() - t0 < budgetMs);
      if (wantsEval && this.done && evalLoss === undefined) evalLoss = num(session.evaluate('train').loss);
    },
    snapshot,
    /** Runs to the end (Node, build time). */
    finish(): TrainResult {
      while (!this.done) this.advance(Number.POSITIVE_INFINITY);
      return snapshot();
    },
  };
}
