import { defineActivation } from '@gradlab/plugin-api';

const options = {} as const;

export default defineActivation({
  meta: {
    id: 'hard-sigmoid',
    title: 'Hard Sigmoid',
    summary: 'A piecewise-linear sigmoid, relu6(x + 3) / 6, that is exactly flat outside [−3, 3].',
    formula: {
      forward: 'f(x)=\\frac{\\min(\\max(x+3,\\,0),\\,6)}{6}',
      derivative: "f'(x)=\\begin{cases}1/6&-3<x<3\\\\0&\\text{otherwise}\\end{cases}",
    },
    range: [0, 1],
    properties: { monotonic: true, passesThroughOrigin: false, zeroCentered: false, smooth: false, saturates: 'both' },
    kinks: [-3, 3],
    recommendedInitializer: 'glorot',
    references: [
      {
        title:
          'Courbariaux, Bengio, David (2015). BinaryConnect: Training Deep Neural Networks with binary weights during propagations',
        url: 'https://arxiv.org/abs/1511.00363',
        year: 2015,
      },
    ],
    tags: ['saturating', 'piecewise-linear'],
  },
  options,
  create: () => ({
    // NaN fails every comparison and reaches x / 6 + 0.5, which is NaN.
    forward: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5),
    // 0 at the kinks themselves, as in PyTorch.
    derivative: (x) => (x > -3 && x < 3 ? 1 / 6 : Number.isNaN(x) ? x : 0),
  }),
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    'hard-sigmoid': typeof options;
  }
}
