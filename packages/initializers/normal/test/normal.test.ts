import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { describe, expect, it } from 'vitest';
import normal from '../src/index.ts';

describeInitializer(normal, { cases: [{}, { mean: 0.5, std: 0.01 }] });

it('ignores the fans: variance std² at any shape', () => {
  expect(normal({ std: 0.1 }).variance?.(initShape('weight', 512, 128))).toBeCloseTo(0.01, 15);
  expect(normal({ mean: 3 }).mean?.(initShape('weight', 4, 4))).toBe(3);
});

describe('scaleTo (rescale the draw to a chosen spectral radius or largest singular value)', () => {
  // 2×2 closed forms, independent of plugin-api's repeated squaring.
  const radius2 = ([a, b, c, d]: Float64Array) => {
    const tr = a + d;
    const disc = tr * tr - 4 * (a * d - b * c);
    return disc >= 0 ? (Math.abs(tr) + Math.sqrt(disc)) / 2 : Math.sqrt(a * d - b * c);
  };
  const sigma2 = ([a, b, c, d]: Float64Array) => {
    const S = a * a + b * b + c * c + d * d;
    const det = a * d - b * c;
    return Math.sqrt((S + Math.sqrt(S * S - 4 * det * det)) / 2);
  };

  it('spectral-radius: max |λ| of the 2×2 draw is the target, for many seeds', () => {
    for (let seed = 0; seed < 50; seed++) {
      const W = sampleInit(normal({ scaleTo: 'spectral-radius', target: 0.9 }), initShape('recurrent', 2, 2), seed);
      expect(radius2(W)).toBeCloseTo(0.9, 11);
    }
  });

  it('largest-singular-value: σ₁ of the 2×2 draw is the target', () => {
    for (let seed = 0; seed < 50; seed++) {
      const W = sampleInit(normal({ scaleTo: 'largest-singular-value', target: 1.3 }), initShape('weight', 2, 2), seed);
      expect(sigma2(W)).toBeCloseTo(1.3, 11);
    }
  });

  it('is a pure scale of the same draw (std does not matter), and declares no variance', () => {
    const shape = initShape('recurrent', 32, 32);
    const plain = sampleInit(normal({ std: 0.3 }), shape, 4);
    const scaled = sampleInit(normal({ std: 2, scaleTo: 'spectral-radius', target: 1 }), shape, 4);
    const k = scaled[0] / plain[0];
    for (let i = 0; i < plain.length; i++) expect(scaled[i] / plain[i]).toBeCloseTo(k, 12);
    expect(normal({ scaleTo: 'spectral-radius' }).variance).toBeUndefined();
  });

  it('refuses spectral-radius on a non-square tensor with a message naming the fix', () => {
    expect(() => sampleInit(normal({ scaleTo: 'spectral-radius' }), initShape('weight', 3, 5))).toThrow(
      /needs a square matrix, but this weight tensor is 3×5/,
    );
  });
});
