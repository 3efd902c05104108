import { applyOption, defineRegularizer, rolesFor } from '@gradlab/plugin-api';

const options = {
  strength: { type: 'number', default: 1e-4, min: 0, step: 1e-5, description: 'λ in ½λ‖w‖² (gradient λw).' },
  apply: applyOption,
} as const;

/** L2 penalty ½λ‖w‖² with gradient λw: with plain SGD this is weight decay by a factor (1 − ηλ) per step. */
export default defineRegularizer({
  meta: {
    id: 'l2',
    title: 'L2',
    summary: 'Adds half the squared norm of the weights to the loss, shrinking each weight in proportion to its size.',
    formula: '\\tfrac{1}{2}\\lambda \\lVert w \\rVert_2^2 = \\tfrac{1}{2}\\lambda \\sum_i w_i^2',
    tags: ['weight-decay'],
    references: [
      {
        title: 'Krogh, Hertz (1991). A Simple Weight Decay Can Improve Generalization',
        url: 'https://papers.nips.cc/paper/1991/hash/8eefcfdf5990e441f0fb6f3fad709e21-Abstract.html',
        year: 1991,
      },
    ],
  },
  options,
  create: ({ strength, apply }) => ({
    appliesTo: rolesFor(apply),
    penalty(w) {
      let s = 0;
      for (let i = 0; i < w.length; i++) s += w[i] * w[i];
      return 0.5 * strength * s;
    },
    addGradient(w, grad) {
      for (let i = 0; i < w.length; i++) grad[i] += strength * w[i];
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface RegularizerRegistry {
    l2: typeof options;
  }
}
