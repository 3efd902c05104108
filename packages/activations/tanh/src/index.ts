import { defineActivation, math, tanhInto } from '@gradlab/plugin-api';

const options = {} as const;

export default defineActivation({
  meta: {
    id: 'tanh',
    title: 'Tanh',
    summary: 'The hyperbolic tangent, a zero-centred squashing function into (−1, 1) that saturates on both sides.',
    formula: {
      forward: '\\tanh(x)=\\frac{e^{x}-e^{-x}}{e^{x}+e^{-x}}',
      derivative: "\\tanh'(x)=1-\\tanh^2(x)",
    },
    range: [-1, 1],
    properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: true, smooth: true, saturates: 'both' },
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
    // math.tanh is exact to ±1 for large |x|, where the e^x quotient would be Infinity/Infinity.
    forward: math.tanh,
    derivative: (_x, y) => 1 - y * y,
    // tanhInto evaluates two tanh side by side, the same bits as math.tanh (see exp's expInto).
    forwardInto: tanhInto,
    derivativeInto(_x, y, out) {
      for (let i = 0; i < y.length; i++) out[i] = 1 - y[i] * y[i];
    },
    gain: 5 / 3,
  }),
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    tanh: typeof options;
  }
}
