import { describeInitializer, initShape } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import he from '../src/index.ts';

describeInitializer(he, {
  cases: [
    {},
    { mode: 'fan-out' },
    { distribution: 'uniform' },
    { distribution: 'truncated-normal', negativeSlope: 0.2 },
  ],
});

it('has variance 2/fan_in: 2/256 for a 256×128 weight, 2/128 with mode fan-out', () => {
  expect(he().variance?.(initShape('weight', 256, 128))).toBe(2 / 256);
  expect(he({ mode: 'fan-out' }).variance?.(initShape('weight', 256, 128))).toBe(2 / 128);
  expect(he({ negativeSlope: 1 }).variance?.(initShape('weight', 256, 128))).toBe(1 / 256);
});
