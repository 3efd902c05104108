import {
  defineInitializer,
  type InitShape,
  type Rng,
  scaleSpectrum,
  spectralScaleOption,
  spectralTargetOption,
} from '@gradlab/plugin-api';

const options = {
  gain: { type: 'number', default: 1, min: 0, step: 0.1, description: 'Multiplies the orthogonal matrix.' },
  scaleTo: spectralScaleOption,
  target: spectralTargetOption,
} as const;

/**
 * `m` orthonormal vectors of length `n` (m ≤ n): modified Gram–Schmidt on Gaussian vectors,
 * run twice ("twice is enough") so the columns stay orthogonal to round-off. Each vector is
 * the Q column of a QR decomposition whose R has a positive diagonal, so the result is
 * Haar-distributed, as PyTorch gets by multiplying Q by sign(diag R).
 */
function orthonormalVectors(n: number, m: number, rng: Rng): Float64Array[] {
  const q: Float64Array[] = [];
  while (q.length < m) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.normal();
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-8) continue; // linearly dependent draw (probability zero): draw again
    for (let i = 0; i < n; i++) v[i] /= norm;
    q.push(v);
  }
  return q;
}

/** An n×m matrix with orthonormal columns has Σ W² = m over n·m entries, so each has variance 1/n. */
const variance = (gain: number) => (s: InitShape) => (gain * gain) / Math.max(s.shape[0], s.shape[1]);

/**
 * Orthogonal initialization: orthonormal columns (rows ≥ cols) or rows (rows < cols), times `gain`.
 * Every singular value is `gain`, and a square one has every |λ| = `gain`; `scaleTo` then rescales
 * the draw to `target` measured (plugin-api `scaleSpectrum`), so `target` replaces `gain` up to round-off.
 */
export default defineInitializer({
  meta: {
    id: 'orthogonal',
    title: 'Orthogonal',
    summary: 'Draws a random orthogonal matrix, whose singular values are all one, so no direction grows or shrinks.',
    formula:
      'W^\\top W = \\text{gain}^2 I\\ (\\text{rows} \\ge \\text{cols}),\\quad W W^\\top = \\text{gain}^2 I\\ (\\text{rows} < \\text{cols})',
    family: 'orthogonal',
    pairsWith: ['linear', 'tanh', 'relu'],
    tags: ['recurrent', 'dynamical-isometry'],
    references: [
      {
        title:
          'Saxe, McClelland, Ganguli (2013). Exact solutions to the nonlinear dynamics of learning in deep linear neural networks',
        url: 'https://arxiv.org/abs/1312.6120',
        year: 2013,
      },
    ],
  },
  options,
  create: ({ gain, scaleTo, target }) => ({
    variance: variance(scaleTo === 'none' ? gain : target),
    mean: () => 0,
    init(ctx) {
      const [rows, cols] = ctx.shape;
      // With scaleTo, `target` sets the scale: draw at gain 1 so a gain of 0 cannot make a zero matrix.
      const values = draw(rows, cols, scaleTo === 'none' ? gain : 1, ctx.rng);
      return scaleSpectrum('orthogonal', values, ctx, scaleTo, target);
    },
  }),
});

/** `gain` × a Haar-random matrix with orthonormal columns (rows ≥ cols) or rows. */
function draw(rows: number, cols: number, gain: number, rng: Rng): Float64Array {
  const out = new Float64Array(rows * cols);
  const tall = rows >= cols;
  const q = orthonormalVectors(tall ? rows : cols, tall ? cols : rows, rng);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = gain * (tall ? q[j][i] : q[i][j]);
  }
  return out;
}

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    orthogonal: typeof options;
  }
}
