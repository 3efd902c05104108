import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import swish from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(swish, { golden });
describeActivation(swish, {
  options: { beta: 2 },
  skip: { range: 'meta.range describes the default β = 1; with β = 2 the minimum is −0.139, not −0.278' },
});

it('is registered under the alias silu', () => {
  expect(swish.meta.aliases).toContain('silu');
});

it('golden.json agrees with textbook values: swish(1) = σ(1), swish′(0) = 1/2', () => {
  expect(golden.cases[0].forward[golden.grid.indexOf(1)]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
  expect(golden.cases[0].derivative[golden.grid.indexOf(0)]).toBe(0.5);
});
