/**
 * Page 11's job against closed forms: a linear RNN with W_h = ρ·Q (Q orthogonal) scales ‖∂L/∂h_t‖ by
 * exactly ρ per step back, so ‖∂L/∂h_1‖/‖∂L/∂h_T‖ = ρ^(T−1); truncation to k steps gives ρ^(k−1) and
 * zeros before the window. And the norms are ‖∂L/∂h_t‖ themselves: checked against central differences
 * of the loss with respect to a perturbation added to the state h_t.
 */
import { createSession } from '@gradlab/core';
import type { Probe, StepTrace } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { createJobs } from '../src/lab/jobs.ts';
import { addingSpec, rnnTime, rnnTimeSpec } from '../src/lab/rnn-job.ts';
import { timeView } from '../src/lab/rnn-view.ts';
import { RNN_KEYS } from '../src/quiz/rnn-keys.ts';

const linear = (o: Record<string, number | string> = {}) => ({
  activation: 'linear',
  recurrent: 'orthogonal',
  rho: 1,
  inputStd: 0.1,
  timeSteps: 30,
  truncate: 100,
  units: 8,
  batch: 4,
  seed: 3,
  ...o,
});

describe('rnn-time job', () => {
  it('linear RNN, W_h = ρ·orthogonal: every step back scales ‖∂L/∂h_t‖ by exactly ρ', () => {
    for (const rho of [0.8, 1, 1.3]) {
      const r = rnnTime(buildRegistry, linear({ rho }));
      expect(r.timeNorms).toHaveLength(30);
      expect(Math.abs(r.ratio! / rho ** 29 - 1)).toBeLessThan(1e-9);
      for (let t = 1; t < 30; t++) expect(Math.abs(r.timeNorms[t - 1]! / r.timeNorms[t]! / rho - 1)).toBeLessThan(1e-9);
    }
  });

  it('truncation to k steps: ρ^(k−1) over the window, exactly 0 before it', () => {
    const r = rnnTime(buildRegistry, linear({ rho: 1.5, truncate: 10 }));
    expect(r.firstStep).toBe(21);
    expect(r.timeNorms.slice(0, 20).every((v) => v === 0)).toBe(true);
    expect(Math.abs(r.ratio! / 1.5 ** 9 - 1)).toBeLessThan(1e-9);
    expect(timeView(r).summary).toMatch(/steps 1–20 get no gradient/);
  });

  it('the norms are ‖∂L/∂h_t‖: central differences of the loss in a perturbation of h_t (tanh RNN)', () => {
    const setting = { ...linear({ activation: 'tanh', rho: 1.2, inputStd: 1, timeSteps: 6 }), units: 3, batch: 2 };
    const r = rnnTime(buildRegistry, setting);
    // Independent: rebuild the same network, read its weights, run the recurrence by hand in float64
    // with a perturbation e added to h_t, and difference the MSE loss.
    const spec = rnnTimeSpec(setting);
    let W: { Wx: Float64Array; Wh: Float64Array; b: Float64Array; Wo: Float64Array; bo: Float64Array } | undefined;
    let x: Float64Array = new Float64Array(0);
    let y: Float64Array = new Float64Array(0);
    const capture: Probe = {
      id: 'test-weights',
      options: {},
      onStep(trace: StepTrace) {
        const [rnn, out] = trace.layers;
        W = {
          Wx: rnn.W.slice(),
          Wh: rnn.Wh!.slice(),
          b: rnn.b!.slice(),
          Wo: out.W.slice(),
          bo: out.b!.slice(),
        };
      },
      report: () => null,
    };
    const session = createSession(spec, { registry: buildRegistry, probes: [capture] });
    x = session.trainData.x;
    y = session.trainData.y;
    session.step();
    const { Wx, Wh, b, Wo, bo } = W!;
    const [U, F, T, N] = [3, 4, 6, 2];
    const loss = (at: number, row: number, unit: number, eps: number) => {
      let s = 0;
      for (let n = 0; n < N; n++) {
        let h = new Float64Array(U);
        for (let t = 0; t < T; t++) {
          const z = Float64Array.from(b);
          for (let j = 0; j < U; j++) {
            for (let f = 0; f < F; f++) z[j] += x[(n * T + t) * F + f] * Wx[f * U + j];
            for (let i = 0; i < U; i++) z[j] += h[i] * Wh[i * U + j];
          }
          h = Float64Array.from(z, Math.tanh);
          if (t === at && n === row) h[unit] += eps;
        }
        let o = bo[0];
        for (let j = 0; j < U; j++) o += h[j] * Wo[j];
        s += (o - y[n]) ** 2;
      }
      return s / N;
    };
    for (const t of [0, 2, 5]) {
      let sq = 0;
      for (let n = 0; n < N; n++)
        for (let u = 0; u < U; u++) {
          const g = (loss(t, n, u, 1e-6) - loss(t, n, u, -1e-6)) / 2e-6;
          sq += g * g;
        }
      expect(Math.abs(r.timeNorms[t]! / Math.sqrt(sq) - 1)).toBeLessThan(1e-6);
    }
  });
});

describe('page 11 quiz keys', () => {
  it('rnn-time-ratio of the linear orthogonal RNN over 50 steps is ρ^49; truncation k gives ρ^(k−1)', () => {
    for (const rho of [0.9, 1.1])
      expect(Math.abs(RNN_KEYS['rnn-time-ratio']({ activation: 'linear', rho }) / rho ** 49 - 1)).toBeLessThan(1e-9);
    for (const k of [10, 20])
      expect(
        Math.abs(RNN_KEYS['rnn-time-ratio']({ activation: 'linear', rho: 1.5, truncate: k }) / 1.5 ** (k - 1) - 1),
      ).toBeLessThan(1e-9);
  });
});

describe('the adding task (page 11)', () => {
  const jobs = createJobs(buildRegistry);
  const adding = (timeSteps: number) => ({
    task: 'adding',
    timeSteps,
    trainSteps: 300,
    optimizer: 'adam',
    lr: 0.01,
    clip: 'global-norm',
    clipThreshold: 1,
    seed: 0,
  });

  it('the baseline is Var(y) of the training targets, ≈ Var(U₁ + U₂) = 1/6', () => {
    const r = jobs.train({ ...adding(20), trainSteps: 1 }).finish();
    const y = createSession(addingSpec([], adding(20)), { registry: buildRegistry }).trainData.y;
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
    expect(r.baseline).toBeCloseTo(variance, 14);
    // 512 samples: the standard error of a sample variance here is about 0.01.
    expect(Math.abs(r.baseline! - 1 / 6)).toBeLessThan(0.03);
  });

  it("the page's claims: T = 5 is learned (< 10 % of the baseline), T = 50 stays at it (> 90 %)", () => {
    const short = jobs.train(adding(5)).finish();
    const long = jobs.train(adding(50)).finish();
    expect(short.evalLoss! / short.baseline!).toBeLessThan(0.1);
    expect(long.evalLoss! / long.baseline!).toBeGreaterThan(0.9);
    // Why: at the first step the error reaching h_1 is a tiny fraction of the error at h_50.
    expect(long.timeRatio![0]!).toBeLessThan(1e-3);
  });
});

describe('page 11 adding-task key', () => {
  it('adding-baseline is Var(U₁ + U₂) = 1/6 within sampling error (100,000 sequences: SE ≈ 0.0004)', () => {
    expect(Math.abs(RNN_KEYS['adding-baseline']({ timeSteps: 10 }) - 1 / 6)).toBeLessThan(0.002);
  });
});
