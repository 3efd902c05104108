import { defineClipping, l2Norm } from '@gradlab/plugin-api';

const options = {
  maxNorm: {
    type: 'number',
    default: 1,
    min: 1e-12,
    step: 0.1,
    description: 'Largest L2 norm allowed for all gradients taken together.',
  },
} as const;

/**
 * Clip by global norm (optax `clip_by_global_norm`): if ‖g‖ = √Σ‖g_k‖² exceeds `maxNorm`, every
 * tensor is multiplied by maxNorm / ‖g‖; otherwise the gradients pass through unchanged.
 */
export default defineClipping({
  meta: {
    id: 'global-norm',
    title: 'Clip by global norm',
    summary:
      'Rescales all gradients together when their joint L2 norm exceeds a threshold, keeping the overall direction.',
    formula:
      'g \\leftarrow g \\cdot \\min\\!\\left(1, \\frac{c}{\\lVert g \\rVert_2}\\right),\\quad \\lVert g \\rVert_2 = \\sqrt{\\textstyle\\sum_k \\lVert g_k \\rVert_2^2}',
    preservesDirection: true,
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
  create: ({ maxNorm }) => ({
    update(grads, out) {
      const preNorm = l2Norm(grads);
      // No epsilon (unlike PyTorch): the bound is exact, and a zero (or NaN) norm is never divided by.
      const scale = preNorm > maxNorm ? maxNorm / preNorm : 1;
      for (let t = 0; t < grads.length; t++) {
        if (scale === 1) out[t].set(grads[t]);
        else for (let i = 0; i < grads[t].length; i++) out[t][i] = grads[t][i] * scale;
      }
      return { stats: { preNorm, postNorm: l2Norm(out), scale, clippedFraction: scale < 1 ? 1 : 0 } };
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface ClippingRegistry {
    'global-norm': typeof options;
  }
}
