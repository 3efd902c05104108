import { describe, expect, it } from 'vitest';
import { centralDifference, gradcheck, gradcheckVector, isClose, toleranceFor } from '../src/index.ts';

describe('centralDifference', () => {
  it('has O(h²) error: d/dx x³ at 2 is 12 to about 1e-10', () => {
    expect(Math.abs(centralDifference((x) => x ** 3, 2) - 12)).toBeLessThan(1e-9);
  });
});

describe('gradcheck', () => {
  it('passes a correct derivative (sin′ = cos)', () => {
    const r = gradcheck(Math.sin, 1, Math.cos(1));
    expect(r.ok).toBe(true);
    expect(r).toPassGradcheck();
    expect(r.error).toBeLessThan(1e-10);
  });

  it('fails a wrong derivative and reports both values', () => {
    const r = gradcheck(Math.sin, 1, Math.cos(1) + 1e-4);
    expect(r.ok).toBe(false);
    expect(r.numeric).toBeCloseTo(Math.cos(1), 9);
    expect(r.analytic).toBe(Math.cos(1) + 1e-4);
    expect(() => expect(r).toPassGradcheck()).toThrow(/failed at x = 1/);
  });

  it('applies |a − n| ≤ atol + rtol·max(|a|, |n|) with the default rtol 1e-6', () => {
    const f = (x: number) => 1000 * x; // exact central difference: 1000
    expect(gradcheck(f, 0.5, 1000 * (1 + 5e-7)).ok).toBe(true);
    expect(gradcheck(f, 0.5, 1000 * (1 + 2e-6)).ok).toBe(false);
    expect(gradcheck(f, 0.5, 1000 * (1 + 2e-6), { rtol: 1e-5 }).ok).toBe(true);
  });

  it('fails on NaN, on either side', () => {
    expect(gradcheck(Math.sin, 1, Number.NaN).ok).toBe(false);
    expect(gradcheck(() => Number.NaN, 1, 0).ok).toBe(false);
  });
});

describe('gradcheckVector', () => {
  // f(x) = Σ x_i² + x0·x1, ∇f = 2x + (x1, x0, 0, …)
  const f = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0) + x[0] * x[1];
  const grad = (x: Float64Array) => x.map((v, i) => 2 * v + (i === 0 ? x[1] : i === 1 ? x[0] : 0));
  const x = Float64Array.from([0.3, -1.2, 2.5, 0.7]);

  it('passes a correct gradient without mutating x', () => {
    const before = Float64Array.from(x);
    const r = gradcheckVector(f, x, grad(x));
    expect(r.ok).toBe(true);
    expect(r).toPassGradcheck();
    expect(x).toEqual(before);
  });

  it('fails a gradient wrong in one coordinate and names that coordinate', () => {
    const wrong = grad(x);
    wrong[2] += 1e-3;
    const r = gradcheckVector(f, x, wrong);
    expect(r.ok).toBe(false);
    expect(r.index).toBe(2);
    expect(r.error).toBeCloseTo(1e-3, 8);
    expect(() => expect(r).toPassGradcheck()).toThrow(/at index 2/);
  });

  it('rejects a gradient of the wrong length', () => {
    expect(() => gradcheckVector(f, x, new Float64Array(3))).toThrow(RangeError);
  });
});

describe('isClose and toBeCloseToArray', () => {
  it('treat NaN as matching NaN and need equal infinities', () => {
    expect(isClose(Number.NaN, Number.NaN, 0, 0)).toBe(true);
    expect(isClose(Number.NaN, 1, 1, 1)).toBe(false);
    expect(isClose(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 0)).toBe(true);
    expect(isClose(Number.POSITIVE_INFINITY, 1e308, 1, 0)).toBe(false);
    expect(toleranceFor(-2, 1, 0.5, 0.1)).toBe(1.1);
  });

  it('compares arrays elementwise with rtol and atol', () => {
    expect(Float64Array.from([1, 2, Number.NaN])).toBeCloseToArray([1 + 1e-13, 2, Number.NaN]);
    expect(() => expect([1, 2]).toBeCloseToArray([1, 2.001])).toThrow(/1 of 2 elements differ/);
    expect([1, 2]).toBeCloseToArray([1, 2.001], { rtol: 1e-3 });
    expect(() => expect([1, 2]).toBeCloseToArray([1, 2, 3])).toThrow(/length 3/);
    expect([1, 2]).not.toBeCloseToArray([1, 3]);
  });
});
