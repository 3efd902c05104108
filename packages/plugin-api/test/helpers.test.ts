import { describe, expect, it } from 'vitest';
import { l2Norm, rolesFor } from '../src/index.ts';

describe('l2Norm', () => {
  it('equals Math.hypot over all entries of all tensors', () => {
    const a = Float64Array.from([3, -4, 0.5]);
    const b = Float64Array.from([12, 1e-3]);
    expect(l2Norm([a, b])).toBeCloseTo(Math.hypot(3, -4, 0.5, 12, 1e-3), 14);
    expect(l2Norm([])).toBe(0);
    expect(l2Norm([new Float64Array(3)])).toBe(0);
  });

  it('does not overflow where x² would (|x| = 1e200) and propagates NaN and Infinity', () => {
    expect(l2Norm([Float64Array.from([3e200, 4e200])]) / 5e200).toBeCloseTo(1, 14);
    expect(l2Norm([Float64Array.from([1, Number.NaN])])).toBeNaN();
    expect(l2Norm([Float64Array.from([1, Number.NEGATIVE_INFINITY])])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('rolesFor', () => {
  it('maps each apply value to the documented parameter roles', () => {
    expect(rolesFor('weights')).toEqual(['weight', 'recurrent']);
    expect(rolesFor('weights-and-biases')).toEqual(['weight', 'recurrent', 'bias']);
    expect(rolesFor('all')).toEqual(['weight', 'recurrent', 'bias', 'gamma', 'beta']);
  });
});
