import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import glorot from '../src/index.ts';

describeInitializer(glorot, {
  cases: [{}, { distribution: 'normal' }, { distribution: 'truncated-normal', gain: 5 / 3 }],
});

it('has variance gain²·2/(fan_in + fan_out): 2/384 for a 256×128 weight', () => {
  expect(glorot().variance?.(initShape('weight', 256, 128))).toBeCloseTo(2 / 384, 15);
  expect(glorot({ gain: 2 }).variance?.(initShape('weight', 256, 128))).toBeCloseTo(8 / 384, 15);
});

it('uniform: every value lies within ±√(6/(fan_in + fan_out)), the limit in Glorot & Bengio (2010)', () => {
  const w = sampleInit(glorot(), initShape('weight', 64, 32));
  expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 96));
  expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.95 * Math.sqrt(6 / 96));
});

it('gain is a pure scale of the same draw: every value is gain × the gain-1 value, bit for bit', () => {
  for (const distribution of ['normal', 'uniform', 'truncated-normal'] as const) {
    const shape = initShape('weight', 12, 7);
    const plain = sampleInit(glorot({ distribution }), shape);
    for (const gain of [0.999999, 1.000001, 2.5]) {
      const scaled = sampleInit(glorot({ distribution, gain }), shape);
      expect(Array.from(scaled)).toEqual(Array.from(plain, (v) => v * gain));
    }
    expect(glorot({ distribution, gain: 3 }).variance?.(shape)).toBeCloseTo(
      9 * (glorot({ distribution }).variance?.(shape) ?? 0),
      15,
    );
  }
});
