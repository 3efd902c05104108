/**
 * Page 9's claims against closed forms: weight decay's (1 − ηλ)^t on a real run whose data gradient is
 * exactly zero (every ReLU unit inactive), L1's constant pull and exact zeros, and a starved run's loss
 * against the variance of the targets (the loss of predicting their mean).
 */
import { createSession } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { createJobs } from '../src/lab/jobs.ts';
import { trainSpec } from '../src/lab/train-spec.ts';
import { KEYS } from '../src/quiz/keys.ts';

const jobs = createJobs(buildRegistry);
const NET = {
  activation: 'relu',
  initializer: 'he',
  depth: 4,
  width: 16,
  batch: 32,
  seed: 1,
  gain: 1,
  optimizer: 'sgd',
};
const key = (name: string, args: Record<string, number>) =>
  KEYS[name](
    args,
    { question: 'q', variant: 0, compute: name, args },
    { id: 'q', type: 'numeric', prompt: 'p', key: { compute: name }, tolerance: { rel: 0.1 } },
    buildRegistry,
  ) as number;

describe('page 9: weight decay (1 − ηλ)^t', () => {
  it('a run with no data gradient (all units inactive): ‖W_t‖ = (1 − ηλ)^t ‖W_0‖ at every step', () => {
    const lr = 0.1;
    const lambda = 0.3;
    const r = jobs.train({ ...NET, biasInit: -10, lr, reg: 'l2', lambda, trainSteps: 60 }).finish();
    expect(r.dead.every((d) => d === 1)).toBe(true);
    const w0 = r.weightNormInit!;
    const worst = Math.max(...r.weightNorm.map((w, t) => Math.abs(w! / ((1 - lr * lambda) ** (t + 1) * w0) - 1)));
    expect(r.weightNorm.length).toBe(60);
    expect(worst).toBeLessThan(1e-12);
  });

  it('the quiz keys: L2 alone gives (1 − ηλ)^t; L1 alone subtracts ηλ per step and stops at exactly 0', () => {
    expect(key('weight-decay-factor', { lr: 0.1, lambda: 0.1, steps: 100 })).toBeCloseTo(0.99 ** 100, 12);
    expect(key('weight-decay-factor', { lr: 0.01, lambda: 0.5, steps: 50 })).toBeCloseTo(0.995 ** 50, 12);
    expect(key('l1-shrink-factor', { lr: 0.1, lambda: 0.1, steps: 20, w0: 0.5 })).toBeCloseTo(
      (0.5 - 20 * 0.01) / 0.5,
      12,
    );
    expect(key('l1-shrink-factor', { lr: 0.1, lambda: 0.1, steps: 60, w0: 0.5 })).toBe(0);
  });
});

describe('page 9: L1 zeros and a starved run', () => {
  it('L1 leaves exactly-zero weights, counted independently from the final weights; L2 and none leave none', () => {
    const s = { ...NET, lr: 0.01, reg: 'l1', lambda: 0.1, trainSteps: 40 };
    const r = jobs.train(s).finish();
    const session = createSession(trainSpec(buildRegistry, s), { registry: buildRegistry });
    while (session.stepCount < session.totalSteps) session.step();
    const weights = session.model.params.filter((p) => p.role === 'weight').flatMap((p) => [...p.value]);
    const zeros = weights.filter((w) => w === 0).length / weights.length;
    expect(zeros).toBeGreaterThan(0);
    expect(r.zeroWeights.at(-1)).toBe(zeros);
    for (const reg of ['none', 'l2'])
      expect(
        jobs
          .train({ ...s, reg })
          .finish()
          .zeroWeights.at(-1),
      ).toBe(0);
  });

  it('too strong a penalty: the loss ends at the variance of the targets (MSE of their mean)', () => {
    const s = { ...NET, lr: 0.01, reg: 'l2', lambda: 3, trainSteps: 300 };
    const r = jobs.train(s).finish();
    const session = createSession(trainSpec(buildRegistry, s), { registry: buildRegistry });
    const y = [...session.trainData.y];
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
    expect(Math.abs(r.loss.at(-1)! / variance - 1)).toBeLessThan(1e-3);
    const free = jobs.train({ ...s, reg: 'none' }).finish();
    expect(free.loss.at(-1)!).toBeLessThan(0.5 * variance);
  });
});
