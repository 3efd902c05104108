import { defineClipping, l2Norm } from '@gradlab/plugin-api';

const options = {
  clip: {
    type: 'number',
    default: 1,
    min: 1e-12,
    step: 0.1,
    description: 'Every gradient entry is clamped to [−clip, clip].',
  },
} as const;

/**
 * __TITLE__. The scaffold starts from element-wise value clipping, g ← clamp(g, −clip, clip).
 * Replace meta and `update` with the real transform; keep writing into `out`, never mutate
 * `grads`. The suite infers the bound to check from `preservesDirection` and the option name
 * (`clip`, `maxNorm`, `clipping`); for a new kind of bound pass `describeClipping(x, { bound })`.
 */
export default defineClipping({
  meta: {
    id: '__ID__',
    title: '__TITLE__',
    summary: 'Clamps every gradient entry to the interval from −clip to clip.',
    formula: 'g_i \\leftarrow \\min(\\max(g_i, -c), c)',
    preservesDirection: false,
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
          o[i] = Math.min(clip, Math.max(-clip, g[i]));
          if (o[i] !== g[i] && !Number.isNaN(g[i])) clipped++;
        }
        total += g.length;
      }
      // Stats reach probes and the site; preNorm/postNorm must be the global L2 norms.
      return { stats: { preNorm: l2Norm(grads), postNorm: l2Norm(out), clippedFraction: total ? clipped / total : 0 } };
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface ClippingRegistry {
    __KEY__: typeof options;
  }
}
