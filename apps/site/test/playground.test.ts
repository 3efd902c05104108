/**
 * The free lab's playground (decision 0046): the boundary grid against an independent forward pass
 * written here from the weights, evaluation that leaves the run bit for bit as core trains it alone,
 * the per-layer activation keys and their errors, and the URL form of those controls.
 */
import { createSession, validateExperiment } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { buildControl } from '../src/lab/catalog.ts';
import { classify, extent, GRID, gridInputs, startPlayground } from '../src/lab/playground-job.ts';
import { layerActivations, PLAYGROUND_DATA, playgroundSpec } from '../src/lab/playground-spec.ts';
import type { Setting } from '../src/lab/protocol.ts';
import { createSiteRegistry } from '../src/lab/registry.ts';
import { applicableSetting, parseState } from '../src/lab/state.ts';

const registry = createSiteRegistry();
const BASE: Setting = {
  data: 'spirals',
  samples: 100,
  noise: 0.05,
  depth: 3,
  width: 6,
  act1: 'relu',
  act2: 'tanh',
  act3: 'sigmoid',
  initializer: 'he',
  gain: 1,
  biasInit: 0,
  optimizer: 'adam',
  lr: 0.03,
  batch: 8,
  trainSteps: 40,
  seed: 2,
  clip: 'none',
  reg: 'none',
  norm: 'none',
  residual: 'off',
};

/** The activations by closed form (not the plugins' code). */
const F: Record<string, (z: number) => number> = {
  relu: (z) => Math.max(z, 0),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  linear: (z) => z,
};

/** out = f(x·W + b) layer by layer, from a session's weights, in plain loops. */
function forwardByHand(s: Setting, weights: Float64Array[], x: number[]): number[] {
  const acts = [...layerActivations(registry, s, s.depth as number), 'linear'];
  let h = x;
  for (const [l, act] of acts.entries()) {
    const W = weights[2 * l];
    const b = weights[2 * l + 1];
    const out = b.length;
    h = Array.from({ length: out }, (_, j) => {
      let z = b[j];
      for (let i = 0; i < h.length; i++) z += h[i] * W[i * out + j];
      return F[act](z);
    });
  }
  return h;
}

describe('playground grid', () => {
  it('the map is the trained network evaluated at the cell centres (checked against a forward pass by hand)', () => {
    for (const data of ['moons', 'clusters']) {
      const s = { ...BASE, data };
      const r = startPlayground(registry, s).finish();
      // The same run again in core alone: same spec and seed, so the same weights at the end.
      const session = createSession(playgroundSpec(registry, s), { registry });
      session.run();
      const weights = session.model.params.map((p) => p.value);
      const b = r.boundary;
      expect(b.size).toBe(GRID);
      expect(b.classes).toBe(data === 'clusters' ? 3 : 2);
      for (const cell of [0, 47, 1000, 1234, GRID * GRID - 1]) {
        const i = cell % GRID;
        const j = Math.floor(cell / GRID);
        const x1 = b.x1[0] + ((i + 0.5) / GRID) * (b.x1[1] - b.x1[0]);
        const x2 = b.x2[0] + ((j + 0.5) / GRID) * (b.x2[1] - b.x2[0]);
        const logits = forwardByHand(s, weights, [x1, x2]);
        if (logits.length === 1) {
          const p1 = 1 / (1 + Math.exp(-logits[0]));
          expect(b.label[cell]).toBe(p1 > 0.5 ? 1 : 0);
          expect(b.confidence[cell]).toBeCloseTo(Math.max(p1, 1 - p1), 10);
        } else {
          const e = logits.map(Math.exp);
          const total = e.reduce((a, v) => a + v, 0);
          const best = logits.indexOf(Math.max(...logits));
          expect(b.label[cell]).toBe(best);
          expect(b.confidence[cell]).toBeCloseTo(e[best] / total, 10);
        }
      }
    }
  });

  it('the grid spans every point with a margin; cell centres step evenly', () => {
    const a = new Float64Array([0, -1, 2, 3]);
    const { x1, x2 } = extent([a, new Float64Array([-2, 1])]);
    expect(x1).toEqual([-2 - 0.4, 2 + 0.4]);
    expect(x2).toEqual([-1 - 0.4, 3 + 0.4]);
    const g = gridInputs(4, [0, 4], [10, 14]);
    expect(Array.from(g.slice(0, 4))).toEqual([0.5, 10.5, 1.5, 10.5]);
    expect(Array.from(g.slice(-2))).toEqual([3.5, 13.5]);
  });

  it('classify: σ of one logit, softmax of several (closed form)', () => {
    const label: number[] = [];
    const conf: number[] = [];
    classify(new Float64Array([Math.log(3)]), 1, 1, label, conf);
    expect(label[0]).toBe(1);
    expect(conf[0]).toBeCloseTo(0.75, 14);
    classify(new Float64Array([0, Math.log(2), Math.log(5)]), 1, 3, label, conf);
    expect(label[0]).toBe(2);
    expect(conf[0]).toBeCloseTo(5 / 8, 14);
  });
});

describe('playground run', () => {
  it('evaluating the grid after every step leaves the losses and test numbers of core training alone, bit for bit', () => {
    for (const extra of [{}, { norm: 'batchnorm', data: 'clusters' }, { residual: 'on', data: 'xor' }] as Setting[]) {
      const s = { ...BASE, ...extra };
      let t = 0;
      const clock = () => (t += 100); // every slice is one step, and the grid is evaluated after each
      const job = startPlayground(registry, s);
      let slices = 0;
      while (!job.done) {
        job.advance(0, clock);
        slices++;
      }
      expect(slices).toBe(40);
      const r = job.snapshot();
      const session = createSession(playgroundSpec(registry, s), { registry });
      const run = session.run();
      expect(r.loss).toEqual(run.losses.map((v) => (Number.isFinite(v) ? v : null)));
      const test = session.evaluate('test');
      expect(r.accuracy.testLoss).toBe(test.loss);
      expect(r.accuracy.test).toBe(test.accuracy);
    }
  });

  it('builds a valid spec for every data set, with norm or residual, the loss core defines for the task', () => {
    for (const data of PLAYGROUND_DATA)
      for (const extra of [{}, { norm: 'batchnorm' }, { residual: 'on', width: 2 }] as Setting[]) {
        const spec = playgroundSpec(registry, { ...BASE, data, ...extra });
        expect(validateExperiment(spec, registry)).toEqual([]);
        expect(spec.train.loss).toBe(data === 'clusters' ? 'softmax-ce' : 'bce');
        // The first layer maps 2 inputs to `width` units: no skip there.
        expect((spec.model.layers[0] as { residual?: boolean }).residual ?? false).toBe(false);
      }
  });

  it('dashboard: one entry per layer (3 hidden + output); findings carry their fix', () => {
    const r = startPlayground(registry, {
      ...BASE,
      act1: 'relu',
      act2: 'relu',
      act3: 'relu',
      lr: 1,
      trainSteps: 80,
    }).finish();
    expect(r.dashboard.deltaNorm).toHaveLength(4);
    expect(r.dashboard.dead).toHaveLength(4);
    for (const a of r.advice) {
      // A finding's layer counts from 0 (as in the terminal); the note gives the charts' number, one more.
      const m = /^[A-Z_]+(?: \(layer (\d+) counted from 0, as in the terminal: (\d+) on the charts\))?: .+/.exec(a);
      expect(m, a).not.toBeNull();
      if (m?.[1] !== undefined) expect(Number(m[2])).toBe(Number(m[1]) + 1);
    }
    expect(
      r.advice.some((a) => a.includes('on the charts')),
      'some finding names its layer',
    ).toBe(true);
    expect(r.advice.some((a) => a.includes(' Fix: '))).toBe(true);
  });
});

describe('per-layer activation', () => {
  it('reads act1 … act<depth> and ignores the keys past the depth', () => {
    expect(layerActivations(registry, { ...BASE, act4: 'bogus' }, 3)).toEqual(['relu', 'tanh', 'sigmoid']);
  });

  it('a missing or unknown activation is an error naming the key and the ids to use', () => {
    const { act3: _, ...missing } = BASE;
    expect(() => layerActivations(registry, missing, 3)).toThrow(/lab setting act3: missing; .*relu/);
    expect(() => layerActivations(registry, { ...BASE, act2: 'relux' }, 3)).toThrow(
      /lab setting act2: unknown activation "relux"; every hidden layer 1–3 needs one of .*leaky-relu/,
    );
    expect(() => playgroundSpec(registry, { ...BASE, depth: 7 })).toThrow(/lab setting depth: 7/);
    expect(() => playgroundSpec(registry, { ...BASE, data: 'gaussian' })).toThrow(/lab setting data: "gaussian"/);
  });

  it('URL: a bad layer activation falls back with a notice; layers past the depth are greyed out and not sent', () => {
    const controls = ['depth', 'act1', 'act2', 'act3', 'act4'].map((name) =>
      buildControl(registry, { name: name as 'depth', ...(name === 'depth' && { max: 6 }) }),
    );
    const preset = { depth: 3, act1: 'relu', act2: 'relu', act3: 'relu', act4: 'relu' };
    const { setting, notices } = parseState(
      new URLSearchParams('play.act2=relux&play.act3=tanh&play.depth=2'),
      'play',
      controls,
      preset,
    );
    expect(notices).toEqual([expect.stringMatching(/^play\.act2="relux" is not one of .*; using relu\.$/)]);
    expect(setting).toMatchObject({ depth: 2, act2: 'relu', act3: 'tanh' });
    expect(applicableSetting(setting, controls)).toEqual({ depth: 2, act1: 'relu', act2: 'relu' });
  });
});

describe("the page's three suggestions hold for its preset", () => {
  const PRESET: Setting = {
    ...BASE,
    data: 'spirals',
    samples: 200,
    noise: 0,
    depth: 4,
    width: 8,
    act1: 'relu',
    act2: 'relu',
    act3: 'relu',
    act4: 'relu',
    batch: 16,
    trainSteps: 1000,
    seed: 0,
  };
  const sixSigmoid: Setting = {
    ...PRESET,
    depth: 6,
    initializer: 'glorot',
    ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((k) => [`act${k}`, 'sigmoid'])),
  };
  const preset = startPlayground(registry, PRESET).finish();
  const sigmoid = startPlayground(registry, sixSigmoid).finish();

  it('six sigmoid layers: ‖δ‖ shrinks towards the first layer, VANISHING_GRADIENTS, the boundary stays behind', () => {
    expect(sigmoid.dashboard.ratio).toBeLessThan(0.1);
    expect(sigmoid.advice.some((a) => a.startsWith('VANISHING_GRADIENTS'))).toBe(true);
    expect(sigmoid.accuracy.train).toBeLessThan((preset.accuracy.train ?? 0) - 0.2);
  });

  it('ReLU at learning rate 1: most units die and the training accuracy is a coin flip', () => {
    const r = startPlayground(registry, { ...PRESET, lr: 1 }).finish();
    expect(r.dead.at(-1)).toBeGreaterThan(0.5);
    expect(r.accuracy.train).toBeLessThan(0.6);
  });

  it('residual connections or batch norm: ‖δ‖ no longer shrinks towards the first layer', () => {
    for (const fix of [{ residual: 'on' }, { norm: 'batchnorm' }])
      expect(startPlayground(registry, { ...sixSigmoid, ...fix }).finish().dashboard.ratio).toBeGreaterThan(1);
  });
});
