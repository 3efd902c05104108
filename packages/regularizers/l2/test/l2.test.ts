import { describeRegularizer } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import l2 from '../src/index.ts';

describeRegularizer(l2, { cases: [{}, { strength: 0.5, apply: 'weights-and-biases' }] });

it('penalty ½λ‖w‖² and gradient λw: [1, 2] with λ = 0.1 → 0.25 and [0.1, 0.2]', () => {
  const grad = new Float64Array(2);
  l2({ strength: 0.1 }).addGradient(Float64Array.of(1, 2), grad);
  expect(l2({ strength: 0.1 }).penalty(Float64Array.of(1, 2))).toBeCloseTo(0.25, 15);
  expect([...grad]).toEqual([0.1, 0.2]);
});
