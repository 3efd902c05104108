import { defineActivation, math } from '@gradlab/plugin-api';

const options = {
  beta: { type: 'number', default: 1, min: 1e-3, step: 0.1, description: 'Sharpness: larger beta approaches ReLU.' },
  threshold: {
    type: 'number',
    default: 20,
    min: 0,
    description: 'Above beta·x > threshold the function is taken as linear (x), as in PyTorch.',
  },
} as const;

export default defineActivation({
  meta: {
    id: 'softplus',
    title: 'Softplus',
    summary: 'A smooth approximation of ReLU whose derivative is the logistic sigmoid.',
    formula: {
      forward: 'f(x)=\\tfrac{1}{\\beta}\\log\\left(1+e^{\\beta x}\\right)',
      derivative: "f'(x)=\\sigma(\\beta x)=\\frac{1}{1+e^{-\\beta x}}",
    },
    range: [0, Number.POSITIVE_INFINITY],
    properties: {
      monotonic: true,
      passesThroughOrigin: false,
      zeroCentered: false,
      smooth: true,
      saturates: 'negative',
    },
    recommendedInitializer: 'he',
    references: [
      {
        title:
          'Dugas, Bengio, Bélisle, Nadeau, Garcia (2001). Incorporating Second-Order Functional Knowledge for Better Option Pricing',
        url: 'https://www.cirano.qc.ca/en/summaries/2002s-46',
        year: 2001,
      },
    ],
    tags: ['smooth-rectifier'],
  },
  options,
  create: ({ beta, threshold }) => ({
    // log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}): exp never sees a positive argument, so no overflow.
    forward: (x) => {
      const z = beta * x;
      return z > threshold ? x : (Math.max(z, 0) + math.log1p(math.exp(-Math.abs(z)))) / beta;
    },
    // σ(z) from e^{−|z|} for the same reason.
    derivative: (x) => {
      const z = beta * x;
      if (z > threshold) return 1;
      const e = math.exp(-Math.abs(z));
      return z >= 0 ? 1 / (1 + e) : e / (1 + e);
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    softplus: typeof options;
  }
}
