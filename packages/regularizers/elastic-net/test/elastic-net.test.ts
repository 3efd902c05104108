import { describeRegularizer } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import elasticNet from '../src/index.ts';

describeRegularizer(elasticNet, {
  cases: [{}, { strength: 0.3, l1Ratio: 1 }, { l1Ratio: 0, apply: 'all' }, { clampAtZero: false }],
});

it('penalty λ(ρ‖w‖₁ + ½(1 − ρ)‖w‖²): [1, −2] with λ = 0.1, ρ = 0.5 → 0.1·(0.5·3 + 0.25·5) = 0.275', () => {
  const grad = new Float64Array(2);
  elasticNet({ strength: 0.1 }).addGradient(Float64Array.of(1, -2), grad);
  expect(elasticNet({ strength: 0.1 }).penalty(Float64Array.of(1, -2))).toBeCloseTo(0.275, 15);
  // ∂ = λ(ρ·sign(w) + (1 − ρ)·w) = 0.1·(0.5 + 0.5) and 0.1·(−0.5 − 1)
  expect(grad).toBeCloseToArray([0.1, -0.15]);
});

it('with l1Ratio 0 it is L2 and never clamps', () => {
  expect(elasticNet({ l1Ratio: 0 }).afterStep).toBeUndefined();
});
