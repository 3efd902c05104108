import { defineClipping } from '@gradlab/plugin-api';

const options = {
  maxNorm: {
    type: 'number',
    default: 1,
    min: 1e-12,
    step: 0.1,
    description: 'Largest L2 norm allowed for all gradients taken together.',
  },
} as const;

/** L2 norm over the tensors, computed as m·√Σ(x/m)² with m = max |x| so it cannot overflow. */
function l2(tensors: readonly Float64Array[]): number {
  let m = 0;
  for (const t of tensors) for (let i = 0; i < t.length; i++) m = Math.max(m, Math.abs(t[i]));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (const t of tensors) for (let i = 0; i < t.length; i++) s += (t[i] / m) ** 2;
  return m * Math.sqrt(s);
}

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
      const preNorm = l2(grads);
      // No epsilon (unlike PyTorch): the bound is exact, and a zero (or NaN) norm is never divided by.
      const scale = preNorm > maxNorm ? maxNorm / preNorm : 1;
      for (let t = 0; t < grads.length; t++) {
        if (scale === 1) out[t].set(grads[t]);
        else for (let i = 0; i < grads[t].length; i++) out[t][i] = grads[t][i] * scale;
      }
      return { stats: { preNorm, postNorm: l2(out), scale, clippedFraction: scale < 1 ? 1 : 0 } };
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface ClippingRegistry {
    'global-norm': typeof options;
  }
}
