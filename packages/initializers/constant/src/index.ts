import { defineInitializer } from '@gradlab/plugin-api';

const options = {
  value: { type: 'number', default: 0, step: 0.1, description: 'The value of every entry.' },
} as const;

/** Every entry equals `value`: right for biases, and the way to show that equal weights never break symmetry. */
export default defineInitializer({
  meta: {
    id: 'constant',
    title: 'Constant',
    summary:
      'Sets every entry to the same value, which suits biases but leaves the units of a weight matrix identical.',
    aliases: ['const'],
    formula: 'W_{ij} = c',
    family: 'constant',
    tags: ['deterministic', 'bias', 'symmetry'],
  },
  options,
  create: ({ value }) => ({
    mean: () => value,
    variance: () => 0,
    init: ({ shape: [rows, cols] }) => new Float64Array(rows * cols).fill(value),
  }),
});

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    constant: typeof options;
  }
}
