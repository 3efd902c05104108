/**
 * Row-major float64 matrix kernels with explicit offsets and leading dimensions (BLAS style),
 * so layers can work on slices (one time step of a sequence) without allocating views.
 * Loops run in i-k-j order with four-way unrolling over the shared dimension: the innermost
 * loop walks contiguous rows, and each pass over a row of C folds in four products.
 */

/** C[m×n] += A[m×k] · B[k×n]. */
export function gemmAdd(
  A: Float64Array,
  aOff: number,
  lda: number,
  B: Float64Array,
  bOff: number,
  ldb: number,
  C: Float64Array,
  cOff: number,
  ldc: number,
  m: number,
  k: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const a0 = A[ai + p],
        a1 = A[ai + p + 1],
        a2 = A[ai + p + 2],
        a3 = A[ai + p + 3];
      const b0 = bOff + p * ldb,
        b1 = b0 + ldb,
        b2 = b1 + ldb,
        b3 = b2 + ldb;
      for (let j = 0; j < n; j++) C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
    }
    for (; p < k; p++) {
      const a = A[ai + p];
      const b = bOff + p * ldb;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[b + j];
    }
  }
}

/** C[m×k] (+)= A[m×n] · B[k×n]ᵀ; overwrites C unless `accumulate`. */
export function gemmNT(
  A: Float64Array,
  aOff: number,
  lda: number,
  B: Float64Array,
  bOff: number,
  ldb: number,
  C: Float64Array,
  cOff: number,
  ldc: number,
  m: number,
  n: number,
  k: number,
  accumulate: boolean,
): void {
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    for (let p = 0; p < k; p++) {
      const bp = bOff + p * ldb;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let j = 0;
      for (; j + 3 < n; j += 4) {
        s0 += A[ai + j] * B[bp + j];
        s1 += A[ai + j + 1] * B[bp + j + 1];
        s2 += A[ai + j + 2] * B[bp + j + 2];
        s3 += A[ai + j + 3] * B[bp + j + 3];
      }
      for (; j < n; j++) s0 += A[ai + j] * B[bp + j];
      const s = s0 + s1 + (s2 + s3);
      C[ci + p] = accumulate ? C[ci + p] + s : s;
    }
  }
}

/** C[k×n] += A[m×k]ᵀ · B[m×n] (weight gradients: Xᵀ·δ). */
export function gemmTNAdd(
  A: Float64Array,
  aOff: number,
  lda: number,
  B: Float64Array,
  bOff: number,
  ldb: number,
  C: Float64Array,
  cOff: number,
  ldc: number,
  m: number,
  k: number,
  n: number,
): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = aOff + i * lda,
      a1 = a0 + lda,
      a2 = a1 + lda,
      a3 = a2 + lda;
    const b0 = bOff + i * ldb,
      b1 = b0 + ldb,
      b2 = b1 + ldb,
      b3 = b2 + ldb;
    for (let p = 0; p < k; p++) {
      const x0 = A[a0 + p],
        x1 = A[a1 + p],
        x2 = A[a2 + p],
        x3 = A[a3 + p];
      const cp = cOff + p * ldc;
      for (let j = 0; j < n; j++) C[cp + j] += x0 * B[b0 + j] + x1 * B[b1 + j] + x2 * B[b2 + j] + x3 * B[b3 + j];
    }
  }
  for (; i < m; i++) {
    const ai = aOff + i * lda;
    const bi = bOff + i * ldb;
    for (let p = 0; p < k; p++) {
      const x = A[ai + p];
      const cp = cOff + p * ldc;
      for (let j = 0; j < n; j++) C[cp + j] += x * B[bi + j];
    }
  }
}

/** out[j] += Σ_i A[i, j] over m rows of width n (bias gradients). */
export function addColumnSums(
  A: Float64Array,
  aOff: number,
  lda: number,
  out: Float64Array,
  m: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * lda;
    for (let j = 0; j < n; j++) out[j] += A[ai + j];
  }
}

/** Euclidean (Frobenius) norm of the first `length` entries from `offset`. */
export function norm2(a: Float64Array, offset = 0, length = a.length - offset): number {
  let s = 0;
  for (let i = offset; i < offset + length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}
