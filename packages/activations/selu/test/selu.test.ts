import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import selu from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(selu, { golden });

// Klambauer et al. (2017), eq. 14 — typed in from the paper, not imported from the plugin.
const LAMBDA = 1.0507009873554805;
const ALPHA = 1.6732632423543772;

/** ∫ g(z) φ(z) dz over [−12, 12] by composite Simpson (the tails beyond add < 1e-30). */
function expectation(g: (z: number) => number, n = 4000): number {
  const a = -12;
  const h = 24 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = a + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    sum += w * g(z) * Math.exp(-0.5 * z * z);
  }
  return (sum * h) / 3 / Math.sqrt(2 * Math.PI);
}

it('makes mean 0 and variance 1 a fixed point: for z ~ N(0, 1), E[selu(z)] ≈ 0 and E[selu(z)²] ≈ 1', () => {
  const f = selu().forward;
  expect(Math.abs(expectation(f))).toBeLessThan(1e-9);
  expect(Math.abs(expectation((z) => f(z) ** 2) - 1)).toBeLessThan(1e-9);
});

it("uses the paper's constants: f'(1) = λ and f(−∞) = −λα", () => {
  const f = selu();
  expect(f.derivative(1, f.forward(1))).toBe(LAMBDA);
  expect(f.forward(-1e3)).toBeCloseTo(-LAMBDA * ALPHA, 15);
  expect(golden.cases[0].forward[golden.grid.indexOf(1)]).toBe(LAMBDA);
  expect(f.gain).toBe(3 / 4);
});
