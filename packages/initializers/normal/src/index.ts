import { defineInitializer } from '@gradlab/plugin-api';

const options = {
  mean: { type: 'number', default: 0, step: 0.1, description: 'Mean of the normal distribution.' },
  std: { type: 'number', default: 1, min: 0, step: 0.01, description: 'Standard deviation, independent of the fans.' },
} as const;

/** N(mean, std²) with a fixed scale: the baseline for showing what happens when the scale ignores the fans. */
export default defineInitializer({
  meta: {
    id: 'normal',
    title: 'Normal',
    summary: 'Draws weights from a normal distribution with a fixed standard deviation that ignores the layer size.',
    formula: 'W \\sim \\mathcal N(\\mu, \\sigma^2)',
    family: 'other',
    tags: ['fixed-scale', 'baseline'],
  },
  options,
  create: ({ mean, std }) => ({
    mean: () => mean,
    variance: () => std * std,
    init({ shape: [rows, cols], rng }) {
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < out.length; i++) out[i] = mean + std * rng.normal();
      return out;
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    normal: typeof options;
  }
}
