/**
 * Row-major float64 matrix kernels with explicit offsets and leading dimensions (BLAS style),
 * so layers can work on slices (one time step of a sequence) without allocating views.
 *
 * Every entry of a product is one sum over the shared dimension in index order, started from
 * +0 and then added to C (or stored, for gemmNT without `accumulate`). Float64 `+` and `*` are
 * exactly rounded in every JavaScript engine and never fused, so results are bit-identical
 * everywhere: no SIMD, threads, FMA or platform branches. Nothing allocates.
 *
 * Why the loops look like this (measured with `pnpm bench`, see bench/README.md):
 * - A typed-array load in optimized JavaScript costs about six instructions (index arithmetic,
 *   sign extension, bounds check, base pointer), a multiply or an add one, so the kernels are
 *   bound by loads. Each kernel computes a tile of 4 rows × 3 columns of C in twelve local
 *   sums (register blocking): per step along the shared dimension it loads 4 + 3 values for 12
 *   multiply-adds, where a plain dot product loads 2 per multiply-add. This took the three
 *   kernels from 4.4, 4.4 and 2.1 GFLOP/s (i-k-j order, four-way unrolled) to about 6 each.
 * - 4 × 3 rather than 4 × 4: sixteen sums plus the loaded values exceed the 15 float registers
 *   V8 allocates on x64 and spill to the stack; 4 × 3 measured 4% faster on a whole training
 *   step of 256-wide layers (1.5% slower on 32-wide ones, where 2 of 32 columns take the 4 × 1
 *   path). 4 × 8, 8 × 4 and unrolling the shared loop were all slower.
 * - `(i + d) | 0` on indices tells V8 they are 32-bit integers, which drops an overflow check per
 *   load (3–4% on a step). Valid because arrays stay far below 2³¹ entries (spec LIMITS).
 * - Rows and columns that do not fill a tile go through 4 × 1, 1 × 3 and 1 × 1 versions of the
 *   same loop, so odd widths (an output layer of 1 unit, a last partial batch) stay fast.
 */

/**
 * C[m×n] += A[m×k] · B[k×n]. Given `init` (n entries, a bias), C's rows are set to it first: C = init + A·B
 * with the same sums as setting C then adding, so the wasm kernel reads init instead of copying C in (decision 0054).
 */
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
  init?: Float64Array,
): void {
  if (init) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C[cOff + i * ldc + j] = init[j];
  // Tile: rows i..i+3 of A against columns j..j+2 of B; B is walked down its rows.
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = aOff + i * lda;
    const a1 = a0 + lda;
    const a2 = a1 + lda;
    const a3 = a2 + lda;
    const c0 = cOff + i * ldc;
    const c1 = c0 + ldc;
    const c2 = c1 + ldc;
    const c3 = c2 + ldc;
    let j = 0;
    for (; j + 2 < n; j += 3) {
      // biome-ignore format: one line per row of the tile
      let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0, s30 = 0, s31 = 0, s32 = 0;
      for (let p = 0, b = bOff + j; p < k; p = (p + 1) | 0, b = (b + ldb) | 0) {
        const x0 = B[b];
        const x1 = B[(b + 1) | 0];
        const x2 = B[(b + 2) | 0];
        // biome-ignore format: one line per row of the tile
        {
          let y = A[(a0 + p) | 0]; s00 += y * x0; s01 += y * x1; s02 += y * x2;
          y = A[(a1 + p) | 0]; s10 += y * x0; s11 += y * x1; s12 += y * x2;
          y = A[(a2 + p) | 0]; s20 += y * x0; s21 += y * x1; s22 += y * x2;
          y = A[(a3 + p) | 0]; s30 += y * x0; s31 += y * x1; s32 += y * x2;
        }
      }
      C[c0 + j] += s00;
      C[c0 + j + 1] += s01;
      C[c0 + j + 2] += s02;
      C[c1 + j] += s10;
      C[c1 + j + 1] += s11;
      C[c1 + j + 2] += s12;
      C[c2 + j] += s20;
      C[c2 + j + 1] += s21;
      C[c2 + j + 2] += s22;
      C[c3 + j] += s30;
      C[c3 + j + 1] += s31;
      C[c3 + j + 2] += s32;
    }
    for (; j < n; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0, b = bOff + j; p < k; p = (p + 1) | 0, b = (b + ldb) | 0) {
        const x = B[b];
        s0 += A[(a0 + p) | 0] * x;
        s1 += A[(a1 + p) | 0] * x;
        s2 += A[(a2 + p) | 0] * x;
        s3 += A[(a3 + p) | 0] * x;
      }
      C[c0 + j] += s0;
      C[c1 + j] += s1;
      C[c2 + j] += s2;
      C[c3 + j] += s3;
    }
  }
  for (; i < m; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let j = 0;
    for (; j + 2 < n; j += 3) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let p = 0, b = bOff + j; p < k; p = (p + 1) | 0, b = (b + ldb) | 0) {
        const y = A[(ai + p) | 0];
        s0 += y * B[b];
        s1 += y * B[(b + 1) | 0];
        s2 += y * B[(b + 2) | 0];
      }
      C[ci + j] += s0;
      C[ci + j + 1] += s1;
      C[ci + j + 2] += s2;
    }
    for (; j < n; j++) {
      let s = 0;
      for (let p = 0, b = bOff + j; p < k; p = (p + 1) | 0, b = (b + ldb) | 0) s += A[(ai + p) | 0] * B[b];
      C[ci + j] += s;
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
  // Tile: rows i..i+3 of A against rows p..p+2 of B, both walked along their rows.
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = aOff + i * lda;
    const a1 = a0 + lda;
    const a2 = a1 + lda;
    const a3 = a2 + lda;
    const c0 = cOff + i * ldc;
    const c1 = c0 + ldc;
    const c2 = c1 + ldc;
    const c3 = c2 + ldc;
    let p = 0;
    for (; p + 2 < k; p += 3) {
      const b0 = bOff + p * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      // biome-ignore format: one line per row of the tile
      let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0, s30 = 0, s31 = 0, s32 = 0;
      for (let j = 0; j < n; j = (j + 1) | 0) {
        const x0 = B[(b0 + j) | 0];
        const x1 = B[(b1 + j) | 0];
        const x2 = B[(b2 + j) | 0];
        // biome-ignore format: one line per row of the tile
        {
          let y = A[(a0 + j) | 0]; s00 += y * x0; s01 += y * x1; s02 += y * x2;
          y = A[(a1 + j) | 0]; s10 += y * x0; s11 += y * x1; s12 += y * x2;
          y = A[(a2 + j) | 0]; s20 += y * x0; s21 += y * x1; s22 += y * x2;
          y = A[(a3 + j) | 0]; s30 += y * x0; s31 += y * x1; s32 += y * x2;
        }
      }
      if (accumulate) {
        s00 += C[c0 + p];
        s01 += C[c0 + p + 1];
        s02 += C[c0 + p + 2];
        s10 += C[c1 + p];
        s11 += C[c1 + p + 1];
        s12 += C[c1 + p + 2];
        s20 += C[c2 + p];
        s21 += C[c2 + p + 1];
        s22 += C[c2 + p + 2];
        s30 += C[c3 + p];
        s31 += C[c3 + p + 1];
        s32 += C[c3 + p + 2];
      }
      C[c0 + p] = s00;
      C[c0 + p + 1] = s01;
      C[c0 + p + 2] = s02;
      C[c1 + p] = s10;
      C[c1 + p + 1] = s11;
      C[c1 + p + 2] = s12;
      C[c2 + p] = s20;
      C[c2 + p + 1] = s21;
      C[c2 + p + 2] = s22;
      C[c3 + p] = s30;
      C[c3 + p + 1] = s31;
      C[c3 + p + 2] = s32;
    }
    for (; p < k; p++) {
      const bp = bOff + p * ldb;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < n; j = (j + 1) | 0) {
        const x = B[(bp + j) | 0];
        s0 += A[(a0 + j) | 0] * x;
        s1 += A[(a1 + j) | 0] * x;
        s2 += A[(a2 + j) | 0] * x;
        s3 += A[(a3 + j) | 0] * x;
      }
      C[c0 + p] = accumulate ? C[c0 + p] + s0 : s0;
      C[c1 + p] = accumulate ? C[c1 + p] + s1 : s1;
      C[c2 + p] = accumulate ? C[c2 + p] + s2 : s2;
      C[c3 + p] = accumulate ? C[c3 + p] + s3 : s3;
    }
  }
  for (; i < m; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let p = 0;
    for (; p + 2 < k; p += 3) {
      const b0 = bOff + p * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < n; j = (j + 1) | 0) {
        const y = A[(ai + j) | 0];
        s0 += y * B[(b0 + j) | 0];
        s1 += y * B[(b1 + j) | 0];
        s2 += y * B[(b2 + j) | 0];
      }
      C[ci + p] = accumulate ? C[ci + p] + s0 : s0;
      C[ci + p + 1] = accumulate ? C[ci + p + 1] + s1 : s1;
      C[ci + p + 2] = accumulate ? C[ci + p + 2] + s2 : s2;
    }
    for (; p < k; p++) {
      const bp = bOff + p * ldb;
      let s = 0;
      for (let j = 0; j < n; j = (j + 1) | 0) s += A[(ai + j) | 0] * B[(bp + j) | 0];
      C[ci + p] = accumulate ? C[ci + p] + s : s;
    }
  }
}

/** C[k×n] += A[m×k]ᵀ · B[m×n] (weight gradients: Xᵀ·δ); given `init` (n entries), C's rows are set to it first. */
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
  init?: Float64Array,
): void {
  if (init) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) C[cOff + p * ldc + j] = init[j];
  // The shared dimension is the rows of both operands: per row, 4 adjacent entries of A's row
  // against 3 adjacent entries of B's row make the tile of C (rows p..p+3, columns j..j+2).
  let p = 0;
  for (; p + 3 < k; p += 4) {
    const c0 = cOff + p * ldc;
    const c1 = c0 + ldc;
    const c2 = c1 + ldc;
    const c3 = c2 + ldc;
    let j = 0;
    for (; j + 2 < n; j += 3) {
      // biome-ignore format: one line per row of the tile
      let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0, s30 = 0, s31 = 0, s32 = 0;
      for (let i = 0, a = aOff + p, b = bOff + j; i < m; i = (i + 1) | 0, a = (a + lda) | 0, b = (b + ldb) | 0) {
        const x0 = B[b];
        const x1 = B[(b + 1) | 0];
        const x2 = B[(b + 2) | 0];
        // biome-ignore format: one line per row of the tile
        {
          let y = A[a]; s00 += y * x0; s01 += y * x1; s02 += y * x2;
          y = A[(a + 1) | 0]; s10 += y * x0; s11 += y * x1; s12 += y * x2;
          y = A[(a + 2) | 0]; s20 += y * x0; s21 += y * x1; s22 += y * x2;
          y = A[(a + 3) | 0]; s30 += y * x0; s31 += y * x1; s32 += y * x2;
        }
      }
      C[c0 + j] += s00;
      C[c0 + j + 1] += s01;
      C[c0 + j + 2] += s02;
      C[c1 + j] += s10;
      C[c1 + j + 1] += s11;
      C[c1 + j + 2] += s12;
      C[c2 + j] += s20;
      C[c2 + j + 1] += s21;
      C[c2 + j + 2] += s22;
      C[c3 + j] += s30;
      C[c3 + j + 1] += s31;
      C[c3 + j + 2] += s32;
    }
    for (; j < n; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0, a = aOff + p, b = bOff + j; i < m; i = (i + 1) | 0, a = (a + lda) | 0, b = (b + ldb) | 0) {
        const x = B[b];
        s0 += A[a] * x;
        s1 += A[(a + 1) | 0] * x;
        s2 += A[(a + 2) | 0] * x;
        s3 += A[(a + 3) | 0] * x;
      }
      C[c0 + j] += s0;
      C[c1 + j] += s1;
      C[c2 + j] += s2;
      C[c3 + j] += s3;
    }
  }
  for (; p < k; p++) {
    const cp = cOff + p * ldc;
    let j = 0;
    for (; j + 2 < n; j += 3) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0, a = aOff + p, b = bOff + j; i < m; i = (i + 1) | 0, a = (a + lda) | 0, b = (b + ldb) | 0) {
        const y = A[a];
        s0 += y * B[b];
        s1 += y * B[(b + 1) | 0];
        s2 += y * B[(b + 2) | 0];
      }
      C[cp + j] += s0;
      C[cp + j + 1] += s1;
      C[cp + j + 2] += s2;
    }
    for (; j < n; j++) {
      let s = 0;
      for (let i = 0, a = aOff + p, b = bOff + j; i < m; i = (i + 1) | 0, a = (a + lda) | 0, b = (b + ldb) | 0) {
        s += A[a] * B[b];
      }
      C[cp + j] += s;
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

/**
 * Euclidean (Frobenius) norm of the first `length` entries from `offset`. Σx² underflows to 0
 * for entries below ~1e-154 and overflows for entries above ~1e154 while the norm itself is
 * finite, so outside a safe range the sum is redone scaled by the largest |x| (as LAPACK's dnrm2
 * scales); inside it the result is the plain √Σx², bit for bit.
 */
export function norm2(a: Float64Array, offset = 0, length = a.length - offset): number {
  const end = offset + length;
  let s = 0;
  for (let i = offset; i < end; i++) s += a[i] * a[i];
  if ((s >= 1e-280 && s < Number.POSITIVE_INFINITY) || Number.isNaN(s)) return Math.sqrt(s);
  let m = 0;
  for (let i = offset; i < end; i++) m = Math.max(m, Math.abs(a[i]));
  if (m === 0 || !Number.isFinite(m)) return m;
  let t = 0;
  for (let i = offset; i < end; i++) t += (a[i] / m) * (a[i] / m);
  return m * Math.sqrt(t);
}
