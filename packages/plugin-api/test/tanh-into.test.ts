import { describe, expect, it } from 'vitest';
import { math, tanhInto } from '../src/index.ts';

const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length));
const nanFree = (a: Float64Array) => a.map((v) => (Number.isNaN(v) ? 0 : v));
const nans = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? 1 : 0));

/** Inputs for every branch of tanh: specials, the branch limits (|x| = 2⁻²⁸, ln2/4, 1, 22) and their neighbours. */
function inputs(): Float64Array {
  const special = [
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    3.725290298461914e-9,
    3.7252902984619136e-9,
    0.17328679513998632, // |2x| = ln2/2: expm1's Taylor branch ends here
    0.17328679513998635,
    0.1732867951399863,
    1,
    0.9999999999999999,
    1.0000000000000002,
    22,
    22.000000000000004,
    21.999999999999996,
    5e-324,
    1e-300,
  ];
  let seed = 7;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const values = [...special, ...special.map((v) => -v)];
  for (let i = 0; i < 6000; i++) {
    const sign = rand() < 0.5 ? -1 : 1;
    const r = rand();
    values.push(sign * (i % 4 === 0 ? 50 * r : i % 4 === 1 ? 2 * r : i % 4 === 2 ? 0.4 * r : 10 ** (-12 * r)));
  }
  // Each special value also in the other lane of a pair.
  values.push(0.5, ...special);
  return Float64Array.from(values);
}

describe('tanhInto', () => {
  it('gives math.tanh(x) bit for bit (±0, NaN, ±1 included), in both lanes, on even and odd lengths', () => {
    const x = inputs();
    for (const n of [x.length, x.length - 1, 1, 0]) {
      const xs = x.slice(0, n);
      const out = new Float64Array(n);
      tanhInto(xs, out);
      const want = xs.map((v) => math.tanh(v));
      expect(nans(out)).toEqual(nans(want));
      expect(bits(nanFree(out))).toEqual(bits(nanFree(want)));
    }
  });

  it('works in place and takes every branch', () => {
    const x = inputs();
    const want = x.map((v) => math.tanh(v));
    tanhInto(x, x);
    expect(bits(nanFree(x))).toEqual(bits(nanFree(want)));
    // Saturated, large-branch, small-branch and Taylor-branch values all occur.
    expect(want.includes(1) && want.includes(-1)).toBe(true);
    expect(want.some((v) => Math.abs(v) > Math.tanh(1) && Math.abs(v) < 1)).toBe(true);
    expect(want.some((v) => Math.abs(v) < Math.tanh(1) && Math.abs(v) > Math.tanh(0.2))).toBe(true);
    expect(want.some((v) => Math.abs(v) < 0.17 && Math.abs(v) > 1e-8)).toBe(true);
  });
});
