import { TRUNCATED_NORMAL_STD } from '@gradlab/plugin-api';
import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import lecun from '../src/index.ts';

describeInitializer(lecun, {
  cases: [{}, { distribution: 'uniform' }, { distribution: 'truncated-normal', gain: 1.5 }],
});

it('has variance 1/fan_in: 1/512 for a 512×128 weight', () => {
  expect(lecun().variance?.(initShape('weight', 512, 128))).toBe(1 / 512);
});

it('truncated-normal cuts at ±2σ with σ = √(1/fan_in)/0.8796… (Keras semantics)', () => {
  const w = sampleInit(lecun({ distribution: 'truncated-normal' }), initShape('weight', 256, 64));
  expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual((2 * Math.sqrt(1 / 256)) / TRUNCATED_NORMAL_STD);
});

it('gain is a pure scale of the same draw: every value is gain × the gain-1 value, bit for bit', () => {
  for (const distribution of ['normal', 'uniform', 'truncated-normal'] as const) {
    const shape = initShape('weight', 12, 7);
    const plain = sampleInit(lecun({ distribution }), shape);
    for (const gain of [0.999999, 1.000001, 2.5]) {
      const scaled = sampleInit(lecun({ distribution, gain }), shape);
      expect(Array.from(scaled)).toEqual(Array.from(plain, (v) => v * gain));
    }
    expect(lecun({ distribution, gain: 3 }).variance?.(shape)).toBeCloseTo(
      9 * (lecun({ distribution }).variance?.(shape) ?? 0),
      15,
    );
  }
});
