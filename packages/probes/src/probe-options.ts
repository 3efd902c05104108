/** Options every probe declares the same way. */

/** The `window` option every probe has: how many steps of history its report keeps. */
export const windowOption = {
  type: 'integer',
  default: 100,
  min: 1,
  max: 100_000,
  description: 'Steps of history kept.',
} as const;

/** The `patience` option: consecutive steps a condition must hold before the finding. */
export const patienceOption = (steps: number) =>
  ({
    type: 'integer',
    default: steps,
    min: 1,
    description: 'Consecutive steps the condition must hold before the finding is emitted.',
  }) as const;
