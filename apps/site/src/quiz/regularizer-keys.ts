/**
 * Quiz keys of the L1/L2 page, computed with the engine's SGD and the regularizer plugins' own
 * gradient on one weight with no data gradient (a unit test checks them against closed forms).
 */
import { type Registry, sgd } from '@gradlab/core';
import type { ParamSlot } from '@gradlab/plugin-api';
import type { ParamValue } from '@gradlab/quiz';

type Args = Readonly<Record<string, ParamValue>>;
const num = (args: Args, name: string): number => {
  const v = args[name];
  if (typeof v !== 'number') throw new Error(`key argument "${name}" must be a number (received ${String(v)})`);
  return v;
};

/** w_t / w_0 after `steps` SGD steps at `lr` where the only gradient is the penalty's (`reg`: l1 | l2, strength `lambda`), from w_0 = `w0`. */
function penaltyOnly(args: Args, registry: Registry, reg: 'l1' | 'l2'): number {
  const w0 = typeof args.w0 === 'number' ? args.w0 : 1;
  const w = Float64Array.of(w0);
  const slot: ParamSlot = { name: 'dense_0.W', layer: 0, role: 'weight', shape: [1, 1], value: w };
  const penalty = registry.resolve('regularizer', [reg, { strength: num(args, 'lambda') }], 'quiz key');
  const opt = sgd.create({ lr: num(args, 'lr'), weightDecay: 0 }, [slot]);
  for (let t = 0; t < num(args, 'steps'); t++) {
    const g = new Float64Array(1);
    const before = w.slice();
    penalty.addGradient(w, g);
    opt.step([slot], [g]);
    penalty.afterStep?.(w, before);
  }
  return w[0] / w0;
}

export const REGULARIZER_KEYS = {
  /** L2 alone under SGD: the factor the weight is multiplied by after `steps` steps. */
  'weight-decay-factor': (args: Args, _r: unknown, _q: unknown, registry: Registry) =>
    penaltyOnly(args, registry, 'l2'),
  /** L1 alone under SGD, from w0: the weight left after `steps` steps, as a fraction of w0. */
  'l1-shrink-factor': (args: Args, _r: unknown, _q: unknown, registry: Registry) => penaltyOnly(args, registry, 'l1'),
} as const;
