import { defineInitializer, varianceScaling } from '@gradlab/plugin-api';

const options = {
  scale: {
    type: 'number',
    default: 1,
    min: 0,
    step: 0.1,
    description: 'Variance scale s in Var(W) = s / fan_in.',
  },
  distribution: {
    type: 'enum',
    values: ['normal', 'uniform', 'truncated-normal'],
    default: 'normal',
    description: 'Shape of the distribution; every choice has the same variance.',
  },
} as const;

/**
 * __TITLE__. The scaffold starts from the variance-scaling family, Var(W) = s / fan_in, which
 * Glorot, He and LeCun are configurations of. Replace meta and the scale with the real rule.
 */
export default defineInitializer({
  meta: {
    id: '__ID__',
    title: '__TITLE__',
    summary: 'Draws weights with variance s / fan_in from a normal, uniform or truncated normal distribution.',
    formula: '\\operatorname{Var}(W) = \\frac{s}{n_\\text{in}}',
    family: 'variance-scaling',
    references: [
      {
        title: 'LeCun, Bottou, Orr, Müller (1998). Efficient BackProp',
        url: 'https://doi.org/10.1007/3-540-49430-8_2',
        year: 1998,
      },
    ],
  },
  options,
  create: ({ scale, distribution }) => varianceScaling({ scale, mode: 'fan-in', distribution }),
});

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    __KEY__: typeof options;
  }
}
