/** The gradlab side: sessions for the benchmark shapes, built the way a user builds them. */
import {
  createRegistry,
  createRng,
  createSession,
  type Dataset,
  type ExperimentSpec,
  type Pluggable,
  type Session,
} from '@gradlab/core';
import standard from '@gradlab/preset-standard';

export interface Shape {
  /** Dense layers, each `width` → `width`. */
  readonly depth: number;
  readonly width: number;
  readonly batch: number;
}
export type ActivationId = 'relu' | 'sigmoid';

export const shapeName = (s: Shape) => `${s.depth}x${s.width} b${s.batch}`;
/** 6·B·in·out per dense layer: forward x·W, backward xᵀ·δ and δ·Wᵀ, two flops per multiply-add. */
export const flopsPerStep = (s: Shape) => 6 * s.batch * s.width * s.width * s.depth;

/** Small enough that thousands of steps on one batch stay finite for both activations. */
export const LEARNING_RATE = 1e-3;
const INITIALIZER: Record<ActivationId, string> = { relu: 'he', sigmoid: 'glorot' };

/** x ~ N(0, 1) and y ~ U(0, 1), `rows` rows of `width` features and `width` targets. */
export function benchData(width: number, rows: number, seed = 1): Dataset {
  const rng = createRng(seed);
  const x = new Float64Array(rows * width);
  const y = new Float64Array(rows * width);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  for (let i = 0; i < y.length; i++) y[i] = rng.next();
  return { rows, features: width, steps: 1, outputs: width, task: 'regression', x, y };
}

export function benchSpec(shape: Shape, activation: ActivationId, probes: readonly string[] = []): ExperimentSpec {
  return {
    seed: 1,
    model: {
      defaults: { activation, initializer: INITIALIZER[activation] },
      layers: Array.from({ length: shape.depth }, () => ({ type: 'dense' as const, units: shape.width })),
    },
    train: {
      loss: 'mse',
      optimizer: ['sgd', { lr: LEARNING_RATE }],
      batchSize: shape.batch,
      // The largest allowed: the benchmark decides when to stop.
      steps: 10_000_000,
      testFraction: 0,
      shuffle: false,
    },
    ...(probes.length ? { probes } : {}),
  };
}

/**
 * A session on one batch of `shape.batch` rows (every step is one epoch over the same rows,
 * like the tfjs side, which steps on one fixed batch). `extra` registers more plugins (probes).
 */
export function gradlabSession(
  shape: Shape,
  activation: ActivationId,
  options: { probes?: readonly string[]; plugins?: Pluggable; data?: Dataset } = {},
): Session {
  const registry = createRegistry().use(standard);
  if (options.plugins) registry.use(options.plugins);
  const data = options.data ?? benchData(shape.width, shape.batch);
  return createSession(benchSpec(shape, activation, options.probes), { registry, data });
}
