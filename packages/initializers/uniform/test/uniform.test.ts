import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import uniform from '../src/index.ts';

describeInitializer(uniform, { cases: [{}, { limit: 0.05 }] });

it('draws from [−limit, limit) with variance limit²/3', () => {
  const w = sampleInit(uniform({ limit: 0.3 }), initShape('weight', 64, 64));
  expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.3);
  expect(uniform({ limit: 0.3 }).variance?.(initShape('weight', 64, 64))).toBeCloseTo(0.03, 15);
});
