import { describe, expect, it } from 'vitest';
import { editDistance, suggestNames, TRUNCATED_NORMAL_STD, varianceScaling } from '../src/index.ts';

describe('suggestNames', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('rleu', 'relu')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests nearest ids first, by distance or shared prefix', () => {
    expect(suggestNames('rleu', ['relu', 'elu', 'gelu', 'selu', 'tanh', 'sigmoid'])).toEqual(['relu', 'elu', 'gelu']);
    expect(suggestNames('leaky', ['leaky-relu', 'relu'])).toEqual(['leaky-relu']);
    expect(suggestNames('zzz', ['relu'])).toEqual([]);
  });
});

describe('varianceScaling', () => {
  it('has the truncated-normal correction of a ±2σ cut (closed form)', () => {
    // Var of N(0,1) truncated to [-2, 2] = 1 − 2·2·φ(2)/(Φ(2) − Φ(−2)); φ(2) = e^{-2}/√(2π), Φ(2) − Φ(−2) = erf(√2).
    const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    const mass = 0.9544997361036416; // erf(√2), from tables
    expect(TRUNCATED_NORMAL_STD).toBeCloseTo(Math.sqrt(1 - (4 * phi2) / mass), 12);
  });

  it('every distribution has variance scale/n (sample check, 5 standard errors)', () => {
    let seed = 1;
    const rng = {
      next: () => {
        // A tiny LCG is enough here and keeps this package free of core.
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        return seed / 4294967296;
      },
      normal() {
        const u = 1 - this.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
      },
      fork() {
        return this;
      },
    };
    for (const distribution of ['normal', 'uniform', 'truncated-normal'] as const) {
      const init = varianceScaling({ scale: 2, mode: 'fan-in', distribution });
      const shape = { shape: [200, 300] as const, fanIn: 200, fanOut: 300, role: 'weight' as const };
      const w = init.init({ ...shape, rng });
      const n = w.length;
      const mean = w.reduce((s, v) => s + v, 0) / n;
      const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
      expect(init.variance?.(shape)).toBe(2 / 200);
      expect(Math.abs(variance - 0.01)).toBeLessThan(5 * 0.01 * Math.sqrt(2 / n));
    }
  });
});
