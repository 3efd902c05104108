import { defineClipping, type ParamSlot } from '@gradlab/plugin-api';

const options = {
  clipping: {
    type: 'number',
    default: 0.01,
    min: 1e-12,
    step: 0.001,
    description: 'Largest allowed ratio ‖G_unit‖ / max(‖W_unit‖, eps).',
  },
  eps: {
    type: 'number',
    default: 1e-3,
    min: 0,
    description: 'Floor on ‖W_unit‖, so zero-initialized units can still move.',
  },
} as const;

/** L2 norm of column j of a row-major rows×cols matrix (m·√Σ(x/m)², m = max |x|, so no overflow). */
function columnNorm(x: Float64Array, rows: number, cols: number, j: number): number {
  let m = 0;
  for (let i = 0; i < rows; i++) m = Math.max(m, Math.abs(x[i * cols + j]));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < rows; i++) s += (x[i * cols + j] / m) ** 2;
  return m * Math.sqrt(s);
}

/** Units are the columns of `[rows, cols]` (weights `[fanIn, fanOut]`; each bias entry is a unit). */
function unitShape(slot: ParamSlot | undefined, length: number): readonly [number, number] {
  const shape = slot?.shape;
  // Without a usable shape the whole tensor is one unit (per-tensor AGC).
  return shape && shape[0] * shape[1] === length ? shape : [length, 1];
}

/**
 * Adaptive gradient clipping (Brock et al. 2021): for each unit, if ‖G_u‖ > λ·max(‖W_u‖, ε)
 * then G_u ← G_u · λ·max(‖W_u‖, ε) / ‖G_u‖. The bound follows the size of the weights.
 */
export default defineClipping({
  meta: {
    id: 'adaptive',
    title: 'Adaptive (AGC)',
    summary:
      "Clips the gradient of each unit so its norm stays below a fixed fraction of the norm of the unit's weights.",
    aliases: ['agc'],
    formula:
      'G_u \\leftarrow G_u \\cdot \\min\\!\\left(1, \\frac{\\lambda \\max(\\lVert W_u \\rVert_2, \\epsilon)}{\\lVert G_u \\rVert_2}\\right)',
    preservesDirection: 'per-unit',
    tags: ['exploding-gradients', 'normalizer-free'],
    references: [
      {
        title:
          'Brock, De, Smith, Simonyan (2021). High-Performance Large-Scale Image Recognition Without Normalization',
        url: 'https://arxiv.org/abs/2102.06171',
        year: 2021,
      },
    ],
  },
  options,
  create: ({ clipping, eps }) => ({
    update(grads, out, params) {
      let units = 0;
      let clipped = 0;
      let pre = 0;
      let post = 0;
      for (let t = 0; t < grads.length; t++) {
        const g = grads[t];
        const o = out[t];
        const w = params[t]?.value ?? new Float64Array(g.length);
        const [rows, cols] = unitShape(params[t], g.length);
        for (let j = 0; j < cols; j++) {
          const gNorm = columnNorm(g, rows, cols, j);
          const bound = clipping * Math.max(columnNorm(w, rows, cols, j), eps);
          const scale = gNorm > bound ? bound / gNorm : 1;
          for (let i = 0; i < rows; i++) o[i * cols + j] = scale === 1 ? g[i * cols + j] : g[i * cols + j] * scale;
          pre = Math.hypot(pre, gNorm);
          post = Math.hypot(post, gNorm * scale);
          units++;
          if (scale < 1) clipped++;
        }
      }
      return {
        stats: {
          preNorm: pre,
          postNorm: post,
          scale: pre > 0 ? post / pre : 1,
          clippedFraction: units ? clipped / units : 0,
        },
      };
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface ClippingRegistry {
    adaptive: typeof options;
  }
}
