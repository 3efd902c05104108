import type {
  ActivationRegistry,
  ClippingRegistry,
  InitializerRegistry,
  LoosePluginRef,
  PluginRef,
  ProbeRegistry,
  RegularizerRegistry,
} from '@gradlab/plugin-api';
import type { LossId } from '../losses.ts';

/** Documented limits; specs past them are refused with the limit in the message. */
export const LIMITS = {
  units: 4096,
  layers: 1000,
  batchSize: 65_536,
  epochs: 100_000,
  steps: 10_000_000,
  truncate: 1000,
  parameters: 50_000_000,
  /** Bytes training may allocate, estimated before allocating (spec/memory.ts): 4 GiB. */
  memory: 4 * 2 ** 30,
} as const;

/**
 * A JSON experiment: data, model, training and probes, each plugin named by id or
 * `[id, options]`. `R` picks the reference type: loose strings for JSON, checked ids for TS.
 */
export interface ExperimentSpec<R = LooseRefs> {
  $schema?: string;
  name?: string;
  description?: string;
  /** Seeds every random stream: data, initialization, shuffling. */
  seed: number;
  /** A dataset id or `[id, options]`; omit when passing `data` to createSession. */
  data?: LoosePluginRef;
  model: ModelSpec<R>;
  train: TrainSpec<R>;
  probes?: readonly Ref<R, 'probe'>[];
}

export interface LooseRefs {
  activation: LoosePluginRef;
  initializer: LoosePluginRef;
  clipping: LoosePluginRef;
  regularizer: LoosePluginRef;
  probe: LoosePluginRef;
  optimizer: LoosePluginRef;
}
/** Reference types that only accept registered ids (`defineExperiment`). */
export interface StrictRefs {
  activation: PluginRef<ActivationRegistry>;
  initializer: PluginRef<InitializerRegistry>;
  clipping: PluginRef<ClippingRegistry>;
  regularizer: PluginRef<RegularizerRegistry>;
  probe: PluginRef<ProbeRegistry>;
  optimizer: LoosePluginRef;
}
type Ref<R, K extends keyof LooseRefs> = R extends LooseRefs ? R[K] : never;

export interface ModelSpec<R = LooseRefs> {
  /** Applied to every layer that does not set its own. */
  defaults?: {
    activation?: Ref<R, 'activation'>;
    initializer?: Ref<R, 'initializer'>;
    biasInitializer?: Ref<R, 'initializer'>;
  };
  layers: readonly LayerSpec<R>[];
}

export type LayerSpec<R = LooseRefs> = DenseLayerSpec<R> | BatchNormLayerSpec<R> | RnnLayerSpec<R>;

export interface DenseLayerSpec<R = LooseRefs> {
  type: 'dense';
  units: number;
  /** Default `linear`. */
  activation?: Ref<R, 'activation'>;
  /** Weights; required here or in `model.defaults`. */
  initializer?: Ref<R, 'initializer'>;
  /** Default `zeros`. */
  biasInitializer?: Ref<R, 'initializer'>;
  /** out = f(x·W + b) + x; needs input width = units. */
  residual?: boolean;
}

export interface BatchNormLayerSpec<R = LooseRefs> {
  type: 'batchnorm';
  activation?: Ref<R, 'activation'>;
  /** Weight of the new batch in the running statistics (PyTorch convention), default 0.1. */
  momentum?: number;
  /** Default 1e-5. */
  epsilon?: number;
}

export interface RnnLayerSpec<R = LooseRefs> {
  type: 'rnn';
  units: number;
  /** Default `tanh` (needs @gradlab/activation-tanh registered). */
  activation?: Ref<R, 'activation'>;
  initializer?: Ref<R, 'initializer'>;
  /** Default: the same as `initializer`. */
  recurrentInitializer?: Ref<R, 'initializer'>;
  biasInitializer?: Ref<R, 'initializer'>;
  /** Backpropagate through the last k steps only (truncated BPTT); default all steps. */
  truncate?: number;
}

export interface TrainSpec<R = LooseRefs> {
  loss: LossId;
  /** `sgd`, `momentum`, `adam` or `adamw`, optionally with options. */
  optimizer: Ref<R, 'optimizer'>;
  batchSize: number;
  /** Default 1 (when `steps` is not set). */
  epochs?: number;
  /** Stop after this many optimizer steps. */
  steps?: number;
  /** Fraction of rows held out for evaluation; default 0.2 (0 for the gaussian dataset). */
  testFraction?: number;
  /** Shuffle rows every epoch; default true. */
  shuffle?: boolean;
  /** Penalty gradients are added before clipping. */
  regularizers?: readonly Ref<R, 'regularizer'>[];
  /** Gradient transforms, applied in this order. */
  clipping?: readonly Ref<R, 'clipping'>[];
  /** `strict` (default) turns a NaN created inside a plugin into a named PluginError. */
  checks?: 'strict' | 'off';
}

/** Identity for TypeScript specs: plugin ids are checked against the imported plugins' types. */
export function defineExperiment(spec: ExperimentSpec<StrictRefs>): ExperimentSpec {
  return spec as ExperimentSpec;
}
