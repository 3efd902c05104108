import { defineInitializer, type InitShape } from '@gradlab/plugin-api';

const options = {
  gain: { type: 'number', default: 1, min: 0, step: 0.1, description: 'Value on the diagonal.' },
} as const;

/** Fraction of entries on the main diagonal: min(rows, cols) / (rows · cols). */
const diagonalFraction = ({ shape: [rows, cols] }: InitShape) => Math.min(rows, cols) / (rows * cols);

/**
 * Identity initialization (IRNN): gain · I for square matrices; for other shapes, `gain` on
 * the main diagonal and zeros elsewhere (like `torch.nn.init.eye_`). Deterministic: the seed is unused.
 */
export default defineInitializer({
  meta: {
    id: 'identity',
    title: 'Identity',
    summary: 'Starts a recurrent weight matrix at the identity so the hidden state is carried forward unchanged.',
    formula: 'W = \\text{gain}\\cdot I',
    family: 'other',
    pairsWith: ['relu'],
    tags: ['recurrent', 'deterministic'],
    references: [
      {
        title: 'Le, Jaitly, Hinton (2015). A Simple Way to Initialize Recurrent Networks of Rectified Linear Units',
        url: 'https://arxiv.org/abs/1504.00941',
        year: 2015,
      },
    ],
  },
  options,
  create: ({ gain }) => ({
    // The entries are exactly (gain with fraction p, 0 otherwise), so mean and variance are exact.
    mean: (shape) => gain * diagonalFraction(shape),
    variance(shape) {
      const p = diagonalFraction(shape);
      return gain * gain * p * (1 - p);
    },
    init({ shape: [rows, cols] }) {
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = gain;
      return out;
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface InitializerRegistry {
    identity: typeof options;
  }
}
