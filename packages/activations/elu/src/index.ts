import { defineActivation, math } from '@gradlab/plugin-api';

const options = {
  alpha: {
    type: 'number',
    default: 1,
    min: 0,
    step: 0.1,
    description: 'Size of the negative saturation: f(x) → −alpha as x → −∞.',
  },
} as const;

export default defineActivation({
  meta: {
    id: 'elu',
    title: 'ELU',
    summary:
      'The exponential linear unit, identity for positive inputs and a smooth exponential approach to −α for negative ones.',
    formula: {
      forward: 'f(x)=\\begin{cases}x&x>0\\\\\\alpha\\,(e^{x}-1)&x\\le 0\\end{cases}',
      derivative: "f'(x)=\\begin{cases}1&x>0\\\\\\alpha\\,e^{x}&x\\le 0\\end{cases}",
    },
    // For the default α = 1; in general the infimum is −α.
    range: [-1, Number.POSITIVE_INFINITY],
    properties: {
      monotonic: true,
      passesThroughOrigin: true,
      zeroCentered: false,
      smooth: false,
      saturates: 'negative',
    },
    // f' jumps from α to 1 at 0 for every α except 1.
    kinks: [0],
    recommendedInitializer: 'he',
    references: [
      {
        title:
          'Clevert, Unterthiner, Hochreiter (2015). Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)',
        url: 'https://arxiv.org/abs/1511.07289',
        year: 2015,
      },
    ],
    tags: ['rectifier', 'exponential'],
  },
  options,
  create: ({ alpha }) => ({
    // expm1 keeps relative accuracy for small |x|, where e^x − 1 would cancel.
    forward: (x) => (x > 0 ? x : alpha * math.expm1(x)),
    derivative: (x) => (x > 0 ? 1 : alpha * math.exp(x)),
  }),
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    elu: typeof options;
  }
}
