import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import { erfc } from '../src/erf.ts';
import gelu from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(gelu, { golden });
describeActivation(gelu, { options: { approximate: 'tanh' } });

it('golden.json agrees with textbook values: gelu(1) = Φ(1) = 0.8413447460685429', () => {
  expect(golden.cases[0].forward[golden.grid.indexOf(1)]).toBe(0.8413447460685429);
});

it('computes erfc to about 1e-15 relative, tails included (Abramowitz & Stegun values)', () => {
  expect(erfc(0)).toBe(1);
  expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 15);
  expect(erfc(1) / 0.15729920705028513 - 1).toBeLessThan(1e-15);
  expect(Math.abs(erfc(10) / 2.088487583762545e-45 - 1)).toBeLessThan(1e-14);
  expect(erfc(-2)).toBeCloseTo(1.9953222650189528, 15);
  expect(erfc(30)).toBe(0);
});

it('agrees with its tanh approximation within 1e-3 on [−6, 6]', () => {
  const exact = gelu();
  const approx = gelu({ approximate: 'tanh' });
  for (let x = -6; x <= 6; x += 0.01) {
    expect(Math.abs(exact.forward(x) - approx.forward(x))).toBeLessThan(1e-3);
    expect(Math.abs(exact.derivative(x, exact.forward(x)) - approx.derivative(x, approx.forward(x)))).toBeLessThan(
      1e-2,
    );
  }
});
