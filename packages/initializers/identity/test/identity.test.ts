import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import identity from '../src/index.ts';

describeInitializer(identity, {
  cases: [{}, { gain: 0.5 }],
  skip: { 'seed-sensitive': 'identity is deterministic by design: it never reads the seed' },
});

it('is gain·I for square shapes and eye_-like for non-square ones', () => {
  expect([...sampleInit(identity({ gain: 2 }), initShape('recurrent', 2, 2))]).toEqual([2, 0, 0, 2]);
  expect([...sampleInit(identity(), initShape('weight', 2, 3))]).toEqual([1, 0, 0, 0, 1, 0]);
  expect(identity().mean?.(initShape('recurrent', 4, 4))).toBe(1 / 4);
  expect(identity().variance?.(initShape('recurrent', 4, 4))).toBe(1 / 4 - 1 / 16);
});
