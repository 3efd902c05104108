/**
 * The per-step training measurements (train-extras.ts) change nothing about the run: a training job
 * with batch norm, which evaluates between steps, gives the bits of a plain session on the same spec
 * (what `gradlab run` does); `bnEvalLoss[t]` is the loss with the running statistics at step t's weights.
 */
import { createSession } from '@gradlab/core';
import type { ParamSlot } from '@gradlab/plugin-api';
import { type GradNormsReport, gradNorms } from '@gradlab/probes';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { createJobs } from '../src/lab/jobs.ts';
import { createTrainExtras } from '../src/lab/train-extras.ts';
import { trainSpec } from '../src/lab/train-spec.ts';

const jobs = createJobs(buildRegistry);
const BN = {
  activation: 'relu',
  initializer: 'he',
  depth: 4,
  width: 16,
  batch: 32,
  seed: 2,
  gain: 1,
  optimizer: 'sgd',
  lr: 0.05,
  norm: 'batchnorm',
  trainSteps: 25,
  evalLoss: 'on',
};

describe('training extras', () => {
  it('a batch-norm run that evaluates between steps has the losses of a plain session on its spec', () => {
    const r = jobs.train(BN).finish();
    const session = createSession(trainSpec(buildRegistry, BN), { registry: buildRegistry });
    const plain: number[] = [];
    while (session.stepCount < session.totalSteps) plain.push(session.step().loss);
    expect(r.loss).toEqual(plain);
    expect(r.bnEvalLoss.length).toBe(25);
  });

  it('bnEvalLoss[t] is the evaluation-mode loss at step t’s weights, computed by a second session', () => {
    const r = jobs.train(BN).finish();
    const session = createSession(trainSpec(buildRegistry, BN), { registry: buildRegistry });
    for (let t = 0; t < 5; t++) session.step();
    expect(r.bnEvalLoss[5]).toBe(session.evaluate('train').loss);
    // Before the first step the running statistics are their defaults (mean 0, variance 1).
    expect(r.bnEvalLoss[0]).not.toBe(r.loss[0]);
  });

  it('without batch norm there is no evaluation-mode loss; ‖W‖ and the zero share are recorded every step', () => {
    const r = jobs.train({ ...BN, norm: 'none' }).finish();
    expect(r.bnEvalLoss).toEqual([]);
    // Nor with batch norm unless a widget asks for it: it costs a forward pass per step.
    expect(jobs.train({ ...BN, evalLoss: 'off' }).finish().bnEvalLoss).toEqual([]);
    expect(r.weightNorm.length).toBe(25);
    expect(r.zeroWeights.every((z) => z === 0)).toBe(true);
    expect(r.stepsDone).toBe(25);
  });

  it('‖g‖, ‖δ_l‖ and ‖∂L/∂W_l‖ are the grad-norms probe’s, bit for bit (what `gradlab run --probes grad-norms` prints)', () => {
    // A clipped run: gradNorm is the norm before clipping, as the probe sees the trace's gradients.
    const setting = { ...BN, norm: 'none', evalLoss: 'off', clip: 'global-norm', clipThreshold: 0.5, trainSteps: 8 };
    const r = jobs.train(setting).finish();
    const probe = gradNorms();
    const session = createSession(trainSpec(buildRegistry, setting), { registry: buildRegistry, probes: [probe] });
    while (session.stepCount < session.totalSteps) session.step();
    const h = (probe.report() as GradNormsReport).history;
    expect(h.length).toBe(8);
    expect(r.gradNorm).toEqual(h.map((row) => row.globalNorm));
    expect(r.deltaLayersFirst).toEqual(h[0].deltaNorm.slice(0, -1));
    expect(r.deltaLayersLast).toEqual(h[7].deltaNorm.slice(0, -1));
    expect(r.gradWLayersFirst).toEqual(h[0].gradNorm.slice(0, -1));
    // The rule did clip: some pre-clip norm is above the threshold.
    expect(r.gradNorm.some((n) => n! > 0.5)).toBe(true);
  });

  it('norms stay finite where the sum of squares overflows (entries around 1e160 in an exploding run)', () => {
    const slot = (name: string, value: number[]): ParamSlot => ({
      name,
      layer: 0,
      role: 'weight',
      shape: [1, value.length],
      value: Float64Array.from(value),
    });
    // ‖(3, 4, 0) · 1e160, (12) · 1e160‖ = 13e160 by hand; Σx² alone would be Infinity.
    const extras = createTrainExtras([slot('a.W', [3e160, 4e160, 0]), slot('b.W', [12e160])], { evalLoss: false });
    const w0 = extras.snapshot().weightNormInit;
    expect(w0).not.toBeNull();
    expect(Math.abs(w0! / 1.3e161 - 1)).toBeLessThan(1e-15);
  });
});
