import { suggestNames } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/rng.ts';

describe('createRng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('forks by label independently of how much the parent has drawn', () => {
    const a = createRng(7);
    const b = createRng(7);
    for (let i = 0; i < 100; i++) b.next();
    expect(a.fork('init').next()).toBe(b.fork('init').next());
    expect(a.fork('init').next()).not.toBe(a.fork('data').next());
  });

  it('has uniform mean 1/2, variance 1/12 and normal mean 0, variance 1 within 5 standard errors', () => {
    const rng = createRng('moments');
    const n = 200_000;
    let su = 0;
    let su2 = 0;
    let sz = 0;
    let sz2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      su += u;
      su2 += u * u;
      const z = rng.normal();
      sz += z;
      sz2 += z * z;
    }
    const mu = su / n;
    expect(Math.abs(mu - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(su2 / n - mu * mu - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
    expect(Math.abs(sz / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sz2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('draws normals whose distribution matches Φ (Kolmogorov–Smirnov) and whose tails have the right mass', () => {
    // Φ from an independent erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7), not
    // from the sampler's tables. Tail masses: P(|Z| > 3.5) = 4.653e-4, P(|Z| > 4) = 6.334e-5
    // (standard tables).
    const erfc = (x: number) => {
      const z = Math.abs(x);
      const t = 1 / (1 + 0.5 * z);
      const r =
        t *
        Math.exp(
          -z * z -
            1.26551223 +
            t *
              (1.00002368 +
                t *
                  (0.37409196 +
                    t *
                      (0.09678418 +
                        t *
                          (-0.18628806 +
                            t *
                              (0.27886807 +
                                t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
        );
      return x >= 0 ? r : 2 - r;
    };
    const phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
    const rng = createRng('ks');
    const n = 400_000;
    const z = Float64Array.from({ length: n }, () => rng.normal()).sort();
    let d = 0;
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(phi(z[i]) - i / n), Math.abs(phi(z[i]) - (i + 1) / n));
    // 1.95/√n is the 0.1% critical value of the KS statistic.
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
    // χ² over 80 bins of width 0.1 on [−4, 4] plus the two tails: it sees the shape of the
    // density, which KS barely does (a ziggurat sampler without its wedge test passed KS at this n
    // and failed this with χ² = 186). The 0.1% critical value of χ²(81) is 126 (Wilson–Hilferty).
    const bins = 80;
    const edge = (b: number) =>
      b <= 0 ? Number.NEGATIVE_INFINITY : b > bins + 1 ? Number.POSITIVE_INFINITY : -4 + (b - 1) / 10;
    const counts = new Array<number>(bins + 2).fill(0);
    let b = 0;
    for (const v of z) {
      while (v >= edge(b + 1)) b++;
      counts[b]++;
    }
    let chi2 = 0;
    for (let k = 0; k < bins + 2; k++) {
      const expected = n * ((k > bins ? 1 : phi(edge(k + 1))) - (k === 0 ? 0 : phi(edge(k))));
      chi2 += (counts[k] - expected) ** 2 / expected;
    }
    expect(chi2).toBeLessThan(126);
    for (const [cut, p] of [
      [3.5, 4.653e-4],
      [4, 6.334e-5],
    ]) {
      const count = z.filter((v) => Math.abs(v) > cut).length;
      expect(Math.abs(count - n * p)).toBeLessThan(5 * Math.sqrt(n * p));
    }
    expect(z.filter((v) => v > 3.5).length / z.filter((v) => v < -3.5).length).toBeGreaterThan(0.6);
    expect(z.filter((v) => v > 3.5).length / z.filter((v) => v < -3.5).length).toBeLessThan(1 / 0.6);
  });

  it('resolves sibling packages from source', () => {
    expect(suggestNames('rleu', ['relu', 'elu', 'gelu', 'tanh'])).toContain('relu');
  });
});
