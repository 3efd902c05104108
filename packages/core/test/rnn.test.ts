import { describe, expect, it } from 'vitest';
import type { Dataset } from '../src/datasets.ts';
import { getLoss } from '../src/losses.ts';
import { createSession } from '../src/session.ts';
import type { RnnLayerSpec } from '../src/spec/types.ts';
import { randomData, testRegistry } from './helpers.ts';

const T = 5;
const FEATURES = 2;
const UNITS = 3;
const ROWS = 4;

/** An rnn → dense(1) model on fixed data, with one forward/backward pass done; returns its gradients. */
function backprop(rnn: Partial<RnnLayerSpec>, data: Dataset = randomData(ROWS, FEATURES, 1, 'regression', 31, T)) {
  const session = createSession(
    {
      seed: 17,
      model: {
        layers: [
          {
            type: 'rnn',
            units: UNITS,
            activation: 'tanh',
            initializer: ['normal', { std: 0.6 }],
            biasInitializer: ['normal', { std: 0.2 }],
            ...rnn,
          },
          { type: 'dense', units: 1, initializer: ['normal', { std: 0.8 }] },
        ],
      },
      train: { loss: 'mse', optimizer: 'sgd', batchSize: data.rows, testFraction: 0 },
    },
    { registry: testRegistry(), data },
  );
  const { model } = session;
  const dOut = new Float64Array(data.rows);
  model.zeroGrads();
  getLoss('mse').gradient(model.forward(data.x, data.rows, true), data.y, data.rows, 1, dOut);
  model.backward(dOut, data.rows);
  const view = model.layers[0].view(data.rows);
  return {
    model,
    data,
    grads: model.grads.map((g) => Float64Array.from(g)),
    norms: Float64Array.from(view.timeDeltaNorms!),
    dadz: Float64Array.from(view.dadz),
    z: Float64Array.from(view.z),
  };
}

describe('truncated backpropagation through time', () => {
  it('truncate = steps (or more) gives exactly the gradients of full BPTT', () => {
    const full = backprop({});
    for (const truncate of [T, T + 3]) {
      const same = backprop({ truncate });
      same.grads.forEach((g, p) => {
        expect(Array.from(g)).toEqual(Array.from(full.grads[p]));
      });
      expect(Array.from(same.norms)).toEqual(Array.from(full.norms));
    }
    // …and truncating earlier really changes them (the comparison above can fail).
    expect(Array.from(backprop({ truncate: 2 }).grads[1])).not.toEqual(Array.from(full.grads[1]));
  });

  it('truncate = 1 gives ∂L/∂W_h = h_{T−2}ᵀ·δ_{T−1}, recomputed here from a manual forward pass', () => {
    const { model, data, grads, norms } = backprop({ truncate: 1 });
    const [Wx, Wh, b, W2, b2] = model.params.map((p) => p.value);
    expect(model.params.map((p) => p.name)).toEqual(['rnn_0.Wx', 'rnn_0.Wh', 'rnn_0.b', 'dense_1.W', 'dense_1.b']);
    // Manual forward: h_t = tanh(x_t·Wx + h_{t−1}·Wh + b), h_{−1} = 0; ŷ = h_{T−1}·W2 + b2.
    const h: number[][][] = []; // h[r][t][j]
    for (let r = 0; r < ROWS; r++) {
      h.push([]);
      let prev = [0, 0, 0];
      for (let t = 0; t < T; t++) {
        const next = [0, 0, 0].map((_, j) => {
          let z = b[j];
          for (let f = 0; f < FEATURES; f++) z += data.x[(r * T + t) * FEATURES + f] * Wx[f * UNITS + j];
          for (let k = 0; k < UNITS; k++) z += prev[k] * Wh[k * UNITS + j];
          return Math.tanh(z);
        });
        h[r].push(next);
        prev = next;
      }
    }
    // MSE over ROWS×1: ∂L/∂ŷ_r = 2(ŷ_r − y_r)/ROWS; ∂L/∂h_{T−1} = that · W2ᵀ; δ = it ⊙ (1 − h²).
    const expected = new Float64Array(UNITS * UNITS);
    const dhNorm2 = [0];
    for (let r = 0; r < ROWS; r++) {
      const last = h[r][T - 1];
      const yhat = b2[0] + last.reduce((s, v, j) => s + v * W2[j], 0);
      const dy = (2 * (yhat - data.y[r])) / ROWS;
      const delta = last.map((v, j) => dy * W2[j] * (1 - v * v));
      for (let j = 0; j < UNITS; j++) dhNorm2[0] += (dy * W2[j]) ** 2;
      for (let k = 0; k < UNITS; k++)
        for (let j = 0; j < UNITS; j++) expected[k * UNITS + j] += h[r][T - 2][k] * delta[j];
    }
    for (const [i, g] of grads[1].entries()) {
      expect(Math.abs(g - expected[i])).toBeLessThan(1e-14 * Math.max(1, Math.abs(expected[i])));
    }
    expect(expected.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    // Only the last step was backpropagated.
    expect(Array.from(norms.subarray(0, T - 1))).toEqual([0, 0, 0, 0]);
    expect(norms[T - 1]).toBeCloseTo(Math.sqrt(dhNorm2[0]), 14);
  });

  it('still reports dadz = f′(z) for the steps it does not backpropagate through', () => {
    const { z, dadz } = backprop({ truncate: 1 });
    expect(z).toHaveLength(T * ROWS * UNITS);
    z.forEach((v, i) => {
      expect(dadz[i]).toBeCloseTo(1 - Math.tanh(v) ** 2, 15);
    });
  });

  it('trains with a partial last batch', () => {
    const data = randomData(10, FEATURES, UNITS, 'regression', 3, T);
    const session = createSession(
      {
        seed: 1,
        model: { layers: [{ type: 'rnn', units: UNITS, activation: 'tanh', initializer: 'normal' }] },
        train: { loss: 'mse', optimizer: 'sgd', batchSize: 4, epochs: 2, testFraction: 0 },
      },
      { registry: testRegistry(), data },
    );
    const result = session.run();
    expect(result.steps).toBe(6);
    expect(result.losses.every(Number.isFinite)).toBe(true);
  });
});

describe('vanishing and exploding gradients through time', () => {
  const long = 12;
  const data = randomData(6, FEATURES, 1, 'regression', 41, long);
  const norms = (rnn: Partial<RnnLayerSpec>) => backprop(rnn, data).norms;

  it('with small recurrent weights, ‖∂L/∂h_t‖ shrinks going back in time (vanishing)', () => {
    const n = norms({ recurrentInitializer: ['normal', { std: 0.1 }] });
    for (let t = 1; t < long; t++) expect(n[t - 1]).toBeLessThan(n[t]);
    expect(n[0] / n[long - 1]).toBeLessThan(1e-6);
  });

  it('with large recurrent weights and unsaturated units, it grows going back in time (exploding)', () => {
    // Wh = 1.5·I, tiny inputs (Wx ~ N(0, 0.001²)) and zero bias keep tanh near its linear region:
    // h_t grows like 1.5^t, so over 12 steps |z| stays below ~0.4 and 1.5·tanh′(z) > 1 at every step.
    // (With std 0.01 the last steps reach |z| ≈ 1, where 1.5·tanh′(z) < 1, depending on the draws.)
    const n = norms({
      initializer: ['normal', { std: 0.001 }],
      biasInitializer: 'zeros',
      recurrentInitializer: ['identity', { gain: 1.5 }],
    });
    for (let t = 1; t < long; t++) expect(n[t - 1]).toBeGreaterThan(n[t]);
    expect(n[0] / n[long - 1]).toBeGreaterThan(1.4 ** (long - 1));
  });

  it('reports the norms through the probe trace as well', async () => {
    const { recordingProbe } = await import('./helpers.ts');
    const probe = recordingProbe((trace) => Float64Array.from(trace.layers[0].timeDeltaNorms!));
    createSession(
      {
        seed: 1,
        model: {
          layers: [
            { type: 'rnn', units: 2, initializer: 'normal' },
            { type: 'dense', units: 1, initializer: 'normal' },
          ],
        },
        train: { loss: 'mse', optimizer: 'sgd', batchSize: 6, steps: 2, testFraction: 0 },
      },
      { registry: testRegistry(), data, probes: [probe.definition()] },
    ).run();
    expect(probe.seen).toHaveLength(2);
    expect(probe.seen[0]).toHaveLength(long);
    expect(probe.seen[0].every((v) => v > 0)).toBe(true);
  });
});

describe('per-time-step norms at extreme scales', () => {
  // A linear rnn with W_h = g·I, g a power of two, and input only at the last step: then
  // ∂L/∂h_{t−1} = g·∂L/∂h_t exactly (no rounding), so ‖∂L/∂h_t‖ = g^(T−1−t)·‖∂L/∂h_{T−1}‖ is
  // known in closed form even where Σx² under- or overflows float64.
  const steps = 200;
  function timeNorms(gain: number) {
    const data = randomData(4, FEATURES, 1, 'regression', 7, steps);
    for (let r = 0; r < 4; r++) data.x.fill(0, r * steps * FEATURES, (r * steps + steps - 1) * FEATURES);
    const session = createSession(
      {
        seed: 3,
        model: {
          layers: [
            { type: 'rnn', units: UNITS, activation: 'linear', initializer: 'normal', biasInitializer: 'zeros' },
            { type: 'dense', units: 1, initializer: 'normal' },
          ],
        },
        train: { loss: 'mse', optimizer: 'sgd', batchSize: 4, testFraction: 0 },
      },
      { registry: testRegistry(), data },
    );
    const { model } = session;
    const Wh = model.params[1].value;
    Wh.fill(0);
    for (let j = 0; j < UNITS; j++) Wh[j * UNITS + j] = gain;
    const dOut = new Float64Array(4);
    model.zeroGrads();
    const out = model.forward(data.x, 4, true);
    const loss = getLoss('mse');
    loss.gradient(out, data.y, 4, 1, dOut);
    model.backward(dOut, 4);
    return Float64Array.from(model.layers[0].view(4).timeDeltaNorms!);
  }

  for (const [gain, bits] of [
    [2 ** -5, -5],
    [2 ** 5, 5],
  ] as const) {
    it(`W_h = 2^${bits}·I over ${steps} steps: every ‖∂L/∂h_t‖ is the exact power-of-two multiple, never 0 or Infinity`, () => {
      const n = timeNorms(gain);
      const lastNorm = n[steps - 1];
      expect(lastNorm).toBeGreaterThan(1e-3);
      expect(lastNorm).toBeLessThan(1e3);
      // 2^(±5·199) ≈ 1e∓300: the plain Σx² is 0 (or Infinity) for most of these steps.
      for (let t = 0; t < steps; t++) {
        const expected = lastNorm * 2 ** (bits * (steps - 1 - t));
        expect(Number.isFinite(n[t]) && n[t] > 0).toBe(true);
        expect(Math.abs(n[t] - expected)).toBeLessThanOrEqual(4 * Number.EPSILON * expected);
      }
    });
  }
});
