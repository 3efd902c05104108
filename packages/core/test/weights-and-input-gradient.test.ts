import type { GradlabError } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { inputGradient } from '../src/input-gradient.ts';
import { loadModel, saveModel } from '../src/serialize.ts';
import { createSession } from '../src/session.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import { bytes, randomData, testRegistry } from './helpers.ts';

const linearSpec: ExperimentSpec = {
  seed: 5,
  model: { layers: [{ type: 'dense', units: 1, initializer: ['normal', { std: 0.5 }] }] },
  train: { loss: 'mse', optimizer: ['sgd', { lr: 0.1 }], batchSize: 4, testFraction: 0, shuffle: false },
};

function thrown(fn: () => unknown): GradlabError {
  try {
    fn();
  } catch (e) {
    return e as GradlabError;
  }
  throw new Error('did not throw');
}

describe('createSession(spec, { weights })', () => {
  const data = randomData(4, 3, 1, 'regression', 2);

  it('starts from explicit tensors: one SGD step from W, b equals the hand-computed step', () => {
    const W = [0.3, -0.2, 0.5];
    const b = [0.1];
    const session = createSession(linearSpec, {
      registry: testRegistry(),
      data,
      weights: { 'dense_0.W': W, 'dense_0.b': b },
    });
    expect(Array.from(session.model.params[0].value)).toEqual(W);
    session.step();
    // mse on 4 rows, 1 output: ∂L/∂W_j = (2/4)·Σ_r (x_r·W + b − y_r)·x_rj, ∂L/∂b = (2/4)·Σ_r (…).
    const residual = Array.from({ length: 4 }, (_, r) => {
      let p = b[0];
      for (let j = 0; j < 3; j++) p += data.x[r * 3 + j] * W[j];
      return p - data.y[r];
    });
    const gW = W.map((_, j) => (2 / 4) * residual.reduce((s, e, r) => s + e * data.x[r * 3 + j], 0));
    const gb = (2 / 4) * residual.reduce((s, e) => s + e, 0);
    const after = Array.from(session.model.params[0].value);
    after.forEach((w, j) => {
      expect(w).toBeCloseTo(W[j] - 0.1 * gW[j], 14);
    });
    expect(session.model.params[1].value[0]).toBeCloseTo(b[0] - 0.1 * gb, 14);
  });

  it('keeps the initialization of tensors not given, and copies (never shares) the given arrays', () => {
    const W = new Float64Array([1, 2, 3]);
    const fresh = createSession(linearSpec, { registry: testRegistry(), data });
    const session = createSession(linearSpec, { registry: testRegistry(), data, weights: { 'dense_0.b': [0.25] } });
    expect(bytes(session.model.params[0].value)).toEqual(bytes(fresh.model.params[0].value));
    expect(session.model.params[1].value[0]).toBe(0.25);
    const other = createSession(linearSpec, { registry: testRegistry(), data, weights: { 'dense_0.W': W } });
    other.step();
    expect(Array.from(W)).toEqual([1, 2, 3]);
  });

  it('continues from a loaded model with probes and an optimizer: same weights, bit for bit', () => {
    const spec: ExperimentSpec = {
      ...linearSpec,
      model: {
        layers: [
          { type: 'dense', units: 4, activation: 'tanh', initializer: ['normal', { std: 0.5 }] },
          { type: 'batchnorm' },
          { type: 'dense', units: 1, initializer: ['normal', { std: 0.5 }] },
        ],
      },
      train: { ...linearSpec.train, optimizer: ['adam', { lr: 0.01 }], steps: 5 },
    };
    const trained = createSession(spec, { registry: testRegistry(), data });
    trained.run();
    const file = JSON.parse(JSON.stringify(saveModel(spec, data, trained.model)));
    const loaded = loadModel(file, { registry: testRegistry() });
    const resumed = createSession(loaded.spec, { registry: testRegistry(), data, weights: loaded.model });
    resumed.model.params.forEach((p, i) => {
      expect(bytes(p.value)).toEqual(bytes(trained.model.params[i].value));
    });
    const bn = (s: typeof trained) => s.model.layers[1].buffers.runningMean;
    expect(bytes(bn(resumed))).toEqual(bytes(bn(trained)));
    expect(resumed.evaluate('train').loss).toBe(trained.evaluate('train').loss);
  });

  it('refuses unknown names, wrong lengths, non-finite values and a model of another spec', () => {
    const registry = testRegistry;
    const make = (weights: never) => () => createSession(linearSpec, { registry: registry(), data, weights });
    const unknown = thrown(make({ 'dense_0.w': [1, 2, 3] } as never));
    expect(unknown.name).toBe('WeightsError');
    expect(unknown.message).toMatch(
      /tensor `dense_0.w` is not part of this model \(its tensors: dense_0.W, dense_0.b\)/,
    );
    expect(thrown(make({ 'dense_0.W': [1, 2] } as never)).message).toMatch(/has 2 values; the model needs 3/);
    expect(thrown(make({ 'dense_0.W': [1, Number.NaN, 3] } as never)).message).toMatch(
      /`dense_0.W`\[1\] is NaN, not a finite number/,
    );
    const wide = createSession(
      {
        ...linearSpec,
        model: {
          layers: [
            { type: 'dense', units: 2, initializer: 'normal' },
            { type: 'dense', units: 1, initializer: 'normal' },
          ],
        },
      },
      { registry: registry(), data },
    );
    expect(thrown(make(wide.model as never)).message).toMatch(/`dense_0.W` has 6 values; the model needs 3/);
  });
});

describe('inputGradient', () => {
  /** Central differences of the loss in each input value, the independent reference. */
  function numeric(lossAt: (x: Float64Array) => number, x: Float64Array): number[] {
    const h = 1e-6;
    return Array.from(x, (_, i) => {
      const saved = x[i];
      x[i] = saved + h;
      const plus = lossAt(x);
      x[i] = saved - h;
      const minus = lossAt(x);
      x[i] = saved;
      return (plus - minus) / (2 * h);
    });
  }

  it.each([
    ['dense tanh + batch norm (evaluation statistics) + dense', 'dense'],
    ['a truncated rnn then dense', 'rnn'],
  ])('matches finite differences of the loss: %s', (_, kind) => {
    const steps = kind === 'rnn' ? 4 : 1;
    const data = randomData(5, 3, 2, 'regression', 7, steps);
    const layers: ExperimentSpec['model']['layers'] =
      kind === 'rnn'
        ? [
            { type: 'rnn', units: 4, activation: 'tanh', initializer: ['normal', { std: 0.6 }], truncate: 3 },
            { type: 'dense', units: 2, initializer: ['normal', { std: 0.5 }] },
          ]
        : [
            { type: 'dense', units: 4, activation: 'tanh', initializer: ['normal', { std: 0.6 }] },
            { type: 'batchnorm', activation: 'softplus' },
            { type: 'dense', units: 2, initializer: ['normal', { std: 0.5 }] },
          ];
    const spec: ExperimentSpec = { ...linearSpec, model: { layers }, train: { ...linearSpec.train, batchSize: 5 } };
    const session = createSession(spec, { registry: testRegistry(), data });
    session.step(); // batch norm gets non-trivial running statistics
    const { model } = session;
    const x = Float64Array.from(data.x);
    const analytic = inputGradient(model, x, 5, { loss: 'mse', y: data.y });
    const lossAt = (xs: Float64Array) => {
      const out = model.forward(xs, 5, false);
      let s = 0;
      for (let i = 0; i < 10; i++) s += (out[i] - data.y[i]) ** 2;
      return s / 10;
    };
    const want = numeric(lossAt, x);
    if (kind === 'rnn') {
      // Truncated BPTT (3 of 4 steps) does not reach step 0: the engine's gradient is 0 there.
      for (let r = 0; r < 5; r++) for (let f = 0; f < 3; f++) want[(r * 4 + 0) * 3 + f] = 0;
    }
    expect(analytic).toHaveLength(want.length);
    analytic.forEach((g, i) => {
      expect(Math.abs(g - want[i])).toBeLessThan(1e-7 * Math.max(1, Math.abs(want[i])));
    });
    expect(analytic.some((g) => Math.abs(g) > 1e-3)).toBe(true);
  });

  it('takes ∂L/∂output directly: for a linear layer and dOut = 1 it is the row sums of Wᵀ', () => {
    const data = randomData(4, 3, 1, 'regression', 1);
    const session = createSession(linearSpec, {
      registry: testRegistry(),
      data,
      weights: { 'dense_0.W': [2, -1, 0.5] },
    });
    const g = inputGradient(session.model, data.x, 3, { dOut: new Float64Array([1, 1, 1]) });
    expect(Array.from(g)).toEqual([2, -1, 0.5, 2, -1, 0.5, 2, -1, 0.5]);
  });

  it('refuses an x or y too short for the rows', () => {
    const data = randomData(4, 3, 1, 'regression', 1);
    const { model } = createSession(linearSpec, { registry: testRegistry(), data });
    expect(() => inputGradient(model, new Float64Array(5), 3, { loss: 'mse', y: data.y })).toThrow(/x has 5 values/);
    expect(() => inputGradient(model, data.x, 3, { loss: 'mse', y: new Float64Array(1) })).toThrow(/y has 1 values/);
  });
});
