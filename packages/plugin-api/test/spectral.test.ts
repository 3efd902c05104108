import { describe, expect, it } from 'vitest';
import { GradlabError, largestSingularValue, scaleSpectrum, spectralRadius } from '../src/index.ts';

/**
 * Every expected value comes from a construction whose spectrum is known by hand: closed forms
 * for 2×2 matrices, and Q·T·Qᵀ with a Householder reflection Q and a block upper-triangular T
 * whose diagonal blocks carry the eigenvalues (the strictly upper part makes it non-normal).
 */

/** A small seeded generator for the tests (independent of the engine's RNG). */
function lcg(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return { next, sym: () => 2 * next() - 1 };
}

const matmul = (a: Float64Array, b: Float64Array, n: number, k: number, m: number) => {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * m + j];
      out[i * m + j] = s;
    }
  return out;
};

/** I − 2vvᵀ/(vᵀv): orthogonal and symmetric, so it is its own inverse. */
function householder(n: number, rand: () => number): Float64Array {
  const v = Float64Array.from({ length: n }, rand);
  const vv = v.reduce((s, x) => s + x * x, 0);
  return Float64Array.from({ length: n * n }, (_, i) => {
    const [r, c] = [Math.floor(i / n), i % n];
    return (r === c ? 1 : 0) - (2 * v[r] * v[c]) / vv;
  });
}

/**
 * Q·T·Q with T block upper triangular: `blocks` are 1×1 reals or [r, θ] rotation-scaling 2×2
 * blocks (eigenvalues r·e^(±iθ)); entries above the blocks are random of size `coupling`.
 */
function withSpectrum(blocks: (number | [number, number])[], coupling: number, seed: number) {
  const rng = lcg(seed);
  const n = blocks.reduce<number>((s, b) => s + (typeof b === 'number' ? 1 : 2), 0);
  const T = new Float64Array(n * n);
  let at = 0;
  for (const b of blocks) {
    if (typeof b === 'number') {
      T[at * n + at] = b;
      for (let j = at + 1; j < n; j++) T[at * n + j] = coupling * rng.sym();
      at += 1;
    } else {
      const [r, t] = b;
      T[at * n + at] = r * Math.cos(t);
      T[at * n + at + 1] = -r * Math.sin(t);
      T[(at + 1) * n + at] = r * Math.sin(t);
      T[(at + 1) * n + at + 1] = r * Math.cos(t);
      for (const row of [at, at + 1]) for (let j = at + 2; j < n; j++) T[row * n + j] = coupling * rng.sym();
      at += 2;
    }
  }
  const Q = householder(n, rng.sym);
  return { n, A: matmul(matmul(Q, T, n, n, n), Q, n, n, n) };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('spectralRadius (Gelfand by repeated squaring)', () => {
  it('matches the closed form for 2×2 matrices, real and complex eigenvalues', () => {
    const rng = lcg(7);
    let complex = 0;
    for (let k = 0; k < 200; k++) {
      const [a, b, c, d] = [rng.sym(), rng.sym(), rng.sym(), rng.sym()].map((x) => 3 * x);
      const tr = a + d;
      const det = a * d - b * c;
      const disc = tr * tr - 4 * det;
      const want =
        disc >= 0 ? Math.max(Math.abs(tr + Math.sqrt(disc)), Math.abs(tr - Math.sqrt(disc))) / 2 : Math.sqrt(det);
      if (disc < 0) complex++;
      // 2×2 matrices near a double eigenvalue (disc ≈ 0) are ill-conditioned for any method; skip them.
      if (Math.abs(disc) < 1e-3) continue;
      expect(rel(spectralRadius(Float64Array.of(a, b, c, d), 2), want)).toBeLessThan(1e-12);
    }
    expect(complex).toBeGreaterThan(30); // the sample really had complex pairs
  });

  type Block = number | [number, number];
  const spectra: [string, Block[], number][] = [
    ['a dominant complex pair', [[2, 0.7], 1.5, -1.9, [0.5, 2]], 2],
    ['two real eigenvalues of equal modulus, ±ρ', [1.7, -1.7, 0.3, [1, 1]], 1.7],
    ['a dominant pair at θ = π/2 (period 4 under powers)', [[3, Math.PI / 2], 2.9, 0.1], 3],
    ['a tiny radius', [1e-5, -2e-6, [5e-6, 1]], 1e-5],
  ];
  it.each(spectra)('recovers max|λ| of Q·T·Qᵀ with %s, non-normal, to 1e-11', (_, blocks, want) => {
    for (const seed of [1, 2, 3]) {
      const { n, A } = withSpectrum(blocks, 0.5 * want, seed);
      expect(rel(spectralRadius(A, n), want)).toBeLessThan(1e-11);
    }
  });

  it('handles a larger random-spectrum matrix (n = 40) to 1e-11', () => {
    const rng = lcg(11);
    const blocks: (number | [number, number])[] = [[1.25, 0.3]];
    for (let i = 0; i < 19; i++) blocks.push(i % 2 ? rng.sym() : [Math.abs(rng.sym()), 3 * rng.next()]);
    const { n, A } = withSpectrum(blocks, 0.2, 5);
    expect(n).toBeGreaterThanOrEqual(30);
    expect(rel(spectralRadius(A, n), 1.25)).toBeLessThan(1e-11);
  });

  it('a Jordan block (defective) converges too, to 1e-9', () => {
    // [[ρ, 1, 0], [0, ρ, 1], [0, 0, ρ]]: ‖A^k‖ ~ k²ρ^k, the slowest case of the bound.
    const A = Float64Array.of(0.8, 1, 0, 0, 0.8, 1, 0, 0, 0.8);
    expect(rel(spectralRadius(A, 3), 0.8)).toBeLessThan(1e-9);
  });

  it('is 0 for nilpotent and zero matrices, NaN with a NaN, and refuses a wrong size', () => {
    expect(spectralRadius(Float64Array.of(0, 5, 0, 0), 2)).toBe(0);
    expect(spectralRadius(new Float64Array(9), 3)).toBe(0);
    expect(spectralRadius(Float64Array.of(1, Number.NaN, 0, 1), 2)).toBeNaN();
    expect(() => spectralRadius(new Float64Array(5), 2)).toThrow(RangeError);
  });

  it('gives the same bits for A and for the same A copied (no hidden state)', () => {
    const { n, A } = withSpectrum([[2, 0.7], 1.5, -1.9], 1, 9);
    expect(spectralRadius(Float64Array.from(A), n)).toBe(spectralRadius(A, n));
  });
});

describe('largestSingularValue', () => {
  it('matches the 2×2 closed form √((S + √(S² − 4·det²))/2), S = Σ a²', () => {
    const rng = lcg(3);
    for (let k = 0; k < 100; k++) {
      const [a, b, c, d] = [rng.sym(), rng.sym(), rng.sym(), rng.sym()];
      const S = a * a + b * b + c * c + d * d;
      const det = a * d - b * c;
      const want = Math.sqrt((S + Math.sqrt(S * S - 4 * det * det)) / 2);
      expect(rel(largestSingularValue(Float64Array.of(a, b, c, d), 2, 2), want)).toBeLessThan(1e-12);
    }
  });

  it('recovers max s of U·diag(s)·Vᵀ for tall and wide matrices', () => {
    const rng = lcg(5);
    for (const [rows, cols] of [
      [7, 4],
      [4, 7],
      [6, 6],
    ]) {
      const s = [3.5, 3.4, 1, 0.2, 0.01, 2, 0.5].slice(0, Math.min(rows, cols));
      const U = householder(rows, rng.sym);
      const V = householder(cols, rng.sym);
      const D = new Float64Array(rows * cols);
      s.forEach((x, i) => {
        D[i * cols + i] = x;
      });
      const A = matmul(matmul(U, D, rows, rows, cols), V, rows, cols, cols);
      expect(rel(largestSingularValue(A, rows, cols), 3.5)).toBeLessThan(1e-12);
    }
  });

  it('does not overflow for entries near 1e200', () => {
    expect(rel(largestSingularValue(Float64Array.of(3e200, 0, 0, 4e200), 2, 2), 4e200)).toBeLessThan(1e-14);
  });
});

describe('scaleSpectrum', () => {
  it('rescales to the target and refuses spectral-radius for a non-square tensor', () => {
    const { n, A } = withSpectrum([[2, 0.7], 1.5, -1.9], 1, 4);
    const scaled = scaleSpectrum(
      'normal',
      Float64Array.from(A),
      { shape: [n, n], role: 'recurrent' },
      'spectral-radius',
      0.9,
    );
    expect(rel(spectralRadius(scaled, n), 0.9)).toBeLessThan(1e-11);
    // A pure scale: every entry is multiplied by the same 0.9/2.
    expect(rel(scaled[3] / A[3], 0.45)).toBeLessThan(1e-11);
    const unchanged = Float64Array.from(A);
    expect(scaleSpectrum('normal', unchanged, { shape: [n, n], role: 'recurrent' }, 'none', 0.9)).toEqual(A);
    let error: unknown;
    try {
      scaleSpectrum('normal', new Float64Array(6), { shape: [2, 3], role: 'weight' }, 'spectral-radius', 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GradlabError);
    expect((error as GradlabError).message).toMatch(/needs a square matrix, but this weight tensor is 2×3/);
    expect((error as GradlabError).plugin).toBe('initializer:normal');
    expect(() =>
      scaleSpectrum('normal', new Float64Array(4), { shape: [2, 2], role: 'recurrent' }, 'largest-singular-value', 1),
    ).toThrow(/whose largest-singular-value is 0/);
  });
});
