/**
 * Quiz keys of page 11 (recurrent networks): metrics of the lab's `rnn-time` job at build time, the
 * same job the page's widget runs in the worker. Named RNN settings for ordering questions live here.
 */
import { createRng, DATASETS } from '@gradlab/core';
import type { ParamValue, Question } from '@gradlab/quiz';
import { meanPredictorLoss } from '../lab/adding-task.ts';
import { runAtBuild } from '../lab/build.ts';
import type { Setting } from '../lab/protocol.ts';

type Args = Readonly<Record<string, ParamValue>>;

const RNN = {
  recurrent: 'orthogonal',
  rho: 1,
  inputStd: 0.1,
  timeSteps: 50,
  truncate: 100,
  units: 32,
  batch: 32,
  seed: 0,
};

/** RNN settings that ordering items name (ids). */
export const RNN_CONFIGS: Readonly<Record<string, Setting>> = {
  'linear-rho-0-9': { ...RNN, activation: 'linear', rho: 0.9 },
  'linear-rho-1-5': { ...RNN, activation: 'linear', rho: 1.5 },
  'tanh-rho-1-5': { ...RNN, activation: 'tanh', rho: 1.5 },
  'tanh-rho-1-5-input-1': { ...RNN, activation: 'tanh', rho: 1.5, inputStd: 1 },
  'tanh-rho-1-input-1': { ...RNN, activation: 'tanh', rho: 1, inputStd: 1 },
};

/** ‖∂L/∂h_first‖/‖∂L/∂h_T‖ of an rnn-time run (a build failure, never a silent key, if the engine refuses). */
export function rnnRatio(setting: Setting): number {
  const ratio = runAtBuild('rnn-time', setting).ratio;
  if (ratio === null) throw new Error(`the rnn-time run ${JSON.stringify(setting)} has a non-finite ratio`);
  return ratio;
}

export const RNN_KEYS = {
  /** MSE of predicting the mean on 100,000 adding-task sequences drawn by the engine's own generator. */
  'adding-baseline': (args: Args) => {
    const steps = typeof args.timeSteps === 'number' ? args.timeSteps : 10;
    const data = DATASETS.adding.generate({ samples: 100_000, steps } as never, createRng(0));
    return meanPredictorLoss(data.y);
  },
  /** The time ratio of the rnn-time run of `args` (a setting of the page-11 widget). */
  'rnn-time-ratio': (args: Args) => rnnRatio({ ...RNN, ...(args as Setting) }),
  /** Ordering items (ids of RNN_CONFIGS) from the smallest time ratio to the largest. */
  'order-by-rnn-ratio': (_args: Args, _request: unknown, question: Question) => {
    if (question.type !== 'ordering') throw new Error('"order-by-rnn-ratio" is for ordering questions');
    const value = (id: string) => {
      const c = RNN_CONFIGS[id];
      if (!c) throw new Error(`ordering item "${id}" is not an RNN setting in rnn-keys.ts`);
      return rnnRatio(c);
    };
    return question.items.map((i) => i.id).sort((a, b) => value(a) - value(b));
  },
};
