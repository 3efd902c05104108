import { defineClipping, l2Norm } from '@gradlab/plugin-api';

const options = {
  clip: {
    type: 'number',
    default: 1,
    min: 1e-12,
    step: 0.1,
    description: 'Each gradient entry is clamped to [−clip, clip].',
  },
} as const;

/** Clip by value: clamps every gradient entry on its own, which changes the gradient's direction. */
export default defineClipping({
  meta: {
    id: 'value',
    title: 'Clip by value',
    summary: 'Clamps every gradient entry to a fixed interval, which bounds each step but can bend its direction.',
    formula: 'g_i \\leftarrow \\min(\\max(g_i, -c), c)',
    preservesDirection: false,
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
  create: ({ clip }) => ({
    update(grads, out) {
      let clipped = 0;
      let total = 0;
      for (let t = 0; t < grads.length; t++) {
        const g = grads[t];
        const o = out[t];
        for (let i = 0; i < g.length; i++) {
          const v = g[i];
          if (v > clip || v < -clip) clipped++;
          o[i] = Math.min(Math.max(v, -clip), clip);
        }
        total += g.length;
      }
      const preNorm = l2Norm(grads);
      const postNorm = l2Norm(out);
      return {
        stats: {
          preNorm,
          postNorm,
          scale: preNorm > 0 ? postNorm / preNorm : 1,
          clippedFraction: total > 0 ? clipped / total : 0,
        },
      };
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface ClippingRegistry {
    value: typeof options;
  }
}
