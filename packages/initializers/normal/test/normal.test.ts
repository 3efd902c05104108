import { describeInitializer, initShape } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import normal from '../src/index.ts';

describeInitializer(normal, { cases: [{}, { mean: 0.5, std: 0.01 }] });

it('ignores the fans: variance std² at any shape', () => {
  expect(normal({ std: 0.1 }).variance?.(initShape('weight', 512, 128))).toBeCloseTo(0.01, 15);
  expect(normal({ mean: 3 }).mean?.(initShape('weight', 4, 4))).toBe(3);
});
