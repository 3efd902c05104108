import { defineInitializer, varianceScaling } from '@gradlab/plugin-api';

const options = {
  distribution: {
    type: 'enum',
    values: ['normal', 'uniform', 'truncated-normal'],
    default: 'normal',
    description: 'Shape of the distribution; every choice has the same variance.',
  },
  mode: {
    type: 'enum',
    values: ['fan-in', 'fan-out'],
    default: 'fan-in',
    description: "'fan-in' keeps the forward signal's variance, 'fan-out' the backward error's.",
  },
  negativeSlope: {
    type: 'number',
    default: 0,
    min: 0,
    step: 0.01,
    description: 'Negative slope a of a leaky ReLU; the gain becomes 2 / (1 + a²).',
  },
  gain: {
    type: 'number',
    default: 1,
    min: 0,
    step: 0.1,
    description: 'Multiplies every drawn value (Var = gain² · 2 / ((1 + a²) · fan)); a pure scale of the same draw.',
  },
} as const;

/**
 * He/Kaiming initialization: Var(W) = 2 / ((1 + a²) · fan). A ReLU zeroes half of its inputs,
 * halving the second moment each layer; the factor 2 gives it back.
 */
export default defineInitializer({
  meta: {
    id: 'he',
    title: 'He (Kaiming)',
    summary: 'Doubles the fan-in variance to make up for the half of its inputs that a ReLU zeroes.',
    aliases: ['kaiming'],
    formula: '\\operatorname{Var}(W) = \\text{gain}^2\\,\\frac{2}{(1 + a^2)\\,n_\\text{in}}',
    family: 'variance-scaling',
    pairsWith: ['relu', 'leaky-relu'],
    tags: ['variance-scaling', 'relu'],
    references: [
      {
        title:
          'He, Zhang, Ren, Sun (2015). Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification',
        url: 'https://arxiv.org/abs/1502.01852',
        year: 2015,
      },
    ],
  },
  options,
  create: ({ distribution, mode, negativeSlope, gain }) =>
    varianceScaling({ scale: 2 / (1 + negativeSlope * negativeSlope), mode, distribution, gain }),
});

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    he: typeof options;
  }
}
