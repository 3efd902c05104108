import { defineClipping, gradientNorm, l2Norm, normTypeOption } from '@gradlab/plugin-api';

const options = {
  maxNorm: {
    type: 'number',
    default: 1,
    min: 1e-12,
    step: 0.1,
    description: 'Largest norm (of type normType) allowed for all gradients taken together.',
  },
  normType: normTypeOption,
} as const;

/**
 * Clip by global norm (optax `clip_by_global_norm`; PyTorch `clip_grad_norm_` without its 1e-6):
 * if ‖g‖ = √Σ‖g_k‖² exceeds `maxNorm`, every tensor is multiplied by maxNorm / ‖g‖; otherwise the
 * gradients pass through unchanged. `normType` '1' uses Σ|g|, 'inf' max |g| over every tensor
 * (PyTorch's `norm_type=1` / `inf`). Stats (`preNorm`, `postNorm`) stay L2 norms whatever the type.
 */
export default defineClipping({
  meta: {
    id: 'global-norm',
    title: 'Clip by global norm',
    summary:
      'Rescales all gradients together when their joint L2 norm exceeds a threshold, keeping the overall direction.',
    formula:
      'g \\leftarrow g \\cdot \\min\\!\\left(1, \\frac{c}{\\lVert g \\rVert_2}\\right),\\quad \\lVert g \\rVert_2 = \\sqrt{\\textstyle\\sum_k \\lVert g_k \\rVert_2^2}\\;(\\text{or } \\lVert g \\rVert_1, \\lVert g \\rVert_\\infty)',
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
  create: ({ maxNorm, normType }) => ({
    update(grads, out) {
      const preNorm = l2Norm(grads);
      const norm = normType === '2' ? preNorm : gradientNorm(grads, normType);
      // No epsilon (unlike PyTorch): the bound is exact, and a zero (or NaN) norm is never divided by.
      const scale = norm > maxNorm ? maxNorm / norm : 1;
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
