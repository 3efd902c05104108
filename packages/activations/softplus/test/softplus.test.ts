import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import softplus from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(softplus, { golden });
describeActivation(softplus, { options: { beta: 2 } });

it('does not overflow: softplus(800) = 800 and softplus(−800) = e⁻⁸⁰⁰ ≈ 0', () => {
  const f = softplus();
  expect(f.forward(800)).toBe(800);
  expect(f.forward(-800)).toBe(0);
  expect(f.derivative(800, 800)).toBe(1);
});

it('golden.json agrees with textbook values: softplus(0) = ln 2, softplus′(0) = 1/2', () => {
  const i = golden.grid.indexOf(0);
  expect(golden.cases[0].forward[i]).toBe(Math.LN2);
  expect(golden.cases[0].derivative[i]).toBe(0.5);
});

it('keeps relative accuracy in the left tail: softplus(−30) ≈ e⁻³⁰', () => {
  expect(softplus().forward(-30) / Math.exp(-30)).toBeCloseTo(1, 12);
});
