import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import leakyRelu from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(leakyRelu, { golden });
describeActivation(leakyRelu, { options: { alpha: 0.2 } });

it('golden.json agrees with textbook values: f(−1) = −α, f′(−1) = α for α = 0.2', () => {
  const alpha02 = golden.cases.find((c) => c.options.alpha === 0.2)!;
  expect(alpha02.forward[golden.grid.indexOf(-1)]).toBe(-0.2);
  expect(alpha02.derivative[golden.grid.indexOf(-1)]).toBe(0.2);
});

it('has the gain √(2 / (1 + α²)) of PyTorch calculate_gain', () => {
  expect(leakyRelu({ alpha: 0.2 }).gain).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
  expect(leakyRelu().gain).toBeCloseTo(Math.sqrt(2 / 1.0001), 15);
});
