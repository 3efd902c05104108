import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import relu from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(relu, { golden });

it("uses f'(0) = 0 and keeps NaN as NaN (x > 0 ? x : 0 would turn NaN into 0)", () => {
  const f = relu();
  expect(f.derivative(0, 0)).toBe(0);
  expect(f.forward(Number.NaN)).toBeNaN();
  expect(f.derivative(Number.NaN, Number.NaN)).toBeNaN();
});

it('golden.json agrees with textbook values: relu(−1) = 0, relu(2) = 2, gain √2', () => {
  const at = (x: number) => golden.grid.indexOf(x);
  expect(golden.cases[0].forward[at(-1)]).toBe(0);
  expect(golden.cases[0].forward[at(2)]).toBe(2);
  expect(relu().gain).toBe(Math.SQRT2);
});
