import type { Probe } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { createSession } from '../src/session.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import { bytes, recordingProbe, testRegistry } from './helpers.ts';

/**
 * The determinism promise: a spec and a seed fix every bit of the result. Weights are compared
 * as raw bytes, so even a last-bit difference (a reordered sum) fails.
 */
function spec(seed: number): ExperimentSpec {
  return {
    seed,
    data: ['moons', { samples: 120 }],
    model: {
      defaults: { initializer: ['normal', { std: 0.6 }] },
      layers: [
        { type: 'dense', units: 6, activation: 'tanh' },
        { type: 'batchnorm', activation: 'relu' },
        { type: 'dense', units: 6, activation: 'softplus', residual: true },
        { type: 'dense', units: 1 },
      ],
    },
    // 96 training rows in batches of 10: a partial last batch each epoch, reshuffled every epoch.
    train: { loss: 'bce', optimizer: ['adam', { lr: 0.01 }], batchSize: 10, steps: 100 },
  };
}

function trainedBytes(seed: number, probes: Probe[] = [], extra: Partial<ExperimentSpec['train']> = {}) {
  const s = spec(seed);
  const registry = testRegistry();
  const session = createSession({ ...s, train: { ...s.train, ...extra } }, { registry, probes });
  const result = session.run();
  expect(result.steps).toBe(100);
  expect(result.stopped).toBeUndefined();
  const tensors = [
    ...session.model.params.map((p) => p.value),
    ...session.model.layers.flatMap((l) => Object.values(l.buffers)),
  ];
  return { tensors: tensors.map(bytes), losses: result.losses };
}

describe('determinism', () => {
  it('gives bit-identical weights, running statistics and losses for the same spec and seed after 100 steps', () => {
    const a = trainedBytes(7);
    const b = trainedBytes(7);
    expect(a.tensors.length).toBe(8 + 2); // 3 dense × (W, b) + γ, β; running mean and variance
    a.tensors.forEach((t, i) => {
      expect(b.tensors[i]).toEqual(t);
    });
    expect(b.losses).toEqual(a.losses);
  });

  it('gives different weights for a different seed', () => {
    const a = trainedBytes(7);
    const c = trainedBytes(8);
    a.tensors.forEach((t, i) => {
      expect(c.tensors[i]).not.toEqual(t);
    });
  });

  it('does not change the weights when probes are attached, even ones that read every trace array', () => {
    const plain = trainedBytes(7);
    const reader = recordingProbe((trace) => {
      // Touch everything, including the lazily built views and dadz.
      let s = trace.loss;
      for (const layer of trace.layers) s += layer.z[0] + layer.a[0] + layer.dadz[0] + layer.delta[0] + layer.gradW[0];
      for (const g of trace.grads) s += g[0];
      return s;
    });
    const withUpdates = recordingProbe((trace) => trace.layers.map((l) => l.updateW?.[0]), ['updates']);
    const probed = trainedBytes(7, [reader.definition(), withUpdates.definition()]);
    expect(reader.seen).toHaveLength(100);
    expect(withUpdates.seen).toHaveLength(100);
    plain.tensors.forEach((t, i) => {
      expect(probed.tensors[i]).toEqual(t);
    });
    expect(probed.losses).toEqual(plain.losses);
  });

  it('is sensitive: one different hyperparameter changes the weights (the comparison can fail)', () => {
    const a = trainedBytes(7);
    const other = trainedBytes(7, [], { optimizer: ['adam', { lr: 0.0100000001 }] });
    expect(other.tensors[0]).not.toEqual(a.tensors[0]);
  });
});
