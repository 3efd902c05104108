import { describe, expect, it } from 'vitest';
import { expInto, math } from '../src/index.ts';

const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length));

/** Inputs for exp's every branch: specials, both range limits and their neighbours, subnormal and overflowing results. */
function inputs(): Float64Array {
  const special = [
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    709.782712893384,
    709.7827128933841,
    -745.1332191019412,
    -745.1332191019413,
    -708.4,
    -744.9,
    5e-324,
    -5e-324,
    1e-300,
    Math.LN2,
    -Math.LN2 / 2,
  ];
  let seed = 11;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const values = [...special];
  for (let i = 0; i < 4000; i++)
    values.push(i % 3 === 0 ? 1480 * rand() - 760 : i % 3 === 1 ? 20 * rand() - 10 : -745 + 40 * rand());
  // Each special value also in the other lane of a pair.
  values.push(1, ...special);
  return Float64Array.from(values);
}

describe('expInto', () => {
  it('gives exp(x) bit for bit, NaN as NaN, in both lanes, on even and odd lengths', () => {
    const x = inputs();
    for (const n of [x.length, x.length - 1, 1, 0]) {
      const xs = x.slice(0, n);
      const out = new Float64Array(n);
      expInto(xs, out);
      const want = xs.map((v) => math.exp(v));
      expect(out.map((v) => (Number.isNaN(v) ? 1 : 0))).toEqual(want.map((v) => (Number.isNaN(v) ? 1 : 0)));
      const nanFree = (a: Float64Array) => a.map((v) => (Number.isNaN(v) ? 0 : v));
      expect(bits(nanFree(out))).toEqual(bits(nanFree(want)));
    }
  });

  it('works in place and reaches subnormal results and the overflow to Infinity', () => {
    const x = inputs();
    const want = x.map((v) => math.exp(v));
    expInto(x, x);
    expect(bits(x.map((v) => (Number.isNaN(v) ? 0 : v)))).toEqual(bits(want.map((v) => (Number.isNaN(v) ? 0 : v))));
    expect(x.some((v) => v > 0 && v < 2.2250738585072014e-308)).toBe(true);
    expect(x.includes(Number.POSITIVE_INFINITY)).toBe(true);
  });
});
