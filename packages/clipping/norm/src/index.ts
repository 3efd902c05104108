import { defineClipping } from '@gradlab/plugin-api';

const options = {
  maxNorm: {
    type: 'number',
    default: 1,
    min: 1e-12,
    step: 0.1,
    description: 'Largest L2 norm allowed for each tensor.',
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

/** Clip by norm, per tensor: each gradient tensor whose norm exceeds `maxNorm` is rescaled to it. */
export default defineClipping({
  meta: {
    id: 'norm',
    title: 'Clip by norm (per tensor)',
    summary:
      'Rescales each gradient tensor whose L2 norm exceeds a threshold back to that norm, keeping its direction.',
    formula: 'g_k \\leftarrow g_k \\cdot \\min\\!\\left(1, \\frac{c}{\\lVert g_k \\rVert_2}\\right)',
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
  create: ({ maxNorm }) => ({
    update(grads, out) {
      let clipped = 0;
      let minScale = 1;
      for (let t = 0; t < grads.length; t++) {
        const norm = l2([grads[t]]);
        // `norm > maxNorm` is false for 0 and NaN: those pass through unchanged (no 0/0).
        const scale = norm > maxNorm ? maxNorm / norm : 1;
        if (scale === 1) out[t].set(grads[t]);
        else for (let i = 0; i < grads[t].length; i++) out[t][i] = grads[t][i] * scale;
        if (scale < 1) clipped++;
        minScale = Math.min(minScale, scale);
      }
      const preNorm = l2(grads);
      const postNorm = l2(out);
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
