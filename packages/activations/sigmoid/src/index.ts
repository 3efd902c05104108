import { defineActivation, logisticInto, math } from '@gradlab/plugin-api';

const options = {} as const;

export default defineActivation({
  meta: {
    id: 'sigmoid',
    title: 'Sigmoid',
    summary: 'The logistic function, which squashes inputs into (0, 1) and saturates on both sides.',
    formula: {
      forward: '\\sigma(x)=\\frac{1}{1+e^{-x}}',
      derivative: "\\sigma'(x)=\\sigma(x)\\,(1-\\sigma(x))",
    },
    range: [0, 1],
    properties: { monotonic: true, passesThroughOrigin: false, zeroCentered: false, smooth: true, saturates: 'both' },
    recommendedInitializer: 'glorot',
    references: [
      {
        title: 'Glorot, Bengio (2010). Understanding the difficulty of training deep feedforward neural networks',
        url: 'https://proceedings.mlr.press/v9/glorot10a.html',
        year: 2010,
      },
    ],
    tags: ['saturating', 'classic'],
  },
  options,
  create: () => ({
    // σ(x) without overflow: exp only ever sees −|x| (math.logistic). logisticInto gives the same
    // bits in one pass, two exps side by side.
    forward: math.logistic,
    derivative: (_x, y) => y * (1 - y),
    forwardInto: logisticInto,
    derivativeInto(_x, y, out) {
      for (let i = 0; i < y.length; i++) out[i] = y[i] * (1 - y[i]);
    },
    gain: 1,
  }),
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    sigmoid: typeof options;
  }
}
