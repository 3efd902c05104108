import { defineClipping, gradientNorm, l2Norm, normTypeOption } from '@gradlab/plugin-api';

const options = {
  maxNorm: {
    type: 'number',
    default: 1,
    min: 1e-12,
    step: 0.1,
    description: 'Largest norm (of type normType) allowed for each tensor.',
  },
  normType: normTypeOption,
} as const;

/**
 * Clip by norm, per tensor (TensorFlow `clip_by_norm` for each tensor): each gradient tensor whose
 * norm exceeds `maxNorm` is rescaled to it. `normType` picks the norm: '2', '1' or 'inf' (max |g|).
 * Stats (`preNorm`, `postNorm`) stay L2 norms whatever the type, so probes compare like with like.
 */
export default defineClipping({
  meta: {
    id: 'norm',
    title: 'Clip by norm (per tensor)',
    summary:
      'Rescales each gradient tensor whose L2 norm exceeds a threshold back to that norm, keeping its direction.',
    formula:
      'g_k \\leftarrow g_k \\cdot \\min\\!\\left(1, \\frac{c}{\\lVert g_k \\rVert_p}\\right),\\; p \\in \\{2, 1, \\infty\\}',
    preservesDirection: 'per-tensor',
    tags: ['exploding-gradients'],
    references: [
      {
        title: 'Pascanu, Mikolov, Bengio (2013). On the difficulty of training recurrent neural networks',
        url: 'https://arxiv.org/abs/1211.5063',
        year: 2013,
      },
    ],
  },
  options,
  create: ({ maxNorm, normType }) => ({
    update(grads, out) {
      let clipped = 0;
      let minScale = 1;
      for (let t = 0; t < grads.length; t++) {
        const norm = gradientNorm([grads[t]], normType);
        // `norm > maxNorm` is false for 0 and NaN: those pass through unchanged (no 0/0).
        const scale = norm > maxNorm ? maxNorm / norm : 1;
        if (scale === 1) out[t].set(grads[t]);
        else for (let i = 0; i < grads[t].length; i++) out[t][i] = grads[t][i] * scale;
        if (scale < 1) clipped++;
        minScale = Math.min(minScale, scale);
      }
      const preNorm = l2Norm(grads);
      const postNorm = l2Norm(out);
      return {
        stats: {
          preNorm,
          postNorm,
          scale: preNorm > 0 ? postNorm / preNorm : 1,
          minScale,
          clippedFraction: grads.length > 0 ? clipped / grads.length : 0,
        },
      };
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface ClippingRegistry {
    norm: typeof options;
  }
}
