import { defineActivation, expInto, math } from '@gradlab/plugin-api';

const options = {} as const;

/** σ(x) without overflow: exp only ever sees −|x|, so no Infinity/Infinity for large |x|. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + math.exp(-x));
  const e = math.exp(x);
  return e / (1 + e);
}

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
    forward: sigmoid,
    derivative: (_x, y) => y * (1 - y),
    // The same operations as `sigmoid`: both branches divide by 1 + e with e = exp(−|x|) (exp of −0
    // and +0 are both 1), so 1/(1 + e) and e/(1 + e) become one division of a selected numerator.
    // expInto evaluates two exps side by side (about 1.6× faster than one exp per call).
    forwardInto(x, out) {
      if (x === out) {
        for (let i = 0; i < x.length; i++) out[i] = sigmoid(x[i]);
        return;
      }
      for (let i = 0; i < x.length; i++) out[i] = -Math.abs(x[i]);
      expInto(out, out);
      for (let i = 0; i < x.length; i++) out[i] = (x[i] >= 0 ? 1 : out[i]) / (1 + out[i]);
    },
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
