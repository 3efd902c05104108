import { GradlabError } from './errors.ts';
import { l2Norm } from './helpers.ts';
import type { InitContext } from './types.ts';

/**
 * Spectral radius and largest singular value without QR or eigen-solvers, so the result is the
 * same bits in every JavaScript engine (only +, ×, ÷ and √, which IEEE 754 rounds exactly).
 *
 * Method: Gelfand's formula ρ(A) = lim ‖A^k‖^(1/k) with k = 2^j by repeated squaring. Each square
 * is divided by its Frobenius norm c_j (so nothing overflows), and
 *   ρ_j = ‖A^(2^j)‖_F^(1/2^j) = c_0 · c_1^(1/2) · c_2^(1/4) ⋯ c_j^(1/2^j),
 * each root taken as j successive square roots. For a diagonalizable A = V·D·V⁻¹,
 * |log ρ_j − log ρ| ≤ log(κ(V)·√n) / 2^j, so the error halves with every squaring whatever the
 * phases of the eigenvalues (power iteration on a vector stalls on complex or equal-modulus pairs;
 * this does not). It stops when two successive estimates agree to {@link SPECTRAL_TOLERANCE}
 * (relative) twice in a row, or after {@link MAX_SQUARINGS}. Cost: one n×n product per squaring,
 * about 40 of them for a random matrix, so O(40·n³): ≈ 10 ms for n = 64, seconds past n ≈ 300.
 */
export const SPECTRAL_TOLERANCE = 1e-13;
export const MAX_SQUARINGS = 64;

/** ‖a‖_F, scaled by the largest |a_i| so it neither overflows nor underflows. */
const frobenius = (a: Float64Array): number => l2Norm([a]);

/** out = a·a for n×n row-major a (i-k-j order, a fixed summation order). */
function square(a: Float64Array, n: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * a[k * n + j];
    }
  }
}

/**
 * The spectral radius max |λ| of an n×n row-major matrix (see the module comment for the method
 * and its tolerance). 0 for a nilpotent matrix whose powers reach exactly 0; NaN if any entry is
 * NaN; Infinity if one is infinite.
 */
export function spectralRadius(a: Float64Array, n: number): number {
  if (a.length !== n * n) throw new RangeError(`spectralRadius: ${a.length} values are not an ${n}×${n} matrix`);
  const c0 = frobenius(a);
  if (c0 === 0 || !Number.isFinite(c0)) return c0;
  let m = Float64Array.from(a, (v) => v / c0);
  let next = new Float64Array(n * n);
  let estimate = c0;
  let calm = 0;
  for (let j = 1; j <= MAX_SQUARINGS; j++) {
    square(m, n, next);
    const c = frobenius(next);
    if (c === 0) return 0; // A^(2^j) = 0 exactly: every eigenvalue is 0
    let root = c;
    for (let r = 0; r < j; r++) root = Math.sqrt(root);
    const previous = estimate;
    estimate *= root;
    for (let i = 0; i < next.length; i++) next[i] /= c;
    [m, next] = [next, m];
    calm = Math.abs(estimate - previous) <= SPECTRAL_TOLERANCE * estimate ? calm + 1 : 0;
    if (calm === 2) break;
  }
  return estimate;
}

/**
 * The largest singular value σ₁ of a rows×cols row-major matrix: √ρ(AᵀA) (or √ρ(AAᵀ), whichever
 * Gram matrix is smaller), with {@link spectralRadius}. The Gram matrix is symmetric, so the
 * error bound is log(√n) / 2^j.
 */
export function largestSingularValue(a: Float64Array, rows: number, cols: number): number {
  if (a.length !== rows * cols) {
    throw new RangeError(`largestSingularValue: ${a.length} values are not a ${rows}×${cols} matrix`);
  }
  const byCols = cols <= rows;
  const n = byCols ? cols : rows;
  const gram = new Float64Array(n * n);
  // Scale by max |a| first so squares of large entries cannot overflow.
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  if (m === 0 || !Number.isFinite(m)) return m;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let s = 0;
      if (byCols) for (let r = 0; r < rows; r++) s += (a[r * cols + p] / m) * (a[r * cols + q] / m);
      else for (let c = 0; c < cols; c++) s += (a[p * cols + c] / m) * (a[q * cols + c] / m);
      gram[p * n + q] = s;
    }
  }
  return m * Math.sqrt(spectralRadius(gram, n));
}

/** What an initializer's matrix can be rescaled to. */
export const spectralScaleOption = {
  type: 'enum',
  values: ['none', 'spectral-radius', 'largest-singular-value'],
  default: 'none',
  description:
    "Rescale the drawn matrix so that its spectral radius max|λ| (square matrices, e.g. recurrent weights) or its largest singular value equals `target`; 'none' keeps the draw.",
} as const;

/** The `target` that {@link spectralScaleOption} rescales to. */
export const spectralTargetOption = {
  type: 'number',
  default: 1,
  min: 1e-12,
  max: 1e6,
  step: 0.05,
  description: 'The spectral radius or largest singular value after rescaling (used when scaleTo is not none).',
} as const;

export type SpectralScale = (typeof spectralScaleOption.values)[number];

/**
 * Multiply `values` (an initializer's draw for `ctx.shape`) in place so that its spectral radius
 * or largest singular value equals `target`. `id` names the initializer in errors.
 */
export function scaleSpectrum(
  id: string,
  values: Float64Array,
  ctx: Pick<InitContext, 'shape' | 'role'>,
  scaleTo: SpectralScale,
  target: number,
): Float64Array {
  if (scaleTo === 'none') return values;
  const [rows, cols] = ctx.shape;
  const owner = `initializer "${id}"`;
  const where = { plugin: `initializer:${id}`, hook: 'init' };
  if (scaleTo === 'spectral-radius' && rows !== cols) {
    throw new GradlabError({
      name: 'InvalidPluginOption',
      title: 'Invalid plugin option value.',
      message: `Option \`scaleTo\` of ${owner} is 'spectral-radius', which needs a square matrix, but this ${ctx.role} tensor is ${rows}×${cols}.`,
      hint: "Use it for an rnn layer's recurrentInitializer (units × units), or use scaleTo 'largest-singular-value'.",
      ...where,
    });
  }
  const current =
    scaleTo === 'spectral-radius' ? spectralRadius(values, rows) : largestSingularValue(values, rows, cols);
  if (!(current > 0) || !Number.isFinite(current)) {
    throw new GradlabError({
      name: 'InvalidPluginOption',
      title: 'Invalid plugin option value.',
      message: `${owner} drew a ${rows}×${cols} matrix whose ${scaleTo} is ${current}; it cannot be rescaled to ${target}.`,
      hint: "Check the initializer's other options (a zero std draws a zero matrix), or use scaleTo 'none'.",
      ...where,
    });
  }
  const factor = target / current;
  for (let i = 0; i < values.length; i++) values[i] *= factor;
  return values;
}
