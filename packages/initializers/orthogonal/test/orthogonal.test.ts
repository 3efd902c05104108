import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import orthogonal from '../src/index.ts';

describeInitializer(orthogonal, { cases: [{}, { gain: 2 }] });

it('declares variance gain²/max(rows, cols): 1/512 for 512×128 and 128×512', () => {
  expect(orthogonal().variance?.(initShape('weight', 512, 128))).toBe(1 / 512);
  expect(orthogonal({ gain: 2 }).variance?.(initShape('weight', 128, 512))).toBe(4 / 512);
});

it('a 2×2 draw is a rotation or reflection: columns of unit length, orthogonal', () => {
  const [a, b, c, d] = sampleInit(orthogonal(), initShape('recurrent', 2, 2));
  expect([a * a + c * c, b * b + d * d, a * b + c * d]).toBeCloseToArray([1, 1, 0], { atol: 1e-14 });
});
