import { applyOption, defineRegularizer, rolesFor } from '@gradlab/plugin-api';

const options = {
  strength: { type: 'number', default: 1e-4, min: 0, step: 1e-5, description: 'Overall strength λ.' },
  l1Ratio: {
    type: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    step: 0.05,
    description: 'Mix ρ between L1 (1) and L2 (0): λ(ρ‖w‖₁ + ½(1 − ρ)‖w‖²).',
  },
  apply: applyOption,
  clampAtZero: {
    type: 'boolean',
    default: true,
    description: 'After each step, set weights that crossed zero to exactly zero (only when l1Ratio > 0).',
  },
} as const;

/** Elastic net in scikit-learn's parametrization: λ(ρ‖w‖₁ + ½(1 − ρ)‖w‖²). */
export default defineRegularizer({
  meta: {
    id: 'elastic-net',
    title: 'Elastic net',
    summary: 'Mixes the L1 and L2 penalties, so weights are both shrunk and pushed to exact zeros.',
    formula: '\\lambda\\left(\\rho \\lVert w \\rVert_1 + \\tfrac{1}{2}(1 - \\rho) \\lVert w \\rVert_2^2\\right)',
    tags: ['sparsity', 'weight-decay'],
    references: [
      {
        title: 'Zou, Hastie (2005). Regularization and Variable Selection via the Elastic Net',
        url: 'https://doi.org/10.1111/j.1467-9868.2005.00503.x',
        year: 2005,
      },
    ],
  },
  options,
  create: ({ strength, l1Ratio, apply, clampAtZero }) => {
    const a = strength * l1Ratio;
    const b = strength * (1 - l1Ratio);
    return {
      appliesTo: rolesFor(apply),
      penalty(w) {
        let abs = 0;
        let sq = 0;
        for (let i = 0; i < w.length; i++) {
          abs += Math.abs(w[i]);
          sq += w[i] * w[i];
        }
        return a * abs + 0.5 * b * sq;
      },
      addGradient(w, grad) {
        // Math.sign(0) = 0: the L1 subgradient at exactly zero is taken as 0.
        for (let i = 0; i < w.length; i++) grad[i] += a * Math.sign(w[i]) + b * w[i];
      },
      ...(clampAtZero &&
        l1Ratio > 0 && {
          afterStep(w: Float64Array, previous: Float64Array) {
            for (let i = 0; i < w.length; i++) {
              if ((previous[i] > 0 && w[i] < 0) || (previous[i] < 0 && w[i] > 0)) w[i] = 0;
            }
          },
        }),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface RegularizerRegistry {
    'elastic-net': typeof options;
  }
}
