import { defineInitializer, scaleSpectrum, spectralScaleOption, spectralTargetOption } from '@gradlab/plugin-api';

const options = {
  mean: { type: 'number', default: 0, step: 0.1, description: 'Mean of the normal distribution.' },
  std: { type: 'number', default: 1, min: 0, step: 0.01, description: 'Standard deviation, independent of the fans.' },
  scaleTo: spectralScaleOption,
  target: spectralTargetOption,
} as const;

/**
 * N(mean, std²) with a fixed scale: the baseline for showing what happens when the scale ignores
 * the fans. With `scaleTo`, the whole draw is then multiplied so that its spectral radius (square
 * matrices) or largest singular value equals `target` (plugin-api `scaleSpectrum`); the entries
 * are then no longer i.i.d. with a known variance, so none is declared.
 */
export default defineInitializer({
  meta: {
    id: 'normal',
    title: 'Normal',
    summary: 'Draws weights from a normal distribution with a fixed standard deviation that ignores the layer size.',
    formula:
      'W \\sim \\mathcal N(\\mu, \\sigma^2)\\;(\\text{then } W \\leftarrow W \\cdot t/\\rho(W) \\text{ or } t/\\sigma_1(W) \\text{ with scaleTo})',
    family: 'other',
    tags: ['fixed-scale', 'baseline'],
  },
  options,
  create: ({ mean, std, scaleTo, target }) => ({
    ...(scaleTo === 'none' && { mean: () => mean, variance: () => std * std }),
    init(ctx) {
      const out = new Float64Array(ctx.shape[0] * ctx.shape[1]);
      for (let i = 0; i < out.length; i++) out[i] = mean + std * ctx.rng.normal();
      return scaleSpectrum('normal', out, ctx, scaleTo, target);
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    normal: typeof options;
  }
}
