import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import mish from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(mish, { golden });

it('golden.json agrees with textbook values: mish(1) = tanh(ln(1 + e)) = 0.86509838826731…', () => {
  expect(golden.cases[0].forward[golden.grid.indexOf(1)]).toBeCloseTo(0.8650983882673103, 15);
  expect(golden.cases[0].derivative[golden.grid.indexOf(0)]).toBeCloseTo(Math.tanh(Math.LN2), 15);
});

it('passes from the closed form to f(x) = x at x = 40 without a visible seam', () => {
  const f = mish();
  expect(f.forward(40)).toBe(40);
  expect(f.forward(40.000001)).toBe(40.000001);
  expect(f.derivative(40, 40)).toBe(1);
});
