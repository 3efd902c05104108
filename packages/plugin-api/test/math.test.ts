import { describe, expect, it } from 'vitest';
import { math } from '../src/index.ts';

/** Distance in units in the last place between two doubles (via their ordered bit patterns). */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  const ordered = (o: number) => {
    const v = view.getBigInt64(o);
    return v < 0n ? -(v & 0x7fffffffffffffffn) : v;
  };
  const d = ordered(0) - ordered(8);
  return Number(d < 0n ? -d : d);
}

let seed = 7;
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};
const sample = (lo: number, hi: number, n = 20000) => Array.from({ length: n }, () => lo + (hi - lo) * rand());

const cases: [keyof typeof math, (x: number) => number, number, number][] = [
  ['exp', Math.exp, -740, 709],
  ['exp', Math.exp, -1, 1],
  ['expm1', Math.expm1, -50, 50],
  ['expm1', Math.expm1, -1e-3, 1e-3],
  ['log', Math.log, 1e-300, 1e300],
  ['log', Math.log, 0.5, 2],
  ['log1p', Math.log1p, -0.999, 1e6],
  ['log1p', Math.log1p, -1e-6, 1e-6],
  ['tanh', Math.tanh, -30, 30],
  ['tanh', Math.tanh, -0.01, 0.01],
  ['sin', Math.sin, -1000, 1000],
  ['cos', Math.cos, -1000, 1000],
  ['sin', Math.sin, -1e-4, 1e-4],
];

describe('portable math agrees with Math.* to within a few ulps', () => {
  for (const [name, reference, lo, hi] of cases) {
    it(`${name} on [${lo}, ${hi}]`, () => {
      let worst = 0;
      for (const x of sample(lo, hi)) {
        const mine = math[name](x);
        const ref = reference(x);
        // Relative to the result, except near zeros of sin/cos where absolute error is what matters.
        const err =
          Math.abs(ref) < 1e-3 && (name === 'sin' || name === 'cos')
            ? Math.abs(mine - ref) / Number.EPSILON
            : ulps(mine, ref);
        worst = Math.max(worst, err);
      }
      expect(worst).toBeLessThanOrEqual(4);
    });
  }

  it('has the exact special values', () => {
    expect(math.exp(0)).toBe(1);
    expect(math.exp(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(math.exp(1000)).toBe(Number.POSITIVE_INFINITY);
    expect(math.log(1)).toBe(0);
    expect(math.log(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(math.log(-1)).toBeNaN();
    expect(math.log1p(-1)).toBe(Number.NEGATIVE_INFINITY);
    expect(math.tanh(Number.POSITIVE_INFINITY)).toBe(1);
    expect(math.sin(0)).toBe(0);
    expect(math.cos(0)).toBe(1);
    for (const f of Object.values(math)) expect(f(Number.NaN)).toBeNaN();
    expect(math.log(Math.E)).toBeCloseTo(1, 15);
    expect(math.exp(Math.LN2)).toBe(2);
  });
});
