import { applyOption, defineRegularizer, rolesFor } from '@gradlab/plugin-api';

const options = {
  strength: { type: 'number', default: 1e-4, min: 0, step: 1e-5, description: 'λ in λ‖w‖₁.' },
  apply: applyOption,
  clampAtZero: {
    type: 'boolean',
    default: true,
    description: 'After each step, set weights that crossed zero to exactly zero, so L1 can produce exact zeros.',
  },
} as const;

/** L1 (lasso) penalty λ‖w‖₁, with subgradient λ·sign(w) (0 at w = 0) and an optional clamp at zero. */
export default defineRegularizer({
  meta: {
    id: 'l1',
    title: 'L1 (lasso)',
    summary: 'Adds the sum of absolute weights to the loss, pulling every weight toward zero at a constant rate.',
    formula: '\\lambda \\lVert w \\rVert_1 = \\lambda \\sum_i \\lvert w_i \\rvert',
    tags: ['sparsity'],
    references: [
      {
        title: 'Tibshirani (1996). Regression Shrinkage and Selection via the Lasso',
        url: 'https://doi.org/10.1111/j.2517-6161.1996.tb02080.x',
        year: 1996,
      },
    ],
  },
  options,
  create: ({ strength, apply, clampAtZero }) => ({
    appliesTo: rolesFor(apply),
    penalty(w) {
      let s = 0;
      for (let i = 0; i < w.length; i++) s += Math.abs(w[i]);
      return strength * s;
    },
    addGradient(w, grad) {
      // Math.sign(0) = 0: the subgradient at exactly zero is taken as 0 (the minimum-norm one).
      for (let i = 0; i < w.length; i++) grad[i] += strength * Math.sign(w[i]);
    },
    ...(clampAtZero && {
      afterStep(w: Float64Array, previous: Float64Array) {
        for (let i = 0; i < w.length; i++) {
          if ((previous[i] > 0 && w[i] < 0) || (previous[i] < 0 && w[i] > 0)) w[i] = 0;
        }
      },
    }),
  }),
});

declare module '@gradlab/plugin-api' {
  interface RegularizerRegistry {
    l1: typeof options;
  }
}
