import { defineActivation, defineInitializer } from '@gradlab/plugin-api';

/** f(x) = x. The engine's default activation; written with the same contract as every plugin. */
export const linear = defineActivation({
  meta: {
    id: 'linear',
    title: 'Linear (identity)',
    summary: 'The identity f(x) = x, used for output layers and as the default activation.',
    formula: { forward: 'f(x)=x', derivative: "f'(x)=1" },
    range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: true, smooth: true, saturates: 'none' },
    aliases: ['identity-activation'],
  },
  create: () => ({
    forward: (x) => x,
    derivative: (x) => (Number.isNaN(x) ? Number.NaN : 1),
    forwardInto(x, out) {
      out.set(x);
    },
    derivativeInto(x, _y, out) {
      for (let i = 0; i < x.length; i++) out[i] = Number.isNaN(x[i]) ? Number.NaN : 1;
    },
    gain: 1,
  }),
});

/** Every entry 0. The default bias initializer. */
export const zeros = defineInitializer({
  meta: {
    id: 'zeros',
    title: 'Zeros',
    summary: 'Sets every entry to zero, the default for biases.',
    formula: 'W = 0',
    family: 'constant',
  },
  create: () => ({
    init: (ctx) => new Float64Array(ctx.shape[0] * ctx.shape[1]),
    mean: () => 0,
    variance: () => 0,
  }),
});
