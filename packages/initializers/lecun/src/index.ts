import { defineInitializer, varianceScaling } from '@gradlab/plugin-api';

const options = {
  distribution: {
    type: 'enum',
    values: ['normal', 'uniform', 'truncated-normal'],
    default: 'normal',
    description: 'Shape of the distribution; every choice has the same variance.',
  },
  gain: {
    type: 'number',
    default: 1,
    min: 0,
    step: 0.1,
    description: 'Multiplies every drawn value (Var = gain² / fan_in); a pure scale of the same draw.',
  },
} as const;

/** LeCun initialization: Var(W) = 1 / fan_in, the fixed point that SELU's self-normalization assumes. */
export default defineInitializer({
  meta: {
    id: 'lecun',
    title: 'LeCun',
    summary: 'Scales weights by one over the fan-in, the variance that SELU networks are built to keep.',
    formula: '\\operatorname{Var}(W) = \\frac{\\text{gain}^2}{n_\\text{in}}',
    family: 'variance-scaling',
    pairsWith: ['selu', 'tanh'],
    tags: ['variance-scaling'],
    references: [
      {
        title: 'LeCun, Bottou, Orr, Müller (1998). Efficient BackProp',
        url: 'https://link.springer.com/chapter/10.1007/3-540-49430-8_2',
        year: 1998,
      },
    ],
  },
  options,
  create: ({ distribution, gain }) => varianceScaling({ scale: 1, mode: 'fan-in', distribution, gain }),
});

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    lecun: typeof options;
  }
}
