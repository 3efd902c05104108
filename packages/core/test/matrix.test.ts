import { describe, expect, it } from 'vitest';
import { addColumnSums, gemmAdd, gemmNT, gemmTNAdd, norm2 } from '../src/matrix.ts';
import { createRng } from '../src/rng.ts';

/**
 * The kernels against a naive triple loop on strided slices. Sizes include 1, odd sizes and
 * sizes that are not multiples of the four-way unrolling, so both the unrolled and the
 * remainder loops run; operands sit at offsets inside larger arrays with leading dimensions
 * larger than the row width, and everything outside the target slice must stay untouched.
 */
const rng = createRng('matrix-test');
const random = (n: number) => Float64Array.from({ length: n }, () => Math.round(rng.normal() * 8) / 8 + rng.next());

/** Element (i, j) of a strided row-major matrix. */
const at = (a: Float64Array, off: number, ld: number, i: number, j: number) => a[off + i * ld + j];

interface Strided {
  data: Float64Array;
  off: number;
  ld: number;
}
/** A rows × cols matrix stored at a random offset with leading dimension ≥ cols, inside random padding. */
function strided(rows: number, cols: number): Strided {
  const off = rng.int(5);
  const ld = cols + rng.int(4);
  return { data: random(off + rows * ld + 3), off, ld };
}

/** Every index of `after` that lies outside the rows × cols slice must equal `before`. */
function expectOutsideUnchanged(before: Float64Array, after: Float64Array, s: Strided, rows: number, cols: number) {
  const inside = new Set<number>();
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) inside.add(s.off + i * s.ld + j);
  for (let k = 0; k < after.length; k++) if (!inside.has(k)) expect(after[k]).toBe(before[k]);
}

function expectClose(actual: number, expected: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

const SIZES = [1, 2, 3, 4, 5, 7, 9];
const triples = SIZES.flatMap((m) => SIZES.flatMap((k) => [1, 3, 4, 6].map((n) => [m, k, n] as const)));

describe('gemmAdd: C += A·B', () => {
  it('matches a triple loop for every m, k, n in {1, 2, 3, 4, 5, 7, 9}² × {1, 3, 4, 6}, on strided slices', () => {
    for (const [m, k, n] of triples) {
      const A = strided(m, k);
      const B = strided(k, n);
      const C = strided(m, n);
      const before = Float64Array.from(C.data);
      gemmAdd(A.data, A.off, A.ld, B.data, B.off, B.ld, C.data, C.off, C.ld, m, k, n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = at(before, C.off, C.ld, i, j);
          for (let p = 0; p < k; p++) s += at(A.data, A.off, A.ld, i, p) * at(B.data, B.off, B.ld, p, j);
          expectClose(at(C.data, C.off, C.ld, i, j), s);
        }
      }
      expectOutsideUnchanged(before, C.data, C, m, n);
    }
  });

  it('computes a 2×2 product written out by hand', () => {
    const C = new Float64Array([10, 20, 30, 40]);
    gemmAdd(new Float64Array([1, 2, 3, 4]), 0, 2, new Float64Array([5, 6, 7, 8]), 0, 2, C, 0, 2, 2, 2, 2);
    expect(Array.from(C)).toEqual([10 + 1 * 5 + 2 * 7, 20 + 1 * 6 + 2 * 8, 30 + 3 * 5 + 4 * 7, 40 + 3 * 6 + 4 * 8]);
  });
});

describe('gemmNT: C (+)= A·Bᵀ', () => {
  it('matches a triple loop for every size triple, overwriting and accumulating', () => {
    for (const [m, n, k] of triples) {
      const A = strided(m, n);
      const B = strided(k, n);
      for (const accumulate of [false, true]) {
        const C = strided(m, k);
        const before = Float64Array.from(C.data);
        gemmNT(A.data, A.off, A.ld, B.data, B.off, B.ld, C.data, C.off, C.ld, m, n, k, accumulate);
        for (let i = 0; i < m; i++) {
          for (let p = 0; p < k; p++) {
            let s = accumulate ? at(before, C.off, C.ld, i, p) : 0;
            for (let j = 0; j < n; j++) s += at(A.data, A.off, A.ld, i, j) * at(B.data, B.off, B.ld, p, j);
            expectClose(at(C.data, C.off, C.ld, i, p), s);
          }
        }
        expectOutsideUnchanged(before, C.data, C, m, k);
      }
    }
  });

  it('overwrites NaN garbage in C when not accumulating', () => {
    const C = new Float64Array([Number.NaN, Number.NaN]);
    gemmNT(new Float64Array([1, 2]), 0, 2, new Float64Array([3, 4, 5, 6]), 0, 2, C, 0, 2, 1, 2, 2, false);
    expect(Array.from(C)).toEqual([1 * 3 + 2 * 4, 1 * 5 + 2 * 6]);
  });
});

describe('gemmTNAdd: C += Aᵀ·B', () => {
  it('matches a triple loop for every size triple, on strided slices', () => {
    for (const [m, k, n] of triples) {
      const A = strided(m, k);
      const B = strided(m, n);
      const C = strided(k, n);
      const before = Float64Array.from(C.data);
      gemmTNAdd(A.data, A.off, A.ld, B.data, B.off, B.ld, C.data, C.off, C.ld, m, k, n);
      for (let p = 0; p < k; p++) {
        for (let j = 0; j < n; j++) {
          let s = at(before, C.off, C.ld, p, j);
          for (let i = 0; i < m; i++) s += at(A.data, A.off, A.ld, i, p) * at(B.data, B.off, B.ld, i, j);
          expectClose(at(C.data, C.off, C.ld, p, j), s);
        }
      }
      expectOutsideUnchanged(before, C.data, C, k, n);
    }
  });
});

describe('reductions', () => {
  it('addColumnSums adds each column of a strided matrix', () => {
    const A = new Float64Array([9, 1, 2, 9, 3, 4, 9, 5, 6]); // offset 1, ld 3, 3 rows × 2 cols
    const out = new Float64Array([100, 200]);
    addColumnSums(A, 1, 3, out, 3, 2);
    expect(Array.from(out)).toEqual([100 + 1 + 3 + 5, 200 + 2 + 4 + 6]);
  });

  it('norm2 is the Euclidean norm of a slice', () => {
    expect(norm2(new Float64Array([3, 4]))).toBe(5);
    expect(norm2(new Float64Array([7, 1, 2, 2, 7]), 1, 3)).toBe(3);
    expect(norm2(new Float64Array(0))).toBe(0);
  });

  it('norm2 neither underflows nor overflows at 1e-300 and 1e+300 scales', () => {
    // x = y·2^k scales the norm by exactly 2^k; Math.hypot of y (entries near 1) is the reference.
    const rng = createRng('norm2-scales');
    const y = Float64Array.from({ length: 37 }, () => rng.normal());
    const reference = Math.hypot(...y);
    for (const k of [-997, -700, -520, 520, 700, 996]) {
      const x = y.map((v) => v * 2 ** k);
      const expected = reference * 2 ** k;
      expect(Math.abs(norm2(x) - expected)).toBeLessThanOrEqual(8 * Number.EPSILON * expected);
    }
    expect(norm2(new Float64Array([1e-300, 1e-300]))).toBeCloseTo(Math.SQRT2 * 1e-300, 310);
    expect(norm2(new Float64Array([Number.NaN, 1e300]))).toBeNaN();
    expect(norm2(new Float64Array([Number.POSITIVE_INFINITY, 1]))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('gemmAdd and gemmTNAdd with a start row: C = init + product', () => {
  // The definition, written independently of the kernels: each entry is one sum in index order
  // from +0, then init[j] + sum (so the sums are those of C = init; C += product). Exact bits.
  const INITS = [-0, 0, 0.5, -3, 5e-324, Number.POSITIVE_INFINITY];
  it('sets every entry to init[j] + (Σ in index order from +0), bit for bit, whatever C held; gaps untouched', () => {
    for (const [m, k, n] of [...triples, [3, 0, 4] as const, [1, 0, 1] as const]) {
      for (const transposed of [false, true]) {
        // gemmAdd: A m×k, B k×n, C m×n; gemmTNAdd: A m×k, B m×n, C k×n (summed over A's rows).
        const [cRows, steps] = transposed ? [k, m] : [m, k];
        const A = strided(m, k);
        const B = transposed ? strided(m, n) : strided(k, n);
        const C = strided(cRows, n);
        for (let i = 0; i < cRows; i++) C.data.fill(Number.NaN, C.off + i * C.ld, C.off + i * C.ld + n); // never read
        const init = Float64Array.from({ length: n }, (_, j) => INITS[(j + m) % INITS.length]);
        const before = Float64Array.from(C.data);
        const f = transposed ? gemmTNAdd : gemmAdd;
        f(A.data, A.off, A.ld, B.data, B.off, B.ld, C.data, C.off, C.ld, m, k, n, init);
        for (let r = 0; r < cRows; r++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let t = 0; t < steps; t++) {
              s += transposed
                ? at(A.data, A.off, A.ld, t, r) * at(B.data, B.off, B.ld, t, j)
                : at(A.data, A.off, A.ld, r, t) * at(B.data, B.off, B.ld, t, j);
            }
            expect(Object.is(at(C.data, C.off, C.ld, r, j), init[j] + s)).toBe(true);
          }
        }
        expectOutsideUnchanged(before, C.data, C, cRows, n);
      }
    }
  });

  it('a −0 start plus an empty sum is +0, as −0 + +0 is (k = 0)', () => {
    const C = new Float64Array([7, 7]);
    gemmAdd(new Float64Array(0), 0, 0, new Float64Array(0), 0, 2, C, 0, 2, 1, 0, 2, new Float64Array([-0, -0]));
    expect(Object.is(C[0], 0) && Object.is(C[1], 0)).toBe(true);
  });
});
