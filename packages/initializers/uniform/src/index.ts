import { defineInitializer } from '@gradlab/plugin-api';

const options = {
  limit: { type: 'number', default: 1, min: 0, step: 0.01, description: 'Half-width: values lie in [−limit, limit).' },
} as const;

/** U(−limit, limit) with a fixed width; its variance is limit² / 3 whatever the fans. */
export default defineInitializer({
  meta: {
    id: 'uniform',
    title: 'Uniform',
    summary: 'Draws weights uniformly from a fixed interval around zero that ignores the layer size.',
    formula: 'W \\sim \\mathcal U(-\\ell, \\ell),\\quad \\operatorname{Var}(W) = \\ell^2 / 3',
    family: 'other',
    tags: ['fixed-scale', 'baseline'],
  },
  options,
  create: ({ limit }) => ({
    mean: () => 0,
    variance: () => (limit * limit) / 3,
    init({ shape: [rows, cols], rng }) {
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * limit;
      return out;
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    uniform: typeof options;
  }
}
