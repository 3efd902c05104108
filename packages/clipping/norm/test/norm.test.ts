import { describeClipping } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import norm from '../src/index.ts';

describeClipping(norm, { cases: [{}, { maxNorm: 0.5 }] });

it('rescales each tensor on its own: [3, 4] → [0.6, 0.8] while [0.3, 0.4] is kept', () => {
  const out = [new Float64Array(2), new Float64Array(2)];
  const { stats } = norm().update([Float64Array.of(3, 4), Float64Array.of(0.3, 0.4)], out, [], undefined);
  expect([...out[0], ...out[1]]).toBeCloseToArray([0.6, 0.8, 0.3, 0.4]);
  expect(stats).toMatchObject({ minScale: 0.2, clippedFraction: 0.5 });
});
