import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import softsign from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

const polynomialTail =
  "softsign saturates polynomially (f'(x) = 1/(1+|x|)²): f'(±30) ≈ 1.0e-3, not the exponential tail this check measures";

describeActivation(softsign, {
  golden,
  skip: { saturation: polynomialTail, 'extremes-saturated': polynomialTail },
});

it("saturates polynomially: f'(±x) = 1/(1+|x|)², about 1e-6 at ±1e3 and never NaN", () => {
  const f = softsign();
  for (const x of [-1e3, 1e3, -1e300, 1e300]) {
    expect(f.derivative(x, f.forward(x))).toBeCloseTo(1 / (1 + Math.abs(x)) ** 2, 20);
  }
  expect(f.derivative(30, f.forward(30))).toBeCloseTo(1 / 961, 15);
});

it('golden.json agrees with textbook values: softsign(1) = 1/2, softsign′(1) = 1/4', () => {
  const i = golden.grid.indexOf(1);
  expect(golden.cases[0].forward[i]).toBe(0.5);
  expect(golden.cases[0].derivative[i]).toBe(0.25);
});
