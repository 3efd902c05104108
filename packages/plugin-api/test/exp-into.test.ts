import { describe, expect, it } from 'vitest';
import { expInto, math } from '../src/index.ts';
import { expectPairedKernel, IEEE_SPECIALS, inBothLanes, uniform } from './paired-kernels.ts';

/** Inputs for exp's every branch: specials, both range limits and their neighbours, subnormal and overflowing results. */
function inputs(): Float64Array {
  const special = [
    ...IEEE_SPECIALS,
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
  const rand = uniform(11);
  const values = [...special];
  for (let i = 0; i < 4000; i++)
    values.push(i % 3 === 0 ? 1480 * rand() - 760 : i % 3 === 1 ? 20 * rand() - 10 : -745 + 40 * rand());
  return inBothLanes(values, special, 1);
}

describe('expInto', () => {
  it('gives exp(x) bit for bit, NaN as NaN, in both lanes, on even and odd lengths, in place', () => {
    expectPairedKernel(expInto, math.exp, inputs());
  });

  it('reaches subnormal results and the overflow to Infinity', () => {
    const x = inputs().map((v) => math.exp(v));
    expect(x.some((v) => v > 0 && v < 2.2250738585072014e-308)).toBe(true);
    expect(x.includes(Number.POSITIVE_INFINITY)).toBe(true);
  });
});
