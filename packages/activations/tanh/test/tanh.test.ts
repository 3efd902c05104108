import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import tanh from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(tanh, { golden });

it("golden.json agrees with textbook values: tanh(0) = 0, tanh'(0) = 1, tanh(1) = 0.76159…", () => {
  const at = (x: number) => golden.grid.indexOf(x);
  expect(golden.cases[0].forward[at(0)]).toBe(0);
  expect(golden.cases[0].derivative[at(0)]).toBe(1);
  expect(golden.cases[0].forward[at(1)]).toBeCloseTo(0.7615941559557649, 15);
});

it('has the gain 5/3 of PyTorch calculate_gain', () => {
  expect(tanh().gain).toBe(5 / 3);
});
