/**
 * Page 10's claims, each against a second computation: batch norm's scale invariance (scale one
 * layer's weights by a in a fresh session: same output, ∂L/∂W divided by a, and that gradient checked
 * by finite differences); the probes call the batch-norm δ jump NORMALIZATION_JUMP, not exploding; the
 * plain 30-layer net stalls at the mean-predictor loss while batch norm and residual connections train.
 */
import { createSession, type ExperimentSpec, type Session } from '@gradlab/core';
import type { Finding } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { createJobs } from '../src/lab/jobs.ts';
import { trainSpec } from '../src/lab/train-spec.ts';
import { KEYS } from '../src/quiz/keys.ts';

const registry = buildRegistry;
const jobs = createJobs(registry);
const BN = {
  activation: 'relu',
  initializer: 'he',
  gain: 1,
  depth: 4,
  width: 16,
  batch: 32,
  seed: 5,
  optimizer: 'sgd',
  lr: 0.01,
  norm: 'batchnorm',
  trainSteps: 1,
};

/** The spec with a tiny ε, so that scale invariance is exact up to rounding. */
function specOf(s: Record<string, string | number>, epsilon = 1e-12): ExperimentSpec {
  const spec = trainSpec(registry, s);
  const layers = spec.model.layers.map((l) => (l.type === 'batchnorm' ? { ...l, epsilon } : l));
  return { ...spec, model: { ...spec.model, layers } };
}

/** Loss and gradients at the session's weights without updating them (a forward-backward via a probe). */
function lossAndGrads(spec: ExperimentSpec, weights?: Record<string, Float64Array>) {
  let grads: Float64Array[] = [];
  let loss = Number.NaN;
  const session = createSession(spec, {
    registry,
    ...(weights && { weights }),
    probes: [
      {
        id: 'test-grads',
        options: {},
        onStep: (t) => {
          grads = t.grads.map((g) => g.slice());
          loss = t.loss;
        },
        report: () => null,
      },
    ],
  });
  const names = session.model.params.map((p) => p.name);
  const initial = Object.fromEntries(session.model.params.map((p) => [p.name, p.value.slice()]));
  session.step();
  return { loss, grads, names, initial };
}

describe('page 10: batch norm is scale invariant', () => {
  const spec = specOf(BN);
  const base = lossAndGrads(spec);
  const w = base.names.findIndex((n) => n.endsWith('.W')); // the first hidden layer's weights
  const name = base.names[w];

  for (const a of [0.5, 3]) {
    it(`scaling the first layer's W by ${a}: same loss, ∂L/∂W divided by ${a}, other gradients unchanged`, () => {
      const scaled = { ...base.initial, [name]: base.initial[name].map((v) => v * a) };
      const r = lossAndGrads(spec, scaled);
      expect(Math.abs(r.loss / base.loss - 1)).toBeLessThan(1e-9);
      for (let i = 0; i < r.grads[w].length; i += 7) expect(r.grads[w][i]).toBeCloseTo(base.grads[w][i] / a, 10);
      const other = base.names.findIndex((n, i) => i > w && n.endsWith('.W'));
      for (let i = 0; i < r.grads[other].length; i += 11)
        expect(r.grads[other][i]).toBeCloseTo(base.grads[other][i], 9);
    });
  }

  it('the engine’s ∂L/∂W of that layer agrees with central finite differences', () => {
    const h = 1e-6;
    const at = (i: number, d: number) => {
      const values = base.initial[name].slice();
      values[i] += d;
      return lossAndGrads(spec, { ...base.initial, [name]: values }).loss;
    };
    for (const i of [0, 5, 37]) {
      const fd = (at(i, h) - at(i, -h)) / (2 * h);
      expect(Math.abs(fd - base.grads[w][i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });

  it('the gain control scales every hidden W (the widget): loss kept to 1e-4 with the default ε, ‖∂L/∂W₁‖ × gain kept', () => {
    const at = (gain: number) => jobs.train({ ...BN, depth: 10, width: 64, batch: 64, seed: 0, gain }).finish();
    const one = at(1);
    for (const g of [0.5, 2]) {
      const r = at(g);
      expect(Math.abs(r.loss[0]! / one.loss[0]! - 1)).toBeLessThan(1e-4);
      expect(Math.abs((r.gradWLayersFirst[0]! * g) / one.gradWLayersFirst[0]! - 1)).toBeLessThan(1e-3);
    }
  });
});

const DEEP = {
  activation: 'tanh',
  initializer: 'lecun',
  gain: 0.25,
  depth: 30,
  width: 64,
  batch: 64,
  seed: 0,
  optimizer: 'sgd',
  lr: 0.01,
  clip: 'none',
  residual: 'off',
  norm: 'none',
  trainSteps: 100,
};

const targetVariance = (session: Session) => {
  const y = [...session.trainData.y];
  const m = y.reduce((a, b) => a + b, 0) / y.length;
  return y.reduce((a, b) => a + (b - m) ** 2, 0) / y.length;
};

describe('page 10: a 30-layer net, plain, with batch norm, with residual connections', () => {
  const variance = targetVariance(createSession(trainSpec(registry, DEEP), { registry }));

  it('plain: ‖δ‖ vanishes by > 10 decades and the loss ends within 1 % of the mean-predictor loss', () => {
    const r = jobs.train(DEEP).finish();
    expect(r.deltaLayersFirst[0]! / r.deltaLayersFirst[29]!).toBeLessThan(1e-10);
    expect(Math.abs(r.loss.at(-1)! / variance - 1)).toBeLessThan(0.01);
  });

  it('residual: ‖δ‖ within a decade across the 30 layers, and the loss falls below a tenth of it', () => {
    const r = jobs.train({ ...DEEP, residual: 'on' }).finish();
    const ratio = r.deltaLayersFirst[0]! / r.deltaLayersFirst[29]!;
    expect(ratio).toBeGreaterThan(0.1);
    expect(ratio).toBeLessThan(10);
    expect(r.loss.at(-1)!).toBeLessThan(0.1 * variance);
  });

  it('batch norm: trains the 30-layer net, with ‖δ‖ larger at the first layer than at the last', () => {
    const r = jobs.train({ ...DEEP, norm: 'batchnorm' }).finish();
    expect(r.loss.at(-1)!).toBeLessThan(0.2 * variance);
    expect(r.deltaLayersFirst[0]! / r.deltaLayersFirst[29]!).toBeGreaterThan(1);
  });
});

describe('page 10: the batch-norm δ jump is NORMALIZATION_JUMP for the grad-norms probe', () => {
  const findings = (s: Record<string, string | number>) => {
    const probe = registry.resolve('probe', ['grad-norms', { patience: 1 }], 'test');
    const session = createSession(trainSpec(registry, { ...s, trainSteps: 1 }), { registry, probes: [probe] });
    session.step();
    return (session.findings as readonly Finding[]).map((f) => f.code);
  };

  it('20-layer ReLU + He with batch norm: NORMALIZATION_JUMP, neither exploding nor vanishing', () => {
    const codes = findings({ ...BN, depth: 20, width: 64, batch: 64, seed: 0 });
    expect(codes).toContain('NORMALIZATION_JUMP');
    expect(codes).not.toContain('EXPLODING_GRADIENTS');
    expect(codes).not.toContain('VANISHING_GRADIENTS');
  });

  it('batch norm after every layer of the 30-layer tanh net at gain 0.25: the jumps undo the trend, so NORMALIZATION_JUMP, not VANISHING_GRADIENTS', () => {
    const codes = findings({ ...DEEP, norm: 'batchnorm' });
    expect(codes).toContain('NORMALIZATION_JUMP');
    expect(codes).not.toContain('VANISHING_GRADIENTS');
    // Without batch norm the same net does vanish, and the probe says so.
    expect(findings(DEEP)).toContain('VANISHING_GRADIENTS');
  });
});

describe('page 10: the quiz key', () => {
  it('bn-grad-scale is 1/a to 1e-3 (the ε in the variance is all that separates them)', () => {
    const args = {
      activation: 'relu',
      initializer: 'he',
      depth: 10,
      width: 64,
      batch: 64,
      seed: 0,
      optimizer: 'sgd',
      lr: 0.01,
    };
    for (const a of [2, 0.5]) {
      const k = KEYS['bn-grad-scale'](
        { ...args, a },
        { question: 'q', variant: 0, compute: 'bn-grad-scale', args: { ...args, a } },
        { id: 'q', type: 'numeric', prompt: 'p', key: { compute: 'bn-grad-scale' }, tolerance: { rel: 0.1 } },
        registry,
      ) as number;
      expect(Math.abs(k * a - 1)).toBeLessThan(1e-3);
    }
  });
});
