import { defineActivation, math } from '@gradlab/plugin-api';

const options = {} as const;

/**
 * λ and α of Klambauer et al. (2017), the pair that makes mean 0 and variance 1 a fixed point:
 * λ = 1.0507009873554804934193349852946, α = 1.6732632423543772848170429916717, written as the nearest doubles.
 */
const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
const LAMBDA_ALPHA = SELU_LAMBDA * SELU_ALPHA;

export default defineActivation({
  meta: {
    id: 'selu',
    title: 'SELU',
    summary:
      'The scaled exponential linear unit, whose constants keep activations near zero mean and unit variance layer after layer.',
    formula: {
      forward: 'f(x)=\\lambda\\begin{cases}x&x>0\\\\\\alpha\\,(e^{x}-1)&x\\le 0\\end{cases}',
      derivative: "f'(x)=\\lambda\\begin{cases}1&x>0\\\\\\alpha\\,e^{x}&x\\le 0\\end{cases}",
    },
    range: [-LAMBDA_ALPHA, Number.POSITIVE_INFINITY],
    properties: {
      monotonic: true,
      passesThroughOrigin: true,
      zeroCentered: true,
      smooth: false,
      saturates: 'negative',
    },
    kinks: [0],
    recommendedInitializer: 'lecun',
    references: [
      {
        title: 'Klambauer, Unterthiner, Mayr, Hochreiter (2017). Self-Normalizing Neural Networks',
        url: 'https://arxiv.org/abs/1706.02515',
        year: 2017,
      },
    ],
    tags: ['self-normalizing', 'exponential'],
  },
  options,
  create: () => ({
    forward: (x) => (x > 0 ? SELU_LAMBDA * x : LAMBDA_ALPHA * math.expm1(x)),
    derivative: (x) => (x > 0 ? SELU_LAMBDA : LAMBDA_ALPHA * math.exp(x)),
    gain: 3 / 4,
  }),
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    selu: typeof options;
  }
}
