/**
 * Page 7's claim: Adam's first step is ≈ lr per weight whatever the gradient's scale, so its first-step
 * update/weight ratio is the same in a net whose gradients vanish as in one whose do not. Checked
 * against Adam's closed form at t = 1 (m̂ = g, v̂ = g²: Δw = −lr·g/(|g| + ε)), computed here from the
 * gradient, not from the optimizer's own output.
 */
import { createSession } from '@gradlab/core';
import type { Probe, StepTrace } from '@gradlab/plugin-api';
import { canonicalSpec } from '@gradlab/probes';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { createJobs } from '../src/lab/jobs.ts';

const LR = 1e-3;
const EPS = 1e-8;
const net = { depth: 10, width: 64, batch: 64, seed: 0, optimizer: 'adam', lr: LR } as const;

/** The first step's gradient and applied update of every hidden layer's W, and W before the step. */
function firstStep(activation: string, initializer: string) {
  const spec = canonicalSpec({ ...net, activation, initializer }, { registry: buildRegistry });
  let trace: StepTrace | undefined;
  const capture: Probe = {
    id: 'test-first-step',
    options: {},
    needs: ['updates'],
    onStep(t) {
      trace ??= {
        ...t,
        layers: t.layers.map((l) => ({ ...l, gradW: l.gradW.slice(), updateW: l.updateW?.slice() })),
      };
    },
    report: () => null,
  };
  const session = createSession(spec, { registry: buildRegistry, probes: [capture] });
  const before = session.model.params.filter((p) => p.role === 'weight').map((p) => p.value.slice());
  session.step();
  return { trace: trace!, before };
}

describe("Adam's first step", () => {
  for (const [activation, initializer] of [
    ['sigmoid', 'glorot'],
    ['relu', 'he'],
  ] as const) {
    it(`${activation} + ${initializer}: every weight moves by lr·g/(|g| + ε) (≈ lr where |g| ≫ ε = 1e-8)`, () => {
      const { trace, before } = firstStep(activation, initializer);
      let smallest = Number.POSITIVE_INFINITY;
      for (const layer of trace.layers) {
        const g = layer.gradW;
        const u = layer.updateW!;
        for (let i = 0; i < g.length; i++) {
          const expected = (-LR * g[i]) / (Math.abs(g[i]) + EPS);
          expect(Math.abs(u[i] - expected)).toBeLessThanOrEqual(1e-15);
          if (g[i] !== 0) smallest = Math.min(smallest, Math.abs(g[i]));
        }
      }
      expect(smallest).toBeGreaterThan(0);
      expect(before.length).toBe(trace.layers.length);
    });

    it(`${activation} + ${initializer}: the probe's first-step update ratio per layer = lr·‖g/(|g| + ε)‖/‖W‖`, () => {
      const { trace, before } = firstStep(activation, initializer);
      const r = createJobs(buildRegistry).probe({ ...net, activation, initializer });
      trace.layers.forEach((layer, l) => {
        let step2 = 0;
        for (const g of layer.gradW) step2 += (LR * g) ** 2 / (Math.abs(g) + EPS) ** 2;
        let w2 = 0;
        for (const w of before[l]) w2 += w * w;
        expect(r.updateRatio[l]).toBeCloseTo(Math.sqrt(step2 / w2), 12);
      });
    });
  }

  it('sigmoid + Glorot: SGD’s first-step ratios span decades across layers, Adam’s stay within a factor of 2', () => {
    const jobs = createJobs(buildRegistry);
    const spread = (xs: (number | null)[]) => {
      const h = xs.slice(0, -1) as number[];
      return Math.max(...h) / Math.min(...h);
    };
    const sgd = jobs.probe({ ...net, activation: 'sigmoid', initializer: 'glorot', optimizer: 'sgd', lr: 0.01 });
    const adam = jobs.probe({ ...net, activation: 'sigmoid', initializer: 'glorot' });
    expect(spread(sgd.updateRatio)).toBeGreaterThan(1e4);
    expect(spread(adam.updateRatio)).toBeLessThan(2);
  });

  it('20-layer sigmoid: the first layer’s gradients are far below ε, so Adam’s step there is ≈ lr·|g|/ε, not lr', () => {
    const r = createJobs(buildRegistry).probe({ ...net, depth: 20, activation: 'sigmoid', initializer: 'glorot' });
    const { trace, before } = (() => {
      const spec = canonicalSpec(
        { ...net, depth: 20, activation: 'sigmoid', initializer: 'glorot' },
        { registry: buildRegistry },
      );
      let t: StepTrace | undefined;
      const probe: Probe = {
        id: 'x',
        options: {},
        onStep: (s) => {
          t ??= { ...s, layers: s.layers.map((l) => ({ ...l, gradW: l.gradW.slice() })) };
        },
        report: () => null,
      };
      const session = createSession(spec, { registry: buildRegistry, probes: [probe] });
      const w = session.model.params[0].value.slice();
      session.step();
      return { trace: t!, before: w };
    })();
    const g = trace.layers[0].gradW;
    let w2 = 0;
    for (const w of before) w2 += w * w;
    let g2 = 0;
    for (const x of g) g2 += x * x;
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-9);
    // g/(|g| + ε) ≈ g/ε when |g| ≤ ε/10: within 10 %.
    expect(Math.abs((r.updateRatio[0]! * Math.sqrt(w2)) / ((LR * Math.sqrt(g2)) / EPS) - 1)).toBeLessThan(0.1);
    expect(r.updateRatio[0]).toBeLessThan(1e-6);
  });

  it('a unit with gradient exactly 0 (a dead ReLU layer) gets an Adam step of exactly 0', () => {
    const r = createJobs(buildRegistry).probe({ ...net, activation: 'relu', initializer: 'he', biasInit: -0.5 });
    expect(r.dead.slice(6, 10).every((d) => d === 1)).toBe(true);
    expect(r.updateRatio.every((u) => u === 0)).toBe(true);
  });
});
