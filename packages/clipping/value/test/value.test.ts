import { describeClipping } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import value from '../src/index.ts';

describeClipping(value, { cases: [{}, { clip: 0.05 }] });

it('clamps each entry: [3, −0.5, −4] with clip 1 → [1, −0.5, −1], bending the direction', () => {
  const out = [new Float64Array(3)];
  const { stats } = value().update([Float64Array.of(3, -0.5, -4)], out, [], undefined);
  expect([...out[0]]).toEqual([1, -0.5, -1]);
  expect(stats).toMatchObject({ preNorm: Math.sqrt(25.25), postNorm: 1.5, clippedFraction: 2 / 3 });
});
