import { describe, expect, it } from 'vitest';
import { math, tanhInto } from '../src/index.ts';
import { expectPairedKernel, IEEE_SPECIALS, inBothLanes, uniform } from './paired-kernels.ts';

/** Inputs for every branch of tanh: specials, the branch limits (|x| = 2⁻²⁸, ln2/4, 1, 22) and their neighbours. */
function inputs(): Float64Array {
  const special = [
    ...IEEE_SPECIALS,
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
  const rand = uniform(7);
  const values = [...special, ...special.map((v) => -v)];
  for (let i = 0; i < 6000; i++) {
    const sign = rand() < 0.5 ? -1 : 1;
    const r = rand();
    values.push(sign * (i % 4 === 0 ? 50 * r : i % 4 === 1 ? 2 * r : i % 4 === 2 ? 0.4 * r : 10 ** (-12 * r)));
  }
  return inBothLanes(values, special, 0.5);
}

describe('tanhInto', () => {
  it('gives math.tanh(x) bit for bit (±0, NaN, ±1 included), in both lanes, on even and odd lengths, in place', () => {
    expectPairedKernel(tanhInto, math.tanh, inputs());
  });

  it('takes every branch', () => {
    const want = inputs().map((v) => math.tanh(v));
    // Saturated, large-branch, small-branch and Taylor-branch values all occur.
    expect(want.includes(1) && want.includes(-1)).toBe(true);
    expect(want.some((v) => Math.abs(v) > Math.tanh(1) && Math.abs(v) < 1)).toBe(true);
    expect(want.some((v) => Math.abs(v) < Math.tanh(1) && Math.abs(v) > Math.tanh(0.2))).toBe(true);
    expect(want.some((v) => Math.abs(v) < 0.17 && Math.abs(v) > 1e-8)).toBe(true);
  });
});
