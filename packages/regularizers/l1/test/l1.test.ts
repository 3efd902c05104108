import { describeRegularizer } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import l1 from '../src/index.ts';

describeRegularizer(l1, { cases: [{}, { strength: 0.5, apply: 'all' }, { clampAtZero: false }] });

it('penalty λ‖w‖₁ and subgradient λ·sign(w), 0 at 0: [1, −2, 0] with λ = 0.1', () => {
  const w = Float64Array.of(1, -2, 0);
  const grad = Float64Array.of(1, 1, 1);
  l1({ strength: 0.1 }).addGradient(w, grad);
  expect(l1({ strength: 0.1 }).penalty(w)).toBeCloseTo(0.3, 15);
  expect([...grad]).toEqual([1.1, 0.9, 1]);
});

it('afterStep clamps a weight that crossed zero: previous [0.01, −0.2], w [−0.03, −0.1] → [0, −0.1]', () => {
  const w = Float64Array.of(-0.03, -0.1);
  l1().afterStep?.(w, Float64Array.of(0.01, -0.2));
  expect([...w]).toEqual([0, -0.1]);
  expect(l1({ clampAtZero: false }).afterStep).toBeUndefined();
});
