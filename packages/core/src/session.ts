import type { Finding, Probe } from '@gradlab/plugin-api';
import { DATASETS, type Dataset } from './datasets.ts';
import { ExperimentSpecError } from './errors/index.ts';
import type { EngineClock } from './layers/layer.ts';
import { getLoss } from './losses.ts';
import { buildModel, type Model } from './model.ts';
import { OPTIMIZERS, type Optimizer } from './optimizers.ts';
import type { Registry } from './registry.ts';
import { createRng } from './rng.ts';
import { checkData, requireRegistry } from './spec/inputs.ts';
import type { ExperimentSpec } from './spec/types.ts';
import { validateExperiment } from './spec/validate.ts';
import { splitRows } from './split.ts';
import { TrainingSession } from './trainer.ts';
import { applyWeights, type InitialWeights } from './weights.ts';

export interface SessionOptions {
  readonly registry: Registry;
  /** Data to train on instead of the spec's `data` dataset. */
  readonly data?: Dataset;
  /** Start from these weights instead of the initializers' draw: a loaded model, or tensors by name. */
  readonly weights?: InitialWeights;
  /** Probe instances to attach in addition to the spec's `probes`. */
  readonly probes?: readonly Probe[];
}

export interface Progress {
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch: number;
  readonly loss: number;
  readonly elapsedMs: number;
  readonly stepsPerSecond: number;
  readonly etaSeconds: number;
}

/** Why training stopped early. */
export interface StopReason {
  readonly code: 'NonFiniteLoss';
  readonly step: number;
  readonly message: string;
  readonly hint?: string;
}

export interface StepResult {
  readonly step: number;
  readonly epoch: number;
  /** Data loss of the batch, before this step's update. */
  readonly loss: number;
  /** Regularization penalty (already × strength), 0 without regularizers. */
  readonly penalty: number;
  readonly findings: readonly Finding[];
  readonly stopped?: StopReason;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
}

export interface RunResult {
  readonly steps: number;
  readonly losses: readonly number[];
  readonly epochs: readonly EpochRecord[];
  readonly findings: readonly Finding[];
  readonly reports: Readonly<Record<string, unknown>>;
  readonly stopped?: StopReason;
  readonly model: Model;
}

export interface Session {
  readonly spec: ExperimentSpec;
  readonly model: Model;
  readonly trainData: Dataset;
  readonly testData: Dataset;
  readonly totalSteps: number;
  readonly stepCount: number;
  readonly epoch: number;
  readonly stopped: StopReason | undefined;
  readonly findings: readonly Finding[];
  /** One optimizer step on the next batch. */
  step(): StepResult;
  /** Steps until `totalSteps` or a stop; progress is reported at most every `everyMs`. */
  run(options?: { onProgress?: (p: Progress) => void; everyMs?: number }): RunResult;
  /** Loss (and accuracy for classification) on a split, in evaluation mode. */
  evaluate(split?: 'train' | 'test'): { loss: number; accuracy?: number };
  /** Every probe's report, by probe id. */
  reports(): Record<string, unknown>;
  /** Call probes' `onEnd` once and return all findings. */
  finish(): readonly Finding[];
}

/** Validate, build and return a session ready to step. Throws ExperimentSpecError listing every problem. */
export function createSession(spec: ExperimentSpec, options: SessionOptions): Session {
  const registry = requireRegistry('createSession', options);
  if (options.data) checkData(options.data);
  const issues = validateExperiment(spec, registry, options.data);
  if (issues.length) throw new ExperimentSpecError(issues);
  registry.freeze();
  const rng = createRng(spec.seed);
  const data = options.data ?? generate(spec, rng);
  const [trainData, testData] = splitRows(
    data,
    spec.train.testFraction ?? (dataId(spec) === 'gaussian' ? 0 : 0.2),
    rng.fork('split'),
  );
  const clock: EngineClock = { step: 0, strict: (spec.train.checks ?? 'strict') === 'strict' };
  const model = buildModel(spec.model, { registry, rng, shape: data, clock });
  if (options.weights) applyWeights(model, options.weights);
  const loss = getLoss(spec.train.loss);
  const [optId, optOptions] =
    typeof spec.train.optimizer === 'string' ? [spec.train.optimizer, {}] : spec.train.optimizer;
  const optimizer: Optimizer = OPTIMIZERS[optId].create(
    { ...defaultsOf(OPTIMIZERS[optId].options), ...optOptions } as never,
    model.params,
  );
  const regularizers = (spec.train.regularizers ?? []).map((r, i) =>
    registry.resolve('regularizer', r, `train.regularizers[${i}]`),
  );
  const transforms = (spec.train.clipping ?? []).map((r, i) => registry.resolve('clipping', r, `train.clipping[${i}]`));
  const probes = [
    ...(spec.probes ?? []).map((r, i) => registry.resolve('probe', r, `probes[${i}]`)),
    ...(options.probes ?? []),
  ];
  return new TrainingSession(
    spec,
    model,
    trainData,
    testData,
    loss,
    optimizer,
    regularizers,
    transforms,
    probes,
    clock,
    rng,
  );
}

/** Create a session, run it to the end and collect findings and reports. */
export function train(
  spec: ExperimentSpec,
  options: SessionOptions & { onProgress?: (p: Progress) => void },
): RunResult {
  return createSession(spec, { ...options, registry: requireRegistry('train', options) }).run({
    onProgress: options.onProgress,
  });
}

const defaultsOf = (schema: Record<string, { default: unknown }>) =>
  Object.fromEntries(Object.entries(schema).map(([k, s]) => [k, s.default]));
const dataId = (spec: ExperimentSpec) => (typeof spec.data === 'string' ? spec.data : spec.data?.[0]);

function generate(spec: ExperimentSpec, rng: ReturnType<typeof createRng>): Dataset {
  const ref = spec.data!;
  const [id, given] = typeof ref === 'string' ? [ref, {}] : ref;
  const def = DATASETS[id];
  return def.generate({ ...defaultsOf(def.options), ...given } as never, rng.fork('data'));
}
