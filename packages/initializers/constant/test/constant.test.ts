import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import constant from '../src/index.ts';

describeInitializer(constant, { cases: [{}, { value: 0.1 }] });

it('fills every entry with the value', () => {
  expect([...sampleInit(constant({ value: -2 }), initShape('bias', 1, 3))]).toEqual([-2, -2, -2]);
});
