import { describe, expect, it } from 'vitest';
import { getLoss, type LossId } from '../src/losses.ts';
import { createSession } from '../src/session.ts';
import type { ExperimentSpec, LayerSpec } from '../src/spec/types.ts';
import { randomData, testRegistry } from './helpers.ts';

/**
 * Whole-model gradient check: backprop against central finite differences of the loss for
 * every parameter entry, in float64. Error per entry is |a − n| / max(|a|, |n|, 1e-7)
 * (the floor keeps near-zero entries from dividing by ~0).
 */
function maxGradcheckError(layers: LayerSpec[], loss: LossId, data: ReturnType<typeof randomData>): number {
  const spec: ExperimentSpec = {
    seed: 3,
    model: { layers },
    train: { loss, optimizer: 'sgd', batchSize: data.rows, testFraction: 0, checks: 'strict' },
  };
  const { model } = createSession(spec, { registry: testRegistry(), data });
  const L = getLoss(loss);
  const cols = data.outputs;
  const dOut = new Float64Array(data.rows * cols);
  const lossAt = () => L.value(model.forward(data.x, data.rows, true), data.y, data.rows, cols);

  model.zeroGrads();
  L.gradient(model.forward(data.x, data.rows, true), data.y, data.rows, cols, dOut);
  model.backward(dOut, data.rows);
  const analytic = model.grads.map((g) => Float64Array.from(g));

  const h = 1e-6;
  let worst = 0;
  model.params.forEach((param, p) => {
    for (let i = 0; i < param.value.length; i++) {
      const saved = param.value[i];
      param.value[i] = saved + h;
      const plus = lossAt();
      param.value[i] = saved - h;
      const minus = lossAt();
      param.value[i] = saved;
      const numeric = (plus - minus) / (2 * h);
      const a = analytic[p][i];
      worst = Math.max(worst, Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), 1e-7));
    }
  });
  if (process.env.GRADCHECK_PRINT)
    console.log(
      `worst relative error ${worst.toExponential(2)} over ${model.params.reduce((n, p) => n + p.value.length, 0)} parameters`,
    );
  return worst;
}

const dense = (units: number, activation = 'tanh', extra: object = {}): LayerSpec => ({
  type: 'dense',
  units,
  activation,
  initializer: ['normal', { std: 0.7 }],
  biasInitializer: ['normal', { std: 0.3 }],
  ...extra,
});

describe('whole-model gradient check (central differences, float64)', () => {
  it('dense net with mean squared error', () => {
    expect(
      maxGradcheckError(
        [dense(4), dense(3, 'softplus'), dense(2, 'linear')],
        'mse',
        randomData(5, 3, 2, 'regression', 1),
      ),
    ).toBeLessThan(1e-6);
  });

  it('dense net with binary cross-entropy from logits', () => {
    expect(maxGradcheckError([dense(4), dense(3, 'linear')], 'bce', randomData(6, 2, 3, 'binary', 2))).toBeLessThan(
      1e-6,
    );
  });

  it('dense net with softmax cross-entropy from logits', () => {
    expect(
      maxGradcheckError([dense(5, 'softplus'), dense(4, 'linear')], 'softmax-ce', randomData(7, 3, 4, 'multiclass', 3)),
    ).toBeLessThan(1e-6);
  });

  it('batch normalization in training mode (gradients flow through the batch statistics)', () => {
    const layers: LayerSpec[] = [
      dense(4, 'linear'),
      { type: 'batchnorm', activation: 'tanh' },
      dense(3),
      { type: 'batchnorm', activation: 'softplus' },
      dense(1, 'linear'),
    ];
    expect(maxGradcheckError(layers, 'mse', randomData(6, 3, 1, 'regression', 4))).toBeLessThan(1e-6);
  });

  it('residual connections between equal-width layers', () => {
    const layers: LayerSpec[] = [
      dense(4),
      dense(4, 'tanh', { residual: true }),
      dense(4, 'softplus', { residual: true }),
      dense(2, 'linear'),
    ];
    expect(maxGradcheckError(layers, 'mse', randomData(5, 3, 2, 'regression', 5))).toBeLessThan(1e-6);
  });

  it('recurrent layer through time (full BPTT over 5 steps)', () => {
    const layers: LayerSpec[] = [
      {
        type: 'rnn',
        units: 3,
        activation: 'tanh',
        initializer: ['normal', { std: 0.6 }],
        biasInitializer: ['normal', { std: 0.2 }],
      },
      dense(2, 'linear'),
    ];
    expect(maxGradcheckError(layers, 'mse', randomData(4, 2, 2, 'regression', 6, 5))).toBeLessThan(1e-6);
  });

  it('fails for a wrong gradient: a mislabelled derivative is caught (the check can fail)', async () => {
    const { defineActivation } = await import('@gradlab/plugin-api');
    const wrong = defineActivation({
      meta: {
        id: 'wrong-tanh',
        title: 'Wrong tanh',
        summary: 'tanh with a derivative off by ten percent.',
        formula: { forward: '', derivative: '' },
        range: [-1, 1],
        properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: true, smooth: true, saturates: 'both' },
      },
      create: () => ({ forward: Math.tanh, derivative: (_x, y) => 1.1 * (1 - y * y) }),
    });
    const registry = testRegistry().use(wrong);
    const data = randomData(4, 2, 1, 'regression', 7);
    const spec: ExperimentSpec = {
      seed: 1,
      model: { layers: [dense(3, 'wrong-tanh'), dense(1, 'linear')] },
      train: { loss: 'mse', optimizer: 'sgd', batchSize: 4, testFraction: 0 },
    };
    const { model } = createSession(spec, { registry, data });
    const L = getLoss('mse');
    const dOut = new Float64Array(4);
    model.zeroGrads();
    L.gradient(model.forward(data.x, 4, true), data.y, 4, 1, dOut);
    model.backward(dOut, 4);
    const w = model.params[0].value;
    const a = model.grads[0][0];
    const h = 1e-6;
    const at = (v: number) => {
      const s = w[0];
      w[0] = v;
      const out = L.value(model.forward(data.x, 4, true), data.y, 4, 1);
      w[0] = s;
      return out;
    };
    const n = (at(w[0] + h) - at(w[0] - h)) / (2 * h);
    expect(Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n))).toBeGreaterThan(0.01);
  });
});
