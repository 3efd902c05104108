import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import hardSigmoid from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(hardSigmoid, { golden });

it("follows PyTorch: relu6(x + 3)/6, with f' = 0 at the kinks ±3", () => {
  const f = hardSigmoid();
  expect(f.forward(-3)).toBe(0);
  expect(f.forward(3)).toBe(1);
  expect(f.derivative(-3, 0)).toBe(0);
  expect(f.derivative(3, 1)).toBe(0);
  expect(f.derivative(0, 0.5)).toBe(1 / 6);
});

it('golden.json agrees with textbook values: f(0) = 1/2, f(1) = 2/3', () => {
  expect(golden.cases[0].forward[golden.grid.indexOf(0)]).toBe(0.5);
  expect(golden.cases[0].forward[golden.grid.indexOf(1)]).toBeCloseTo(2 / 3, 15);
});
