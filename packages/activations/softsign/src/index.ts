import { defineActivation } from '@gradlab/plugin-api';

const options = {} as const;

export default defineActivation({
  meta: {
    id: 'softsign',
    title: 'Softsign',
    summary:
      'A zero-centred squashing function into (−1, 1) whose tails approach their limits polynomially rather than exponentially.',
    formula: {
      forward: 'f(x)=\\frac{x}{1+|x|}',
      derivative: "f'(x)=\\frac{1}{(1+|x|)^2}",
    },
    range: [-1, 1],
    // C¹ everywhere (f'(0) = 1 from both sides); only f'' jumps at 0.
    properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: true, smooth: true, saturates: 'both' },
    recommendedInitializer: 'glorot',
    references: [
      {
        title: 'Glorot, Bengio (2010). Understanding the difficulty of training deep feedforward neural networks',
        url: 'https://proceedings.mlr.press/v9/glorot10a.html',
        year: 2010,
      },
    ],
    tags: ['saturating'],
  },
  options,
  create: () => ({
    forward: (x) => x / (1 + Math.abs(x)),
    derivative: (x) => {
      const d = 1 + Math.abs(x);
      return 1 / (d * d);
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    softsign: typeof options;
  }
}
