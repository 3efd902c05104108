/**
 * Quiz keys of page 12 (debugging toolkit): the relative error of a gradient check, the sanity loss at
 * initialization and an ordering of gradient checks, computed with the page's own jobs at build time.
 */
import type { ParamValue, Question } from '@gradlab/quiz';
import { runAtBuild } from '../lab/build.ts';
import type { Setting } from '../lab/protocol.ts';

type Args = Readonly<Record<string, ParamValue>>;

const CHECK = {
  initializer: 'glorot',
  depth: 10,
  width: 32,
  batch: 32,
  seed: 0,
  gain: 1,
  h: 1e-5,
  precision: 'float64',
};

/** Gradient-check settings that ordering items name (ids). */
export const GRADCHECK_CONFIGS: Readonly<Record<string, Setting>> = {
  'tanh-h-1e-5': { ...CHECK, activation: 'tanh' },
  'sigmoid-h-1e-5': { ...CHECK, activation: 'sigmoid' },
  'sigmoid-h-1e-3': { ...CHECK, activation: 'sigmoid', h: 1e-3 },
  'sigmoid-20-h-1e-5': { ...CHECK, activation: 'sigmoid', depth: 20 },
};

const number = (args: Args, name: string): number => {
  const v = args[name];
  if (typeof v !== 'number') throw new Error(`key argument "${name}" must be a number (received ${String(v)})`);
  return v;
};

export const DEBUG_KEYS = {
  /** CS231n's relative error |a − n| / max(|a|, |n|) of an analytic value a and a numeric one n. */
  'relative-error': (args: Args) => {
    const a = number(args, 'analytic');
    const n = number(args, 'numeric');
    return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n));
  },
  /** The engine's softmax cross-entropy at initialization of a `classes`-way classifier with tiny output weights. */
  'sanity-chance': (args: Args) => {
    const r = runAtBuild('sanity', {
      activation: 'relu',
      initializer: 'he',
      depth: 4,
      width: 32,
      batch: 64,
      seed: 0,
      gain: 1,
      classes: number(args, 'classes'),
    });
    const v = r.loss[0];
    if (v === null) throw new Error('the sanity run has a non-finite loss');
    return v;
  },
  /** Ordering items (GRADCHECK_CONFIGS ids) from the smallest first-layer relative error to the largest. */
  'order-by-gradcheck': (_args: Args, _request: unknown, question: Question) => {
    if (question.type !== 'ordering') throw new Error('"order-by-gradcheck" is for ordering questions');
    const value = (id: string) => {
      const c = GRADCHECK_CONFIGS[id];
      if (!c) throw new Error(`ordering item "${id}" is not a gradient-check setting in debug-keys.ts`);
      const rel = runAtBuild('gradcheck', c).relError[0];
      if (rel === null) throw new Error(`the gradient check ${id} has a non-finite relative error`);
      return rel;
    };
    return question.items.map((i) => i.id).sort((a, b) => value(a) - value(b));
  },
};
