import { defineActivation } from '@gradlab/plugin-api';

const options = {
  alpha: { type: 'number', default: 0.01, min: 0, max: 1, step: 0.01, description: 'Slope for negative inputs.' },
} as const;

export default defineActivation({
  meta: {
    id: 'leaky-relu',
    title: 'Leaky ReLU',
    summary: 'ReLU with a small slope for negative inputs, so units cannot fully die.',
    formula: {
      forward: 'f(x)=\\begin{cases}x&x>0\\\\\\alpha x&x\\le 0\\end{cases}',
      derivative: "f'(x)=\\begin{cases}1&x>0\\\\\\alpha&x\\le 0\\end{cases}",
    },
    range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: false, smooth: false, saturates: 'none' },
    kinks: [0],
    recommendedInitializer: 'he',
    references: [
      {
        title: 'Maas, Hannun, Ng (2013). Rectifier Nonlinearities Improve Neural Network Acoustic Models',
        url: 'https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf',
        year: 2013,
      },
    ],
    tags: ['rectifier'],
  },
  options,
  create: ({ alpha }) => {
    // alpha·NaN is NaN, so the forward pass propagates NaN without a test; f' needs one.
    const forward = (x: number): number => (x > 0 ? x : alpha * x);
    const derivative = (x: number): number => (x > 0 ? 1 : x <= 0 ? alpha : Number.NaN);
    return {
      forward,
      derivative,
      forwardInto(x, out) {
        for (let i = 0; i < x.length; i++) out[i] = forward(x[i]);
      },
      derivativeInto(x, _y, out) {
        for (let i = 0; i < x.length; i++) out[i] = derivative(x[i]);
      },
      gain: Math.sqrt(2 / (1 + alpha * alpha)),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    'leaky-relu': typeof options;
  }
}
