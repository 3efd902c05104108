/**
 * Page 8's claims against a second implementation: the clip job's cosines for the four rules are
 * recomputed here from the raw gradient with clipping written out by hand (not the plugins), and the
 * training run's clipping rate and pre-clip norm are checked against their definitions.
 */
import { createSession } from '@gradlab/core';
import type { Probe, StepTrace } from '@gradlab/plugin-api';
import { canonicalSpec } from '@gradlab/probes';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { createJobs } from '../src/lab/jobs.ts';

const jobs = createJobs(buildRegistry);
const CANON = { activation: 'relu', initializer: 'he', depth: 4, width: 16, batch: 32, seed: 3, gain: 1 } as const;

/** The first step's raw gradient and the weights it was taken at, straight from a session. */
function rawGradient() {
  const spec = canonicalSpec({ ...CANON, steps: 0 }, { registry: buildRegistry });
  let grads: Float64Array[] = [];
  const capture: Probe = {
    id: 'test-capture',
    options: {},
    onStep: (t: StepTrace) => void (grads = t.grads.map((g) => g.slice())),
    report: () => null,
  };
  const session = createSession(spec, { registry: buildRegistry, probes: [capture] });
  const params = session.model.params.map((p) => ({ shape: p.shape, value: p.value.slice() }));
  session.step();
  return { grads, params };
}

const flat = (xs: Float64Array[]) => xs.flatMap((x) => [...x]);
function cos(a: number[], b: number[]) {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return d / Math.sqrt(na * nb);
}
const hypot = (xs: ArrayLike<number>) => Math.sqrt(Array.from(xs).reduce((s, x) => s + x * x, 0));

describe('page 8: the clip job, against clipping written out by hand', () => {
  const r = jobs.clip(CANON);
  const { grads, params } = rawGradient();
  const g = flat(grads);

  it('by value: clamp every entry; global norm: one common factor (cosine 1)', () => {
    r.thresholds.forEach((c, i) => {
      expect(r.cosValue[i]).toBeCloseTo(
        cos(
          g,
          g.map((x) => Math.min(Math.max(x, -c), c)),
        ),
        12,
      );
      expect(r.cosNorm[i]).toBeCloseTo(1, 12);
    });
    expect(r.preNorm).toBeCloseTo(hypot(g), 10);
  });

  it('by norm per tensor and AGC per unit (columns of W, each bias entry its own unit)', () => {
    r.thresholds.forEach((c, i) => {
      const perTensor = grads.flatMap((t) => {
        const n = hypot(t);
        return [...t].map((x) => (n > c ? (x * c) / n : x));
      });
      expect(r.cosTensor[i]).toBeCloseTo(cos(g, perTensor), 12);
      const agc = grads.flatMap((t, k) => {
        const shape = params[k].shape;
        const [rows, cols] = shape.length === 2 ? shape : [t.length, 1];
        const out = [...t];
        for (let j = 0; j < cols; j++) {
          const col = (x: ArrayLike<number>) => Array.from({ length: rows }, (_, row) => x[row * cols + j]);
          const gn = hypot(col(t));
          const bound = c * Math.max(hypot(col(params[k].value)), 1e-3);
          if (gn > bound) for (let row = 0; row < rows; row++) out[row * cols + j] *= bound / gn;
        }
        return out;
      });
      expect(r.cosAdaptive[i]).toBeCloseTo(cos(g, agc), 12);
    });
  });

  it('value clipping turns the direction far more than the others at small thresholds', () => {
    expect(r.cosValue[0]).toBeLessThan(0.8);
    expect(r.cosValue[r.cosValue.length - 1]).toBeGreaterThan(r.cosValue[0] ?? 1);
  });
});

describe("page 8: a clipped run's rate and pre-clip norm", () => {
  it('global norm: the rate is 1 exactly on the steps whose pre-clip ‖g‖ exceeds c', () => {
    const c = 1;
    const r = jobs
      .train({ ...CANON, optimizer: 'sgd', lr: 0.1, trainSteps: 30, clip: 'global-norm', clipThreshold: c })
      .finish();
    expect(r.gradNorm.length).toBe(30);
    expect(r.clipRate).toEqual(r.gradNorm.map((n) => (n !== null && n > c ? 1 : 0)));
  });

  it('step 0: the pre-clip norm is the norm of the raw gradient; no clipping means rate 0', () => {
    const r = jobs.train({ ...CANON, optimizer: 'sgd', lr: 0.01, trainSteps: 3, clip: 'none' }).finish();
    expect(r.gradNorm[0]).toBeCloseTo(hypot(flat(rawGradient().grads)), 10);
    expect(r.clipRate).toEqual([0, 0, 0]);
  });
});
