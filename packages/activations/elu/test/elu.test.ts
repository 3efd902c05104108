import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import elu from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(elu, {
  golden,
  skip: { kinks: "with the default α = 1, f' is continuous at 0 (α·e⁰ = 1); the kink is declared for every other α" },
});
describeActivation(elu, {
  options: { alpha: 0.5 },
  skip: { range: 'meta.range describes the default α = 1; with α = 0.5 the infimum is −0.5, not −1' },
});

it('golden.json agrees with textbook values: elu(−1) = e⁻¹ − 1, elu′(−1) = e⁻¹', () => {
  const i = golden.grid.indexOf(-1);
  expect(golden.cases[0].forward[i]).toBeCloseTo(Math.exp(-1) - 1, 15);
  expect(golden.cases[0].derivative[i]).toBeCloseTo(Math.exp(-1), 15);
});

it('approaches −α on the left, for any α', () => {
  expect(elu({ alpha: 0.5 }).forward(-50)).toBe(-0.5);
  expect(elu().forward(-1e3)).toBe(-1);
});
