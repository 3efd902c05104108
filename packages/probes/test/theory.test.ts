import { describe, expect, it } from 'vitest';
import { gaussHermite, gaussianExpectation, gaussLegendre, meanField, runProbe } from '../src/index.ts';
import { gaussianExpectationOf } from '../src/quadrature.ts';
import { mean, registry, slope } from './helpers.ts';

const relu = { forward: (x: number) => Math.max(x, 0), derivative: (x: number) => (x > 0 ? 1 : 0) };
const leaky = (alpha: number) => ({
  forward: (x: number) => (x > 0 ? x : alpha * x),
  derivative: (x: number) => (x > 0 ? 1 : alpha),
});
const tanh = { forward: Math.tanh, derivative: (_x: number, y: number) => 1 - y * y };
const linear = { forward: (x: number) => x, derivative: () => 1 };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
/** Φ(−1/√2), Φ(−1), Φ(−2) to 17 digits. */
const PHI = { m0707: 0.23975006109347669, m1: 0.15865525393145707, m2: 0.022750131948179195 };

describe('Gauss–Hermite (Golub–Welsch + Newton, computed here)', () => {
  for (const n of [20, 60, 100]) {
    it(`${n} points: E[z^2k] = (2k − 1)!! to 1e-12 and odd moments vanish`, () => {
      const { nodes, weights } = gaussHermite(n);
      const moment = (p: number) => nodes.reduce((s, x, i) => s + weights[i] * x ** p, 0);
      let doubleFactorial = 1;
      for (let k = 1; k <= Math.min(n - 1, 40); k++) {
        doubleFactorial *= 2 * k - 1;
        expect(rel(moment(2 * k), doubleFactorial)).toBeLessThan(1e-12);
        expect(Math.abs(moment(2 * k - 1))).toBeLessThan(1e-12 * doubleFactorial);
      }
      expect(moment(0)).toBeCloseTo(1, 14);
      for (let i = 0; i < n; i++) expect(nodes[i] + nodes[n - 1 - i]).toBeCloseTo(0, 12);
      expect(weights.every((w) => w > 0)).toBe(true);
    });
  }

  it('Gauss–Legendre integrates x^k exactly up to degree 2n − 1', () => {
    const { nodes, weights } = gaussLegendre(20);
    for (let k = 0; k < 40; k += 2) {
      expect(nodes.reduce((s, x, i) => s + weights[i] * x ** k, 0)).toBeCloseTo(1 / (k + 1), 14);
    }
  });
});

describe('gaussianExpectation (composite Gauss–Legendre split at kinks)', () => {
  it('is exact for ReLU-type integrands with kinks', () => {
    expect(gaussianExpectation((x) => relu.forward(x) ** 2, 0, 3, [0])).toBeCloseTo(4.5, 13);
    expect(gaussianExpectation(Math.abs, 0, 1, [0])).toBeCloseTo(Math.sqrt(2 / Math.PI), 14);
    expect(gaussianExpectation((x) => (x > 0 ? 1 : 0), -1, 1, [0])).toBeCloseTo(PHI.m1, 14);
    expect(gaussianExpectation((x) => (x > 0 ? 1 : 0), -4, 2, [0])).toBeCloseTo(PHI.m2, 14);
  });

  it('agrees with a 200-point Gauss–Hermite rule on smooth integrands', () => {
    const { nodes, weights } = gaussHermite(200);
    const gh = (f: (x: number) => number) => nodes.reduce((s, x, i) => s + weights[i] * f(x), 0);
    const slope2 = (x: number) => (1 - Math.tanh(x) ** 2) ** 2;
    expect(gaussianExpectation(slope2, 0, 1)).toBeCloseTo(gh(slope2), 14);
    expect(gaussianExpectation((x) => Math.tanh(x) ** 2, 0.3, 0.7)).toBeCloseTo(
      gh((z) => Math.tanh(0.3 + 0.7 * z) ** 2),
      14,
    );
  });

  it('resolves a steep tanh where a single Gauss–Hermite rule fails', () => {
    // E[sech⁴(100 Z)] ≈ ∫sech⁴(u) du / (100 √(2π)) = (4/3) / (100 √(2π)), to O(1e-5) relative.
    const exact = 4 / 3 / (100 * Math.sqrt(2 * Math.PI));
    expect(
      rel(
        gaussianExpectation((x) => (1 - Math.tanh(x) ** 2) ** 2, 0, 100),
        exact,
      ),
    ).toBeLessThan(1e-4);
  });
});

describe('gaussianExpectationOf (the integrand over every node in one call)', () => {
  const bits = (xs: readonly number[]) => Buffer.from(Float64Array.from(xs).buffer).toString('hex');
  const sigmoid2 = (x: number) => (1 / (1 + Math.exp(-x))) ** 2;

  it('gives the bits of the point-by-point form, kinks, a zero and a huge sd included', () => {
    const cases: [number, number, number[]][] = [
      [0, 1, []],
      [0.3, 0.7, [0]],
      [-1.5, 3, [-1, 2]],
      [0, 100, [0]],
      [0.2, 0, []],
      [0, 1e-9, [0]],
    ];
    for (const [m, sd, kinks] of cases) {
      const scalar = gaussianExpectation(sigmoid2, m, sd, kinks);
      const batched = gaussianExpectationOf(
        (xs, out, n) => {
          for (let i = 0; i < n; i++) out[i] = sigmoid2(xs[i]);
        },
        m,
        sd,
        kinks,
      );
      expect(bits([batched]), `mean ${m}, sd ${sd}`).toBe(bits([scalar]));
    }
  });

  it('an integrand that integrates itself gets its own working arrays (E[E[(X + Y)²] | X] = 2)', () => {
    const inner = (x: number) => gaussianExpectation((y) => y * y, x, 1); // x² + 1
    expect(gaussianExpectation(inner, 0, 1)).toBeCloseTo(2, 13);
  });

  it('meanField through forwardInto/derivativeInto equals meanField through forward/derivative, bit for bit', () => {
    const reg = registry();
    type Act = Parameters<typeof meanField>[0]['activation'];
    const batched = reg
      .list('activation')
      .map((d) => d.meta.id)
      .filter((id) => (reg.resolve('activation', id, 'activation') as Act).forwardInto);
    expect(batched).toEqual(expect.arrayContaining(['sigmoid', 'tanh', 'relu']));
    for (const id of batched) {
      const act = reg.resolve('activation', id, 'activation') as Act;
      const meta = reg.get('activation', id)?.meta as { kinks?: readonly number[] } | undefined;
      const scalarOnly = { forward: act.forward, derivative: act.derivative };
      const kinks = meta?.kinks ?? [];
      for (const sigmaW2 of [0.5, 1, 1.7, 4]) {
        const a = meanField({ activation: act, kinks, sigmaW2, biasMean: 0.1, depth: 12 });
        const b = meanField({ activation: scalarOnly, kinks, sigmaW2, biasMean: 0.1, depth: 12 });
        expect(bits([...a.q, ...a.chi, a.qStar, a.chi1, a.deltaRatio]), `${id} at σ_w² ${sigmaW2}`).toBe(
          bits([...b.q, ...b.chi, b.qStar, b.chi1, b.deltaRatio]),
        );
      }
    }
  });
});

describe('meanField: closed forms', () => {
  it('ReLU: q_{l+1} = σ_w² q_l / 2 and χ₁ = σ_w²/2 at every depth', () => {
    for (const sigmaW2 of [0.5, 1, 2, 3]) {
      const mf = meanField({ activation: relu, kinks: [0], sigmaW2, depth: 10 });
      for (const [l, q] of mf.q.entries()) expect(rel(q, sigmaW2 * (sigmaW2 / 2) ** l)).toBeLessThan(1e-12);
      for (const chi of mf.chi) expect(chi).toBeCloseTo(sigmaW2 / 2, 12);
      expect(mf.chi1).toBeCloseTo(sigmaW2 / 2, 12);
      expect(rel(mf.deltaRatio, (sigmaW2 / 2) ** 4.5)).toBeLessThan(1e-12);
      expect(mf.regime).toBe(sigmaW2 < 2 ? 'vanishing' : sigmaW2 > 2 ? 'exploding' : 'critical');
      expect(mf.qStar).toBe(sigmaW2 < 2 ? 0 : sigmaW2 > 2 ? Number.POSITIVE_INFINITY : 2);
    }
  });

  it('He init is critical: χ₁ = 1, infinite depth scale', () => {
    const mf = meanField({ activation: relu, kinks: [0], sigmaW2: 2 });
    expect(mf.chi1).toBeCloseTo(1, 12);
    expect(mf.depthScale).toBe(Number.POSITIVE_INFINITY);
  });

  it('leaky ReLU: χ = σ_w² (1 + α²)/2', () => {
    expect(meanField({ activation: leaky(0.2), kinks: [0], sigmaW2: 1.5 }).chi1).toBeCloseTo((1.5 * 1.04) / 2, 12);
  });

  it('linear: χ₁ = σ_w², and the depth scale is 1/|ln χ₁|', () => {
    for (const sigmaW2 of [0.5, 1, 2]) {
      const mf = meanField({ activation: linear, sigmaW2 });
      expect(mf.chi1).toBeCloseTo(sigmaW2, 12);
      if (sigmaW2 !== 1) expect(mf.depthScale).toBeCloseTo(1 / Math.abs(Math.log(sigmaW2)), 10);
    }
  });

  it('tanh at σ_w² = 1, σ_b = 0 is the critical point: q* = 0 and χ₁ = 1', () => {
    const mf = meanField({ activation: tanh, sigmaW2: 1 });
    expect(mf.qStar).toBe(0);
    expect(mf.chi1).toBeCloseTo(1, 12);
    expect(mf.regime).toBe('critical');
  });

  it('tanh elsewhere: q* is a fixed point, and χ₁ < 1 exactly when σ_w² < 1 (σ_b = 0)', () => {
    const mf = meanField({ activation: tanh, sigmaW2: 1.5 });
    const F = 1.5 * gaussianExpectation((x) => Math.tanh(x) ** 2, 0, Math.sqrt(mf.qStar));
    expect(rel(F, mf.qStar)).toBeLessThan(1e-10);
    expect(mf.chi1).toBeGreaterThan(1);
    expect(meanField({ activation: tanh, sigmaW2: 0.5 })).toMatchObject({ qStar: 0, regime: 'vanishing' });
    expect(meanField({ activation: tanh, sigmaW2: 0.5 }).chi1).toBeCloseTo(0.5, 12);
    const biased = meanField({ activation: tanh, sigmaW2: 1, sigmaB2: 0.05 });
    expect(biased.qStar).toBeGreaterThan(0.05);
    expect(biased.chi1).toBeLessThan(1);
  });

  it('a constant bias shifts the Gaussian: ReLU χ = σ_w² Φ(μ_b/√q)', () => {
    const mf = meanField({ activation: relu, kinks: [0], sigmaW2: 2, biasMean: -1, depth: 1 });
    expect(mf.q[0]).toBe(2);
    expect(mf.chi[0]).toBeCloseTo(2 * PHI.m0707, 13);
  });
});

describe('meanField against deep random networks built by the engine', () => {
  // depth 30 × width 256, batch 32, 3 seeds. The fitted per-layer slope of ln ‖δ_l‖ is compared
  // with the mean of ln √χ(q_l). Finite width biases tanh nets by about +0.01 per layer (ReLU by
  // < 0.003), so the tolerance is 0.025 per layer, i.e. a factor e^{0.7} over 29 layers.
  const cases = [
    ['relu', 'he', Math.sqrt(0.75)],
    ['relu', 'he', Math.sqrt(1.25)],
    ['tanh', 'glorot', Math.sqrt(0.8)],
    ['tanh', 'glorot', Math.sqrt(2.5)],
  ] as const;
  for (const [activation, initializer, gain] of cases) {
    it(`${activation} with σ_w² = ${(gain * gain * (activation === 'relu' ? 2 : 1)).toFixed(2)}`, () => {
      const measured: number[] = [];
      let predicted = 0;
      for (const seed of [1, 2, 3]) {
        const r = runProbe(
          { activation, initializer, gain, depth: 30, width: 256, batch: 32, seed },
          { registry: registry() },
        );
        const logDelta = r.layers.filter((l) => l.role === 'hidden').map((l) => Math.log(l.deltaNorm!));
        measured.push(-slope(logDelta));
        predicted = mean((r.theory.chi!.slice(0, -1) as number[]).map((chi) => 0.5 * Math.log(chi)));
      }
      expect(Math.abs(mean(measured) - predicted)).toBeLessThan(0.025);
    });
  }
});

describe('diverged variance maps', () => {
  it('returns NaN for an infinite standard deviation instead of looping (gain 100 over 200 relu layers)', () => {
    expect(gaussianExpectation((x) => x * x, 0, Number.POSITIVE_INFINITY)).toBeNaN();
    expect(gaussianExpectation((x) => x * x, Number.NaN, 1)).toBeNaN();
    // A huge but finite sd still integrates: E[(x)²] for x ~ N(0, 1e150²) = 1e300.
    expect(gaussianExpectation((x) => x * x, 0, 1e150) / 1e300).toBeCloseTo(1, 10);
  });
});
