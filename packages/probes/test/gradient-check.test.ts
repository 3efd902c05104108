/**
 * gradientCheck (page 12's widget and `gradlab gradcheck`): the structure of the errors, against
 * quantities computed elsewhere (runProbe's loss at initialization).
 */
import { createRegistry } from '@gradlab/core';
import standard from '@gradlab/preset-standard';
import { describe, expect, it } from 'vitest';
import { GRADIENT_CHECK_BANDS, gradientCheck, gradientCheckBand, gradientCheckSpec, runProbe } from '../src/index.ts';

const registry = createRegistry().use(standard);
const net = { activation: 'tanh', initializer: 'glorot', depth: 4, width: 12, batch: 16, seed: 2 } as const;

describe('gradientCheck', () => {
  it('checks the loss runProbe measures at initialization, deterministically', () => {
    const spec = gradientCheckSpec(net, { registry });
    const r = gradientCheck(spec, { registry });
    expect(r.loss).toBe(runProbe(net, { registry }).loss);
    expect(r.relError).toHaveLength(5);
    // No random choice of entries: a second check of the same spec gives the same bits.
    expect(gradientCheck(spec, { registry })).toEqual(r);
  });

  it('a smooth net passes below 1e-6 everywhere in float64; loss values rounded to float32 fail it', () => {
    const spec = gradientCheckSpec(net, { registry });
    const r64 = gradientCheck(spec, { registry });
    for (const rel of r64.relError) expect(rel).toBeLessThan(1e-6);
    expect(r64.kinksCrossed).toEqual([0, 0, 0, 0, 0]);
    const r32 = gradientCheck(spec, { registry, float32: true });
    expect(Math.max(...r32.relError.map(Number))).toBeGreaterThan(GRADIENT_CHECK_BANDS.uneasy);
  });

  it('the absolute error at a tiny h is round-off: about 100× larger at h = 1e-7 than at 1e-5', () => {
    const spec = gradientCheckSpec({ ...net, activation: 'sigmoid', depth: 8 }, { registry });
    const a5 = gradientCheck(spec, { registry, h: 1e-5 }).absError[0]!;
    const a7 = gradientCheck(spec, { registry, h: 1e-7 }).absError[0]!;
    expect(a7 / a5).toBeGreaterThan(10);
    expect(a7 / a5).toBeLessThan(1000);
  });

  it('ReLU steps of h = 0.01 cross kinks; a bad h is refused by name', () => {
    // Page 12's ReLU setting: 10 × 32, batch 32.
    const spec = gradientCheckSpec(
      { ...net, activation: 'relu', initializer: 'he', depth: 10, width: 32, batch: 32, seed: 0 },
      { registry },
    );
    expect(gradientCheck(spec, { registry, h: 0.01 }).kinksCrossed.some((k) => k > 0)).toBe(true);
    for (const h of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => gradientCheck(spec, { registry, h })).toThrow(/gradientCheck: h must be a finite number > 0/);
    }
    // From plain JavaScript (or a JSON form field): a numeric string is refused, not concatenated.
    const asString = '1e-5' as unknown as number;
    expect(() => gradientCheck(spec, { registry, h: asString })).toThrow(/h must be a finite number > 0, not "1e-5"/);
  });

  it('reads relative errors with the CS231n bands', () => {
    expect(gradientCheckBand(0.05)).toMatch(/^probably wrong/);
    expect(gradientCheckBand(1e-3)).toMatch(/^uneasy/);
    expect(gradientCheckBand(1e-5)).toMatch(/^fine with kinks/);
    expect(gradientCheckBand(1e-9)).toMatch(/^good/);
    expect(gradientCheckBand(Number.NaN)).toBe('not finite');
    expect(gradientCheckBand(null)).toBe('not finite');
  });
});
