import { defineInitializer, varianceScaling } from '@gradlab/plugin-api';

const options = {
  distribution: {
    type: 'enum',
    values: ['uniform', 'normal', 'truncated-normal'],
    default: 'uniform',
    description: 'Shape of the distribution; every choice has the same variance.',
  },
  gain: {
    type: 'number',
    default: 1,
    min: 0,
    step: 0.1,
    description: 'Multiplies every drawn value (Var = gain² · 2 / (fan_in + fan_out)); a pure scale of the same draw.',
  },
} as const;

/**
 * Glorot/Xavier initialization: Var(W) = gain² · 2 / (fan_in + fan_out), which keeps the
 * variance of activations and of back-propagated errors roughly constant across linear or tanh layers.
 */
export default defineInitializer({
  meta: {
    id: 'glorot',
    title: 'Glorot (Xavier)',
    summary:
      'Scales weights by the average of fan-in and fan-out so signals keep their variance in tanh and sigmoid nets.',
    aliases: ['xavier'],
    formula: '\\operatorname{Var}(W) = \\text{gain}^2\\,\\frac{2}{n_\\text{in} + n_\\text{out}}',
    family: 'variance-scaling',
    pairsWith: ['tanh', 'sigmoid', 'softsign'],
    tags: ['variance-scaling'],
    references: [
      {
        title: 'Glorot, Bengio (2010). Understanding the difficulty of training deep feedforward neural networks',
        url: 'https://proceedings.mlr.press/v9/glorot10a.html',
        year: 2010,
      },
    ],
  },
  options,
  create: ({ distribution, gain }) => varianceScaling({ scale: 1, mode: 'fan-avg', distribution, gain }),
});

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    glorot: typeof options;
  }
}
