import { describe, expect, it } from 'vitest';
import { logisticInto, math } from '../src/index.ts';
import { expectPairedKernel, IEEE_SPECIALS, inBothLanes, uniform } from './paired-kernels.ts';

/** Inputs for every branch: specials, exp's lower range limit for −|x| on both sides and its neighbours, tails. */
function inputs(): Float64Array {
  const special = [
    ...IEEE_SPECIALS,
    745.1332191019412,
    745.1332191019413,
    -745.1332191019412,
    -745.1332191019413,
    744.9,
    -708.4,
    5e-324,
    -5e-324,
    36.7,
    -36.7,
  ];
  const rand = uniform(23);
  const values = [...special];
  for (let i = 0; i < 4000; i++)
    values.push(i % 3 === 0 ? 1600 * rand() - 800 : i % 3 === 1 ? 20 * rand() - 10 : 2 * rand() - 1);
  return inBothLanes(values, special, 1);
}

describe('logistic and logisticInto', () => {
  it('logisticInto gives math.logistic bit for bit, in both lanes, on even and odd lengths, in place', () => {
    expectPairedKernel(logisticInto, math.logistic, inputs());
  });

  it('math.logistic is the sigmoid formula written out (1/(1 + e^(−x)), or e^x/(1 + e^x) below 0), bit for bit', () => {
    // The form the sigmoid activation computed before it used math.logistic.
    const written = (x: number) => (x >= 0 ? 1 / (1 + math.exp(-x)) : math.exp(x) / (1 + math.exp(x)));
    for (const x of inputs()) {
      const [got, want] = [math.logistic(x), written(x)];
      expect(Number.isNaN(got) ? 'NaN' : got, `x = ${x}`).toBe(Number.isNaN(want) ? 'NaN' : want);
    }
  });

  it('is within 2 ulps-ish of 1/(1 + Math.exp(−x)) and saturates to exactly 0 and 1', () => {
    const rand = uniform(5);
    for (let i = 0; i < 2000; i++) {
      const x = 60 * rand() - 30;
      const want = 1 / (1 + Math.exp(-x));
      expect(Math.abs(math.logistic(x) - want) / want, `x = ${x}`).toBeLessThan(4e-16);
    }
    expect([math.logistic(800), math.logistic(-800), math.logistic(0)]).toEqual([1, 0, 0.5]);
  });
});
