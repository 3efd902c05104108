/**
 * Build time: every answer key of every quiz, computed by the engine and the plugins from the
 * question's own configuration (never typed into a quiz file). A question names its key function in
 * `key.compute`; `assertQuiz(…, { computes: KEY_FUNCTIONS, literalKeys: false })` refuses unknown
 * names and hand-typed keys. Runs go through `runAtBuild` (build.ts), the same jobs the page's worker runs,
 * so a predict-then-run key is the number the learner's browser will compute.
 */
import type { Registry } from '@gradlab/core';
import type { ParamSlot } from '@gradlab/plugin-api';
import type { KeyRequest, ParamValue, Question } from '@gradlab/quiz';
import { adamFirstStep } from '../lab/adam-step.ts';
import { runAtBuild } from '../lab/build.ts';
import type { Setting } from '../lab/protocol.ts';
import { CONFIGS } from './configs.ts';
import { DEBUG_KEYS } from './debug-keys.ts';
import { metricsOf } from './metrics.ts';
import { NORMALIZATION_KEYS } from './normalization-keys.ts';
import { REGULARIZER_KEYS } from './regularizer-keys.ts';
import { RNN_KEYS } from './rnn-keys.ts';

type Args = Readonly<Record<string, ParamValue>>;
type KeyFn = (args: Args, request: KeyRequest, question: Question, registry: Registry) => number | string[];

const num = (args: Args, name: string): number => {
  const v = args[name];
  if (typeof v !== 'number') throw new Error(`key argument "${name}" must be a number (received ${String(v)})`);
  return v;
};
const str = (args: Args, name: string): string => {
  const v = args[name];
  if (typeof v !== 'string') throw new Error(`key argument "${name}" must be a string (received ${String(v)})`);
  return v;
};

/** One metric of a run, as the goal and predict questions read it (metrics.ts). */
export function metricOfRun(job: 'probe' | 'train', setting: Setting, metric: string): number {
  const value = metricsOf(runAtBuild(job, setting), setting)[metric];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`metric "${metric}" of ${JSON.stringify(setting)} is ${String(value)}, not a finite number`);
  return value;
}

function activation(registry: Registry, id: string) {
  return registry.resolve('activation', id, 'quiz key');
}

export const KEYS: Readonly<Record<string, KeyFn>> = {
  ...REGULARIZER_KEYS,
  ...NORMALIZATION_KEYS,
  /** max f′ over a grid of step 1e-3 on [−10, 10] (0 included exactly), from the plugin's derivative. */
  'derivative-max': (args, _r, _q, registry) => {
    const f = activation(registry, str(args, 'activation'));
    let best = Number.NEGATIVE_INFINITY;
    for (let i = -10_000; i <= 10_000; i++) {
      const x = i / 1000;
      best = Math.max(best, f.derivative(x, f.forward(x)));
    }
    return best;
  },
  /** ∏ f′(z) over `depth` layers at the same z: the chain of single units with unit weights. */
  'derivative-power': (args, _r, _q, registry) => {
    const f = activation(registry, str(args, 'activation'));
    const z = num(args, 'z');
    const d = f.derivative(z, f.forward(z));
    let p = 1;
    for (let i = 0; i < num(args, 'depth'); i++) p *= d;
    return p;
  },
  /** The factor global-norm clipping scales the gradient (a, b) by, from the clipping plugin. */
  'clip-global-norm-scale': (args, _r, _q, registry) => {
    const rule = registry.resolve('clipping', ['global-norm', { maxNorm: num(args, 'maxNorm') }], 'quiz key');
    const g = Float64Array.of(num(args, 'a'), num(args, 'b'));
    const out = new Float64Array(2);
    const params: ParamSlot[] = [
      { name: 'dense_0.W', layer: 0, role: 'weight', shape: [1, 2], value: new Float64Array(2) },
    ];
    rule.update([g], [out], params, rule.init?.(params));
    return out[0] / g[0];
  },
  /** cos ∠(g, clip_by_value(g)) for g = (a, b), from the clipping plugin: 1 would mean "same direction". */
  'clip-value-cosine': (args, _r, _q, registry) => {
    const c = num(args, 'clip');
    const rule = registry.resolve('clipping', ['value', { clip: c }], 'quiz key');
    const g = Float64Array.of(num(args, 'a'), num(args, 'b'));
    const out = new Float64Array(2);
    const params: ParamSlot[] = [
      { name: 'dense_0.W', layer: 0, role: 'weight', shape: [1, 2], value: new Float64Array(2) },
    ];
    rule.update([g], [out], params, rule.init?.(params));
    const dot = g[0] * out[0] + g[1] * out[1];
    return dot / (Math.hypot(g[0], g[1]) * Math.hypot(out[0], out[1]));
  },
  /** |Δw| of the engine's Adam on its first step for a gradient `grad` (PyTorch defaults otherwise). */
  'adam-first-step': (args) => adamFirstStep(num(args, 'lr'), num(args, 'grad')),
  /** √(Var_a / Var_b) of two initializers' declared variances for one layer shape. */
  'init-std-ratio': (args, _r, _q, registry) => {
    const shape = {
      shape: [num(args, 'fanIn'), num(args, 'fanOut')] as const,
      fanIn: num(args, 'fanIn'),
      fanOut: num(args, 'fanOut'),
      role: 'weight' as const,
    };
    const va = registry.resolve('initializer', str(args, 'a'), 'quiz key').variance?.(shape);
    const vb = registry.resolve('initializer', str(args, 'b'), 'quiz key').variance?.(shape);
    if (va === undefined || vb === undefined) throw new Error('both initializers must declare variance()');
    return Math.sqrt(va / vb);
  },
  /** Var(W) an initializer declares for a layer shape. */
  'init-variance': (args, _r, _q, registry) => {
    const shape = {
      shape: [num(args, 'fanIn'), num(args, 'fanOut')] as const,
      fanIn: num(args, 'fanIn'),
      fanOut: num(args, 'fanOut'),
      role: 'weight' as const,
    };
    const v = registry.resolve('initializer', str(args, 'initializer'), 'quiz key').variance?.(shape);
    if (v === undefined) throw new Error(`${str(args, 'initializer')} declares no variance()`);
    return v;
  },
  /** A predict question's metric on its own run (the worker computes the same job live). */
  run: (_args, request, question) => {
    if (question.type !== 'predict' || !request.run) throw new Error('"run" keys are for predict questions');
    const { job = 'probe', ...setting } = request.run as Setting & { job?: 'probe' | 'train' };
    return metricOfRun(job, setting, question.metric);
  },
  /** A metric of the probe run of the setting in `args` (everything but `metric`). */
  'probe-metric': (args) => {
    const { metric, ...setting } = args as Record<string, ParamValue>;
    return metricOfRun('probe', setting as Setting, String(metric));
  },
  /** The ordering of configurations (item ids from configs.ts) by a metric of their probe runs. */
  'order-by-metric': (args, _r, question) => {
    if (question.type !== 'ordering') throw new Error('"order-by-metric" is for ordering questions');
    const metric = str(args, 'metric');
    const base: Setting = typeof args.depth === 'number' ? { depth: args.depth } : {};
    const value = (id: string) => {
      const config = CONFIGS[id];
      if (!config) throw new Error(`ordering item "${id}" is not a configuration in configs.ts`);
      return metricOfRun('probe', { ...config, ...base }, metric);
    };
    const sign = args.descending === true ? -1 : 1;
    return question.items.map((i) => i.id).sort((x, y) => sign * (value(x) - value(y)));
  },
  ...RNN_KEYS,
  ...DEBUG_KEYS,
};

export const KEY_FUNCTIONS: readonly string[] = Object.keys(KEYS);

/** The key of one request (a variant of one question). */
export function computeKey(request: KeyRequest, question: Question, registry: Registry): number | string[] {
  const fn = KEYS[request.compute];
  if (!fn) throw new Error(`unknown key function "${request.compute}"`);
  return fn(request.args, request, question, registry);
}
