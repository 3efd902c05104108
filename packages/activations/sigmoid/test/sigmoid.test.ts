import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import sigmoid from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(sigmoid, { golden });

it('golden.json agrees with textbook values: σ(0) = 1/2, σ′(0) = 1/4, σ(1) = 1/(1+e⁻¹)', () => {
  const at = (x: number) => golden.grid.indexOf(x);
  expect(golden.cases[0].forward[at(0)]).toBe(0.5);
  expect(golden.cases[0].derivative[at(0)]).toBe(0.25);
  expect(golden.cases[0].forward[at(1)]).toBeCloseTo(0.7310585786300049, 15);
});

it('keeps the left tail representable: σ(−700) ≈ e⁻⁷⁰⁰ rather than 0', () => {
  expect(sigmoid().forward(-700) / Math.exp(-700)).toBeCloseTo(1, 12);
});
