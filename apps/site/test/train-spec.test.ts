/**
 * The lab's training spec: each knob reaches the engine and does what the rule says, checked against a
 * closed form on a real first step (not against what the spec builder printed).
 */
import { createSession, validateExperiment } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import type { Setting } from '../src/lab/protocol.ts';
import { createSiteRegistry, createWorkerRegistry } from '../src/lab/registry.ts';
import { thresholdOption, trainSpec } from '../src/lab/train-spec.ts';

const registry = createSiteRegistry();
const BASE: Setting = {
  activation: 'relu',
  initializer: 'he',
  depth: 4,
  width: 16,
  batch: 16,
  seed: 3,
  gain: 1,
  optimizer: 'sgd',
  lr: 0.1,
  trainSteps: 2,
};

/** Weights before and after the first step, and the raw (unclipped, unregularized) gradient of that step. */
function firstStep(s: Setting) {
  const session = createSession(trainSpec(registry, s), { registry });
  const before = session.model.params.map((p) => p.value.slice());
  session.step();
  const after = session.model.params.map((p) => p.value.slice());
  return { session, before, after };
}

describe('trainSpec', () => {
  it('every spec it builds is valid, for every clipping rule and regularizer in the site registry', () => {
    for (const clip of ['none', ...registry.list('clipping').map((d) => d.meta.id)]) {
      for (const reg of ['none', ...registry.list('regularizer').map((d) => d.meta.id)]) {
        expect(validateExperiment(trainSpec(registry, { ...BASE, clip, reg }), registry)).toEqual([]);
      }
    }
  });

  it("the threshold control sets an option each clipping plugin really declares, and the worker's registry has every plugin the site's has", () => {
    for (const d of registry.list('clipping'))
      expect(Object.keys(d.options)).toContain(thresholdOption(registry, d.meta.id));
    const worker = createWorkerRegistry();
    for (const kind of ['activation', 'initializer', 'clipping', 'regularizer'] as const) {
      expect(worker.list(kind).map((d) => d.meta.id)).toEqual(registry.list(kind).map((d) => d.meta.id));
    }
  });

  it('global-norm clipping at c bounds the whole first SGD update: ‖ΔW‖ = lr · min(‖g‖, c)', () => {
    const plain = firstStep(BASE);
    const c = 1e-3;
    const clipped = firstStep({ ...BASE, clip: 'global-norm', clipThreshold: c });
    const norm = (r: typeof plain) => {
      let s = 0;
      for (let t = 0; t < r.after.length; t++) {
        for (let i = 0; i < r.after[t].length; i++) s += (r.after[t][i] - r.before[t][i]) ** 2;
      }
      return Math.sqrt(s);
    };
    const g = norm(plain) / 0.1; // plain SGD: ΔW = −lr g
    expect(g).toBeGreaterThan(c * 10); // the bound binds
    expect(norm(clipped)).toBeCloseTo(0.1 * c, 12);
  });

  it('L2 at λ adds exactly −lr·λ·W to the first SGD update of every weight, and nothing to biases', () => {
    const lambda = 0.01;
    const plain = firstStep(BASE);
    const reg = firstStep({ ...BASE, reg: 'l2', lambda });
    plain.session.model.params.forEach((slot, t) => {
      for (let i = 0; i < slot.value.length; i++) {
        const extra = reg.after[t][i] - plain.after[t][i];
        const want = slot.role === 'weight' ? -0.1 * lambda * plain.before[t][i] : 0;
        expect(Math.abs(extra - want)).toBeLessThanOrEqual(1e-15 + 1e-12 * Math.abs(want));
      }
    });
  });

  it('residual: every hidden dense layer is residual and the output layer is not; batch norm inserts one batchnorm per hidden layer', () => {
    const res = trainSpec(registry, { ...BASE, residual: 'on' }).model.layers;
    expect(res.map((l) => l.type === 'dense' && l.residual === true)).toEqual([true, true, true, true, false]);
    const bn = trainSpec(registry, { ...BASE, norm: 'batchnorm' }).model.layers;
    expect(bn.map((l) => l.type)).toEqual([...Array(4).fill(['dense', 'batchnorm']).flat(), 'dense']);
  });

  it('bad settings throw an error naming the key and the fix', () => {
    expect(() => trainSpec(registry, { ...BASE, clip: 'nope' })).toThrow(
      /lab setting clip: unknown clipping rule "nope"; use none or one of .*global-norm/,
    );
    expect(() => trainSpec(registry, { ...BASE, reg: 'l3' })).toThrow(
      /lab setting reg: unknown regularizer "l3"; use none or one of .*l2/,
    );
    expect(() => trainSpec(registry, { ...BASE, norm: 'layernorm' })).toThrow(
      /lab setting norm: "layernorm"; use none or batchnorm/,
    );
    expect(() => trainSpec(registry, { ...BASE, residual: 'yes' })).toThrow(
      /lab setting residual: "yes"; use off or on/,
    );
    expect(() => trainSpec(registry, { ...BASE, residual: 'on', norm: 'batchnorm' })).toThrow(/turn one off/);
  });
});
