import { describeActivation } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import relu from '../src/index.ts';
import golden from './golden.json' with { type: 'json' };

describeActivation(relu, { golden });

it("uses f'(0) = 0 and keeps NaN as NaN (x > 0 ? x : 0 would turn NaN into 0)", () => {
  const f = relu();
  expect(f.derivative(0, 0)).toBe(0);
  expect(f.forward(Number.NaN)).toBeNaN();
  expect(f.derivative(Number.NaN, Number.NaN)).toBeNaN();
});

it('golden.json agrees with textbook values: relu(−1) = 0, relu(2) = 2, gain √2', () => {
  const at = (x: number) => golden.grid.indexOf(x);
  expect(golden.cases[0].forward[at(-1)]).toBe(0);
  expect(golden.cases[0].forward[at(2)]).toBe(2);
  expect(relu().gain).toBe(Math.SQRT2);
});

it('forward and forwardInto equal Math.max(x, 0) bit for bit, −0 → +0 included', () => {
  const f = relu();
  const x = Float64Array.from([
    0,
    -0,
    5e-324,
    -5e-324,
    1e308,
    -1e308,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1,
    -1,
    0.5,
  ]);
  const out = new Float64Array(x.length);
  f.forwardInto!(x, out);
  for (let i = 0; i < x.length; i++) {
    expect(Object.is(f.forward(x[i]), Math.max(x[i], 0))).toBe(true);
    expect(Object.is(out[i], Math.max(x[i], 0))).toBe(true);
  }
});

it('derivativeInto equals derivative bit for bit (+0, never −0), on finite layers and on ones holding NaN or ±Infinity', () => {
  const f = relu();
  let seed = 3;
  const next = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  const finite = [0, -0, 5e-324, -5e-324, 1e308, -1e308, ...Array.from({ length: 200 }, () => next() * 10)];
  for (const special of [undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    const x = Float64Array.from(special === undefined ? finite : [...finite, special, ...finite]);
    const out = new Float64Array(x.length).fill(7);
    f.derivativeInto!(x, new Float64Array(x.length), out);
    for (let i = 0; i < x.length; i++) {
      const want = f.derivative(x[i], 0);
      expect(Number.isNaN(want) ? Number.isNaN(out[i]) : Object.is(out[i], want), `x = ${x[i]} (${special})`).toBe(
        true,
      );
    }
  }
});
