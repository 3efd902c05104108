import { describeInitializer, initShape, sampleInit } from '@gradlab/testkit';
import { describe, expect, it } from 'vitest';
import orthogonal from '../src/index.ts';

describeInitializer(orthogonal, { cases: [{}, { gain: 2 }] });

it('declares variance gain²/max(rows, cols): 1/512 for 512×128 and 128×512', () => {
  expect(orthogonal().variance?.(initShape('weight', 512, 128))).toBe(1 / 512);
  expect(orthogonal({ gain: 2 }).variance?.(initShape('weight', 128, 512))).toBe(4 / 512);
});

it('a 2×2 draw is a rotation or reflection: columns of unit length, orthogonal', () => {
  const [a, b, c, d] = sampleInit(orthogonal(), initShape('recurrent', 2, 2));
  expect([a * a + c * c, b * b + d * d, a * b + c * d]).toBeCloseToArray([1, 1, 0], { atol: 1e-14 });
});

describe('scaleTo', () => {
  // Not run through describeInitializer: its 256×256 draws would each need seconds of squaring.
  it('largest-singular-value on a wide draw gives WWᵀ = target²·I', () => {
    const W = sampleInit(orthogonal({ scaleTo: 'largest-singular-value', target: 0.5 }), initShape('weight', 3, 5));
    const wwt = Array.from({ length: 9 }, (_, k) => {
      const [i, j] = [Math.floor(k / 3), k % 3];
      let s = 0;
      for (let c = 0; c < 5; c++) s += W[i * 5 + c] * W[j * 5 + c];
      return s;
    });
    expect(wwt).toBeCloseToArray([0.25, 0, 0, 0, 0.25, 0, 0, 0, 0.25], { atol: 1e-13 });
  });

  const gram = (W: Float64Array, n: number) =>
    Array.from({ length: n * n }, (_, k) => {
      const [i, j] = [Math.floor(k / n), k % n];
      let s = 0;
      for (let r = 0; r < n; r++) s += W[r * n + i] * W[r * n + j];
      return s;
    });

  it('spectral-radius on a square draw gives WᵀW = target²·I (every |λ| = every σ = target)', () => {
    const W = sampleInit(
      orthogonal({ scaleTo: 'spectral-radius', target: 1.1, gain: 0 }),
      initShape('recurrent', 16, 16),
    );
    const want = Array.from({ length: 256 }, (_, k) => (Math.floor(k / 16) === k % 16 ? 1.21 : 0));
    expect(gram(W, 16)).toBeCloseToArray(want, { atol: 1e-12 });
  });

  it('equals the gain-1 draw times the target, up to round-off', () => {
    const shape = initShape('recurrent', 8, 8);
    const plain = sampleInit(orthogonal(), shape);
    const scaled = sampleInit(orthogonal({ scaleTo: 'spectral-radius', target: 0.7 }), shape);
    expect(Array.from(scaled)).toBeCloseToArray(
      Array.from(plain, (v) => 0.7 * v),
      { atol: 1e-13 },
    );
    expect(orthogonal({ scaleTo: 'spectral-radius', target: 0.7 }).variance?.(shape)).toBeCloseTo(0.49 / 8, 15);
  });
});
