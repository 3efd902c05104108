import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import he from '../src/index.ts';

describeInitializer(he, {
  cases: [
    {},
    { mode: 'fan-out' },
    { distribution: 'uniform' },
    { distribution: 'truncated-normal', negativeSlope: 0.2 },
    { distribution: 'normal', gain: 0.5 },
  ],
});

it('has variance 2/fan_in: 2/256 for a 256×128 weight, 2/128 with mode fan-out', () => {
  expect(he().variance?.(initShape('weight', 256, 128))).toBe(2 / 256);
  expect(he({ mode: 'fan-out' }).variance?.(initShape('weight', 256, 128))).toBe(2 / 128);
  expect(he({ negativeSlope: 1 }).variance?.(initShape('weight', 256, 128))).toBe(1 / 256);
});

it('gain is a pure scale of the same draw: every value is gain × the gain-1 value, bit for bit', () => {
  for (const distribution of ['normal', 'uniform', 'truncated-normal'] as const) {
    const shape = initShape('weight', 12, 7);
    const plain = sampleInit(he({ distribution }), shape);
    for (const gain of [0.999999, 1.000001, 2.5]) {
      const scaled = sampleInit(he({ distribution, gain }), shape);
      expect(Array.from(scaled)).toEqual(Array.from(plain, (v) => v * gain));
    }
    expect(he({ distribution, gain: 3 }).variance?.(shape)).toBeCloseTo(
      9 * (he({ distribution }).variance?.(shape) ?? 0),
      15,
    );
  }
});
