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

  it('resolves sibling packages from source', () => {
    expect(suggestNames('rleu', ['relu', 'elu', 'gelu', 'tanh'])).toContain('relu');
  });
});
