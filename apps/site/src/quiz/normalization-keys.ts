/**
 * Quiz keys of the normalization page: batch norm's gradient scale, measured on two engine runs of the
 * page's widget (the same jobs the worker runs; a unit test checks the ratio against 1/a).
 */
import type { ParamValue } from '@gradlab/quiz';
import { runAtBuild } from '../lab/build.ts';
import type { Setting } from '../lab/protocol.ts';

type Args = Readonly<Record<string, ParamValue>>;

/** ‖∂L/∂W₁‖ at step 0 of a one-step training run of `setting`. */
function firstGrad(setting: Setting): number {
  const g = runAtBuild('train', { ...setting, trainSteps: 1 }).gradWLayersFirst[0];
  if (g === null || g === undefined) throw new Error(`no first-layer gradient for ${JSON.stringify(setting)}`);
  return g;
}

export const NORMALIZATION_KEYS = {
  /** ‖∂L/∂W₁‖ with every hidden W scaled by `a` (the gain), over the same at gain 1; batch norm on. */
  'bn-grad-scale': (args: Args) => {
    const { a, ...rest } = args as Record<string, ParamValue>;
    if (typeof a !== 'number') throw new Error(`key argument "a" must be a number (received ${String(a)})`);
    const base = { ...(rest as Setting), norm: 'batchnorm' };
    return firstGrad({ ...base, gain: a }) / firstGrad({ ...base, gain: 1 });
  },
} as const;
