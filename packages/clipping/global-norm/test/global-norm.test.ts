import { describeClipping } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import globalNorm from '../src/index.ts';

describeClipping(globalNorm, { cases: [{}, { maxNorm: 5 }] });

it('scales everything by maxNorm/‖g‖: [3] and [4] with maxNorm 1 → [0.6] and [0.8]', () => {
  const out = [new Float64Array(1), new Float64Array(1)];
  const { stats } = globalNorm().update([Float64Array.of(3), Float64Array.of(4)], out, [], undefined);
  expect([out[0][0], out[1][0]]).toBeCloseToArray([0.6, 0.8]);
  expect(stats).toMatchObject({ preNorm: 5, scale: 0.2, clippedFraction: 1 });
});

it('survives gradients whose squares overflow: [3e200, 4e200] → [0.6, 0.8]', () => {
  const out = [new Float64Array(2)];
  globalNorm().update([Float64Array.of(3e200, 4e200)], out, [], undefined);
  expect(out[0]).toBeCloseToArray([0.6, 0.8]);
});
