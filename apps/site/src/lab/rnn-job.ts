/**
 * Recurrent networks through time (page 11): the error signal ‖∂L/∂h_t‖ at every time step of one
 * backward pass through an unrolled RNN, with the recurrent matrix drawn and rescaled to a chosen
 * spectral radius ρ (the initializer's own `scaleTo: 'spectral-radius'`), and the adding task trained
 * as a streamed run. Pure functions of (registry, setting), like jobs.ts, so the worker, the build and
 * the Node side of the browser tests give the same bits; its own module so it can load lazily.
 */
import { createSession, type ExperimentSpec, type Registry } from '@gradlab/core';
import type { Probe, StepTrace } from '@gradlab/plugin-api';
import type { Num, Setting } from './protocol.ts';

// A finite number or null (JSON has no NaN/±Infinity); null and undefined give null too.
const num = (v: number | null | undefined): Num => (Number.isFinite(v) ? (v as number) : null);
const n = (s: Setting, k: string, d: number) => (typeof s[k] === 'number' ? (s[k] as number) : d);
const str = (s: Setting, k: string, d: string) => (typeof s[k] === 'string' ? (s[k] as string) : d);

export interface RnnTimeResult {
  readonly kind: 'rnn-time';
  /** ‖∂L/∂h_t‖_F over the batch for t = 1 … T (the output reads h_T); 0 for steps truncation cuts off. */
  readonly timeNorms: Num[];
  /** The linear-RNN rate ρ^(T−t) · ‖∂L/∂h_T‖ (exact for a linear RNN with W_h = ρ·orthogonal). */
  readonly linearRate: Num[];
  /** ‖∂L/∂h_t‖ at the first back-propagated step over that at the last (what the probes judge). */
  readonly ratio: Num;
  /** The first back-propagated step (1-based): 1, or T − truncate + 1. */
  readonly firstStep: number;
  readonly findings: string[];
  readonly spec: unknown;
}

/**
 * One RNN layer (tanh or linear) of `units` units over `timeSteps` steps of Gaussian inputs, read out
 * by a dense unit at the last step; W_h drawn by `recurrent` (normal or orthogonal) and rescaled so its
 * spectral radius is `rho`; W_x ~ N(0, inputStd²/features). One training step with lr 0: the gradient
 * at initialization, measured by the grad-norms probe as `gradlab run` measures it.
 */
export function rnnTimeSpec(s: Setting): ExperimentSpec {
  const features = 4;
  const T = n(s, 'timeSteps', 50);
  const truncate = n(s, 'truncate', T);
  return {
    name: 'rnn-through-time',
    description: `RNN (${str(s, 'activation', 'tanh')}) over ${T} steps, ρ(W_h) = ${n(s, 'rho', 1)}${truncate < T ? `, truncated to ${truncate} steps` : ''}; gradient at initialization`,
    seed: n(s, 'seed', 0),
    data: ['gaussian', { samples: n(s, 'batch', 32), features, steps: T }],
    model: {
      layers: [
        {
          type: 'rnn',
          units: n(s, 'units', 32),
          activation: str(s, 'activation', 'tanh'),
          initializer: ['normal', { std: n(s, 'inputStd', 1) / Math.sqrt(features) }],
          recurrentInitializer: [str(s, 'recurrent', 'normal'), { scaleTo: 'spectral-radius', target: n(s, 'rho', 1) }],
          ...(truncate < T && { truncate }),
        },
        { type: 'dense', units: 1, initializer: 'glorot' },
      ],
    },
    train: {
      loss: 'mse',
      optimizer: ['sgd', { lr: 0 }],
      batchSize: n(s, 'batch', 32),
      steps: 1,
      testFraction: 0,
    },
    probes: ['grad-norms'],
  } as ExperimentSpec;
}

export function rnnTime(registry: Registry, s: Setting): RnnTimeResult {
  const spec = rnnTimeSpec(s);
  let norms: number[] = [];
  const capture: Probe = {
    id: 'site-rnn-time',
    options: {},
    onStep(trace: StepTrace) {
      norms = Array.from(trace.layers[0].timeDeltaNorms ?? []);
    },
    report: () => null,
  };
  const session = createSession(spec, { registry, probes: [capture] });
  session.step();
  const findings = session.finish().map((f) => f.code);
  const T = norms.length;
  // Truncated BPTT stops at step T − truncate + 1 (earlier steps get exactly 0, not a small number).
  const first = Math.max(0, T - n(s, 'truncate', T));
  const last = norms[T - 1];
  const rho = n(s, 'rho', 1);
  return {
    kind: 'rnn-time',
    timeNorms: norms.map(num),
    linearRate: norms.map((_, t) => num(rho ** (T - 1 - t) * last)),
    ratio: num(norms[first] / last),
    firstStep: first + 1,
    findings,
    spec,
  };
}
