import { applyOption, defineRegularizer, rolesFor } from '@gradlab/plugin-api';

const options = {
  strength: {
    type: 'number',
    default: 1e-4,
    min: 0,
    step: 1e-4,
    description: 'Penalty strength λ.',
  },
  apply: applyOption,
} as const;

/**
 * __TITLE__. The scaffold starts from an L2 penalty, λ/2 · Σ w², whose gradient is λ·w.
 * Replace meta, `penalty` and `addGradient` with the real rule; `addGradient` accumulates (+=).
 */
export default defineRegularizer({
  meta: {
    id: '__ID__',
    title: '__TITLE__',
    summary: 'Adds half the squared L2 norm of the weights, times a strength, to the loss.',
    formula: '\\Omega(W) = \\frac{\\lambda}{2} \\sum_i w_i^2',
    references: [
      {
        title: 'Krogh, Hertz (1991). A Simple Weight Decay Can Improve Generalization',
        url: 'https://proceedings.neurips.cc/paper/1991/hash/8eefcfdf5990e441f0fb6f3fad709e21-Abstract.html',
        year: 1991,
      },
    ],
  },
  options,
  create: ({ strength, apply }) => ({
    appliesTo: rolesFor(apply),
    penalty(w) {
      let sum = 0;
      for (let i = 0; i < w.length; i++) sum += w[i] * w[i];
      return 0.5 * strength * sum;
    },
    addGradient(w, grad) {
      for (let i = 0; i < w.length; i++) grad[i] += strength * w[i];
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface RegularizerRegistry {
    __KEY__: typeof options;
  }
}
