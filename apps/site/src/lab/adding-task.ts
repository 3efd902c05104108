/**
 * Page 11's adding task as a training spec (the lab's trainSpec returns it for `task: 'adding'`) and its
 * baseline. Its own small module: the training chunk of the worker imports it, so it must not carry the
 * rest of the recurrent-network code (rnn-job.ts, loaded only by page 11's rnn-time widget).
 */
import type { ExperimentSpec } from '@gradlab/core';
import type { Setting } from './protocol.ts';

const n = (s: Setting, k: string, d: number) => (typeof s[k] === 'number' ? (s[k] as number) : d);
const str = (s: Setting, k: string, d: string) => (typeof s[k] === 'string' ? (s[k] as string) : d);

/**
 * The adding task (Hochreiter and Schmidhuber 1997): sequences of `timeSteps` pairs (value ~ U(0, 1),
 * marker), one marked value in each half; the target is the sum of the two marked values, so the net
 * must keep the first one for up to `timeSteps` steps. A tanh RNN of `units` units with an orthogonal
 * W_h and a dense readout, trained on 512 sequences (all of them training rows, so `gradlab run`'s
 * "train loss" is the widget's final loss) with `optimizer`/`lr`, clipped as `clip`/`clipThreshold` say.
 * The lab's `trainSpec` returns this spec for a setting with `task: 'adding'`.
 */
export function addingSpec(clipping: readonly unknown[], s: Setting): ExperimentSpec {
  const T = n(s, 'timeSteps', 50);
  const steps = n(s, 'trainSteps', 300);
  return {
    name: 'site-adding-task',
    description: `Adding task over ${T} steps: tanh RNN, ${steps} steps of ${str(s, 'optimizer', 'adam')} (lr ${n(s, 'lr', 0.01)})${clipping.length ? `, ${str(s, 'clip', '')} clipping at ${n(s, 'clipThreshold', 1)}` : ''}`,
    seed: n(s, 'seed', 0),
    data: ['adding', { samples: 512, steps: T }],
    model: {
      layers: [
        {
          type: 'rnn',
          units: n(s, 'units', 16),
          activation: 'tanh',
          initializer: 'glorot',
          recurrentInitializer: 'orthogonal',
        },
        { type: 'dense', units: 1, initializer: 'glorot' },
      ],
    },
    train: {
      loss: 'mse',
      optimizer: [str(s, 'optimizer', 'adam'), { lr: n(s, 'lr', 0.01) }],
      batchSize: 32,
      steps,
      testFraction: 0,
      ...(clipping.length && { clipping }),
    },
  } as ExperimentSpec;
}

/** Var(y) of the training targets: the MSE of always predicting their mean, the loss to beat. */
export function meanPredictorLoss(y: Float64Array): number {
  let m = 0;
  for (const v of y) m += v;
  m /= y.length;
  let s = 0;
  for (const v of y) s += (v - m) ** 2;
  return s / y.length;
}
