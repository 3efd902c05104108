import type { ParamRole, ParamSlot } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { adam, adamw, momentum, OPTIMIZERS, sgd } from '../src/optimizers.ts';

/**
 * Every expected value below is the optimizer's formula written out by hand for these literal
 * numbers (PyTorch's conventions), not a call of the optimizer. One scalar parameter per role
 * keeps the arithmetic readable; gradients change sign between steps so the state matters.
 */
const slot = (role: ParamRole, value: number): ParamSlot => ({
  name: `p.${role}`,
  layer: 0,
  role,
  shape: [1, 1],
  value: new Float64Array([value]),
});

/** Equal up to a few ulps: hand arithmetic may group operations differently from the kernel. */
function expectNear(actual: number, expected: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(expected)));
}

const G = [0.5, -0.2, 0.1];
const grad = (g: number) => [new Float64Array([g])];

describe('sgd', () => {
  it('takes w ← w − η·g', () => {
    const params = [slot('weight', 1), slot('bias', -2)];
    const opt = sgd.create({ lr: 0.1, weightDecay: 0 }, params);
    opt.step(params, [new Float64Array([0.5]), new Float64Array([0.25])]);
    expect(params[0].value[0]).toBe(1 - 0.1 * 0.5);
    expect(params[1].value[0]).toBe(-2 - 0.1 * 0.25);
    opt.step(params, [new Float64Array([-0.2]), new Float64Array([0])]);
    expect(params[0].value[0]).toBe(1 - 0.1 * 0.5 - 0.1 * -0.2);
    expect(params[1].value[0]).toBe(-2 - 0.1 * 0.25);
  });
});

describe('sgd with coupled weight decay (PyTorch SGD(weight_decay=λ))', () => {
  it('steps along g + λ·w for weights and recurrent weights, along g for biases, γ and β', () => {
    const params = [slot('weight', 2), slot('recurrent', -4), slot('bias', 2), slot('gamma', 2), slot('beta', 2)];
    const opt = sgd.create({ lr: 0.1, weightDecay: 0.5 }, params);
    opt.step(
      params,
      params.map(() => new Float64Array([0.25])),
    );
    expectNear(params[0].value[0], 2 - 0.1 * (0.25 + 0.5 * 2)); // 1.875
    expectNear(params[1].value[0], -4 - 0.1 * (0.25 + 0.5 * -4)); // -3.825
    for (const p of params.slice(2)) expectNear(p.value[0], 2 - 0.1 * 0.25);
    expectNear(params[0].value[0], 1.875);
  });
});

describe('momentum with dampening and weight decay (PyTorch SGD(momentum, dampening, weight_decay))', () => {
  it('starts the buffer at the undampened gradient, then v ← μv + (1 − d)(g + λw)', () => {
    const params = [slot('weight', 1)];
    const opt = momentum.create({ lr: 0.1, momentum: 0.9, nesterov: false, dampening: 0.5, weightDecay: 0.1 }, params);
    // PyTorch: d_p = g + λw; buf = d_p on the first step, else buf = μ·buf + (1 − d)·d_p; w −= η·buf.
    const g1 = 0.5 + 0.1 * 1; // 0.6
    const v1 = g1;
    const w1 = 1 - 0.1 * v1; // 0.94
    const g2 = -0.2 + 0.1 * w1; // -0.106
    const v2 = 0.9 * v1 + 0.5 * g2; // 0.487
    const w2 = w1 - 0.1 * v2; // 0.8913
    const g3 = 0.1 + 0.1 * w2;
    const v3 = 0.9 * v2 + 0.5 * g3;
    const w3 = w2 - 0.1 * v3;
    const expected = [w1, w2, w3];
    G.forEach((g, t) => {
      opt.step(params, grad(g));
      expectNear(params[0].value[0], expected[t]);
    });
    expectNear(w2, 0.8913);
  });

  it('with dampening 0 and no decay gives the same bits as before the options existed', () => {
    const a = [slot('weight', 1)];
    const b = [slot('weight', 1)];
    const plain = momentum.create({ lr: 0.1, momentum: 0.9, nesterov: false, dampening: 0, weightDecay: 0 }, a);
    let v = 0;
    for (const g of G) {
      plain.step(a, grad(g));
      v = 0.9 * v + g;
      b[0].value[0] -= 0.1 * v;
      expect(a[0].value[0]).toBe(b[0].value[0]);
    }
  });
});

describe('momentum (PyTorch form v ← μv + g, w ← w − ηv)', () => {
  it('accumulates velocity over three steps', () => {
    const params = [slot('weight', 1)];
    const opt = momentum.create({ lr: 0.1, momentum: 0.9, nesterov: false, dampening: 0, weightDecay: 0 }, params);
    const v1 = 0.5;
    const w1 = 1 - 0.1 * v1; // 0.95
    const v2 = 0.9 * v1 + -0.2; // 0.25
    const w2 = w1 - 0.1 * v2; // 0.925
    const v3 = 0.9 * v2 + 0.1; // 0.325
    const w3 = w2 - 0.1 * v3; // 0.8925
    const expected = [w1, w2, w3];
    G.forEach((g, t) => {
      opt.step(params, grad(g));
      expectNear(params[0].value[0], expected[t]);
    });
    expectNear(params[0].value[0], 0.8925);
  });

  it('Nesterov steps along g + μ·v with the updated velocity', () => {
    const params = [slot('weight', 1)];
    const opt = momentum.create({ lr: 0.1, momentum: 0.9, nesterov: true, dampening: 0, weightDecay: 0 }, params);
    const v1 = 0.5;
    const w1 = 1 - 0.1 * (0.5 + 0.9 * v1); // 0.905
    const v2 = 0.9 * v1 + -0.2; // 0.25
    const w2 = w1 - 0.1 * (-0.2 + 0.9 * v2); // 0.9025
    const v3 = 0.9 * v2 + 0.1; // 0.325
    const w3 = w2 - 0.1 * (0.1 + 0.9 * v3); // 0.86325
    const expected = [w1, w2, w3];
    G.forEach((g, t) => {
      opt.step(params, grad(g));
      expectNear(params[0].value[0], expected[t]);
    });
    expectNear(params[0].value[0], 0.86325);
  });

  it('keeps one velocity per parameter tensor', () => {
    const params = [slot('weight', 0), slot('bias', 0)];
    const opt = momentum.create({ lr: 1, momentum: 0.5, nesterov: false, dampening: 0, weightDecay: 0 }, params);
    opt.step(params, [new Float64Array([1]), new Float64Array([-1])]);
    opt.step(params, [new Float64Array([0]), new Float64Array([0])]);
    expect(params[0].value[0]).toBe(-1 - 0.5);
    expect(params[1].value[0]).toBe(1 + 0.5);
  });
});

describe('adam (with bias correction)', () => {
  it('matches the formulas over three steps', () => {
    const params = [slot('weight', 1)];
    const opt = adam.create({ lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, epsilonStyle: 'pytorch' }, params);
    // step 1, g = 0.5
    const m1 = (1 - 0.9) * 0.5;
    const v1 = (1 - 0.999) * 0.5 * 0.5;
    const w1 = 1 - (0.1 * (m1 / (1 - 0.9))) / (Math.sqrt(v1 / (1 - 0.999)) + 1e-8);
    // step 2, g = −0.2
    const m2 = 0.9 * m1 + (1 - 0.9) * -0.2;
    const v2 = 0.999 * v1 + (1 - 0.999) * 0.04;
    const w2 = w1 - (0.1 * (m2 / (1 - 0.9 ** 2))) / (Math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8);
    // step 3, g = 0.1
    const m3 = 0.9 * m2 + (1 - 0.9) * 0.1;
    const v3 = 0.999 * v2 + (1 - 0.999) * 0.01;
    const w3 = w2 - (0.1 * (m3 / (1 - 0.9 ** 3))) / (Math.sqrt(v3 / (1 - 0.999 ** 3)) + 1e-8);
    const expected = [w1, w2, w3];
    G.forEach((g, t) => {
      opt.step(params, grad(g));
      expect(params[0].value[0]).toBeCloseTo(expected[t], 14);
    });
    // Sanity of the hand formulas: bias correction makes the first step ≈ η·sign(g).
    expect(w1).toBeCloseTo(0.9, 6);
    // Without bias correction the first step would be η·0.05/(√0.00025) ≈ 0.316η, far from η.
    expect(Math.abs(1 - w1 - 0.1 * (0.05 / Math.sqrt(0.00025)))).toBeGreaterThan(0.05);
  });

  it('applies no weight decay', () => {
    const params = [slot('weight', 3), slot('bias', 3)];
    adam
      .create({ lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, epsilonStyle: 'pytorch' }, params)
      .step(params, [new Float64Array([0]), new Float64Array([0])]);
    expect(params[0].value[0]).toBe(3);
    expect(params[1].value[0]).toBe(3);
  });
});

describe("adam with epsilonStyle 'keras' (tf.keras / Keras 3)", () => {
  it('takes η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε), with ε outside the root and before bias correction', () => {
    const params = [slot('weight', 1)];
    const eps = 1e-3; // large, so the two placements differ visibly
    const opt = adam.create({ lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: eps, epsilonStyle: 'keras' }, params);
    // Keras 3 Adam.update_step: alpha = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ); var −= m·alpha/(√v + ε).
    let m = 0;
    let v = 0;
    let w = 1;
    G.forEach((g, i) => {
      const t = i + 1;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      w -= ((0.1 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t)) * (m / (Math.sqrt(v) + eps));
      opt.step(params, grad(g));
      expect(params[0].value[0]).toBeCloseTo(w, 14);
    });
    // The same ε in PyTorch's place gives a different first step: 0.1·0.5/(0.5 + 1e-3) vs 0.1·0.5/(0.5 + 1e-3/√0.001).
    const keras1 = 0.1 * (0.05 / (Math.sqrt(0.00025) + eps)) * (Math.sqrt(0.001) / 0.1);
    expect(keras1).toBeCloseTo(0.1 * (0.5 / (0.5 + eps / Math.sqrt(0.001))), 14);
    expect(Math.abs(keras1 - 0.1 * (0.5 / (0.5 + eps)))).toBeGreaterThan(5e-4);
  });
});

describe('adamw (decoupled weight decay)', () => {
  it('decays weights and recurrent weights by η·λ·w but leaves biases, γ and β alone', () => {
    const params = [slot('weight', 2), slot('recurrent', -4), slot('bias', 2), slot('gamma', 2), slot('beta', 2)];
    const opt = adamw.create(
      { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, epsilonStyle: 'pytorch', weightDecay: 0.5 },
      params,
    );
    const zero = params.map(() => new Float64Array([0]));
    opt.step(params, zero);
    // With g = 0 the Adam part is 0/(0 + ε) = 0, so only the decay moves anything.
    expect(params[0].value[0]).toBe(2 - 0.1 * 0.5 * 2);
    expect(params[1].value[0]).toBe(-4 - 0.1 * 0.5 * -4);
    expect(params[2].value[0]).toBe(2);
    expect(params[3].value[0]).toBe(2);
    expect(params[4].value[0]).toBe(2);
  });

  it('adds the decay to the Adam step, which is not the same as L2 inside the gradient', () => {
    const params = [slot('weight', 1), slot('bias', 1)];
    const opt = adamw.create(
      { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, epsilonStyle: 'pytorch', weightDecay: 0.5 },
      params,
    );
    opt.step(params, [new Float64Array([0.5]), new Float64Array([0.5])]);
    const adamStep = 0.5 / (Math.sqrt(0.25) + 1e-8); // m̂ = 0.5, v̂ = 0.25 after one step
    expectNear(params[0].value[0], 1 - 0.1 * (adamStep + 0.5 * 1));
    expectNear(params[1].value[0], 1 - 0.1 * adamStep);
    // Coupled L2 (g + λw = 1) would be normalized away: the first step would again be ≈ η.
    expect(Math.abs(params[0].value[0] - 0.9)).toBeGreaterThan(0.04);
  });
});

describe('optimizer table', () => {
  it('lists exactly sgd, momentum, adam and adamw with their documented defaults', () => {
    expect(Object.keys(OPTIMIZERS)).toEqual(['sgd', 'momentum', 'adam', 'adamw']);
    const defaults = (id: string) =>
      Object.fromEntries(Object.entries(OPTIMIZERS[id].options).map(([k, o]) => [k, o.default]));
    expect(defaults('sgd')).toEqual({ lr: 0.01, weightDecay: 0 });
    expect(defaults('momentum')).toEqual({ lr: 0.01, momentum: 0.9, nesterov: false, dampening: 0, weightDecay: 0 });
    const adamDefaults = { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, epsilonStyle: 'pytorch' };
    expect(defaults('adam')).toEqual(adamDefaults);
    expect(defaults('adamw')).toEqual({ ...adamDefaults, weightDecay: 0.01 });
  });
});
