import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import sigmoid from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(sigmoid, { golden });

it('golden.json agrees with textbook values: σ(0) = 1/2, σ′(0) = 1/4, σ(1) = 1/(1+e⁻¹)', () => {
  const at = (x: number) => golden.grid.indexOf(x);
  expect(golden.cases[0].forward[at(0)]).toBe(0.5);
  expect(golden.cases[0].derivative[at(0)]).toBe(0.25);
  expect(golden.cases[0].forward[at(1)]).toBeCloseTo(0.7310585786300049, 15);
});

it('keeps the left tail representable: σ(−700) ≈ e⁻⁷⁰⁰ rather than 0', () => {
  expect(sigmoid().forward(-700) / Math.exp(-700)).toBeCloseTo(1, 12);
});

it('forwardInto gives forward bit for bit (±0 apart, in place, odd lengths, subnormal tails)', () => {
  const f = sigmoid();
  const values = [
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -745,
    -744.5,
    745,
    5e-324,
    -5e-324,
  ];
  for (let i = 0; i < 3001; i++) values.push(i % 2 ? 40 * Math.sin(i) : 800 * Math.cos(i));
  const x = Float64Array.from(values);
  const want = new BigUint64Array(x.map((v) => (Number.isNaN(v) ? 0 : f.forward(v))).buffer);
  const out = new Float64Array(x.length);
  f.forwardInto!(x, out);
  expect(Number.isNaN(out[2])).toBe(true);
  out[2] = 0;
  expect(new BigUint64Array(out.buffer)).toEqual(want);
  f.forwardInto!(x, x); // in place
  x[2] = 0;
  expect(new BigUint64Array(x.buffer)).toEqual(want);
});
