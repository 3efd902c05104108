import { TRUNCATED_NORMAL_STD } from '@gradlab/plugin-api';
import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import lecun from '../src/index.ts';

describeInitializer(lecun, { cases: [{}, { distribution: 'uniform' }, { distribution: 'truncated-normal' }] });

it('has variance 1/fan_in: 1/512 for a 512×128 weight', () => {
  expect(lecun().variance?.(initShape('weight', 512, 128))).toBe(1 / 512);
});

it('truncated-normal cuts at ±2σ with σ = √(1/fan_in)/0.8796… (Keras semantics)', () => {
  const w = sampleInit(lecun({ distribution: 'truncated-normal' }), initShape('weight', 256, 64));
  expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual((2 * Math.sqrt(1 / 256)) / TRUNCATED_NORMAL_STD);
});
