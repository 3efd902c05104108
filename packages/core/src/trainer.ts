import type { Clipping, Finding, LayerTrace, Probe, Regularizer, StepTrace, TransformStats } from '@gradlab/plugin-api';
import { DATASETS, type Dataset } from './datasets.ts';
import { ExperimentSpecError, gradlabError } from './errors/index.ts';
import type { EngineClock } from './layers/layer.ts';
import { accuracy, getLoss, type Loss } from './losses.ts';
import { buildModel, type Model } from './model.ts';
import { OPTIMIZERS, type Optimizer } from './optimizers.ts';
import type { Registry } from './registry.ts';
import { createRng } from './rng.ts';
import type { ExperimentSpec } from './spec/types.ts';
import { validateExperiment } from './spec/validate.ts';
import { splitRows, takeRows } from './split.ts';

export interface SessionOptions {
  readonly registry: Registry;
  /** Data to train on instead of the spec's `data` dataset. */
  readonly data?: Dataset;
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
  const { registry } = options;
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
  return createSession(spec, options).run({ onProgress: options.onProgress });
}

/** User-supplied data must be consistent and finite before it reaches the engine. */
function checkData(d: Dataset): void {
  const sizes = [d.rows, d.features, d.steps, d.outputs];
  if (!sizes.every((n) => Number.isInteger(n) && n > 0)) {
    throw gradlabError('DataShapeError', ['rows, features, steps and outputs must be positive whole numbers']);
  }
  if (d.x.length !== d.rows * d.features * d.steps) {
    throw gradlabError('DataShapeError', [
      `x has ${d.x.length} values; rows × steps × features is ${d.rows * d.steps * d.features}`,
    ]);
  }
  if (d.y.length !== d.rows * d.outputs) {
    throw gradlabError('DataShapeError', [`y has ${d.y.length} values; rows × outputs is ${d.rows * d.outputs}`]);
  }
  const bad = [d.x, d.y].map((a) => a.findIndex((v) => !Number.isFinite(v)));
  if (bad[0] >= 0 || bad[1] >= 0) {
    const [name, i] = bad[0] >= 0 ? ['x', bad[0]] : ['y', bad[1]];
    throw gradlabError('DataShapeError', [
      `${name}[${i}] is not a finite number; remove or impute missing values first`,
    ]);
  }
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

class TrainingSession implements Session {
  stepCount = 0;
  epoch = 0;
  stopped: StopReason | undefined;
  readonly findings: Finding[] = [];
  readonly totalSteps: number;
  private readonly stepsPerEpoch: number;
  private readonly order: Uint32Array;
  private readonly batchX: Float64Array;
  private readonly batchY: Float64Array;
  private readonly dOut: Float64Array;
  private readonly losses: number[] = [];
  private readonly epochs: EpochRecord[] = [];
  private epochLossSum = 0;
  private epochSteps = 0;
  private finished = false;
  /** Ping-pong gradient buffers for the transform chain: a transform never writes its own input. */
  private readonly transformOut: Float64Array[][];
  private readonly transformState: unknown[];
  private readonly snapshot: Float64Array[] | undefined;
  private readonly regularized: { reg: Regularizer; slots: number[] }[];
  readonly spec: ExperimentSpec;
  readonly model: Model;
  readonly trainData: Dataset;
  readonly testData: Dataset;
  private readonly loss: Loss;
  private readonly optimizer: Optimizer;
  private readonly transforms: readonly Clipping[];
  private readonly probes: readonly Probe[];
  private readonly clock: EngineClock;
  private readonly rng: ReturnType<typeof createRng>;

  constructor(
    spec: ExperimentSpec,
    model: Model,
    trainData: Dataset,
    testData: Dataset,
    loss: Loss,
    optimizer: Optimizer,
    regularizers: readonly Regularizer[],
    transforms: readonly Clipping[],
    probes: readonly Probe[],
    clock: EngineClock,
    rng: ReturnType<typeof createRng>,
  ) {
    this.spec = spec;
    this.model = model;
    this.trainData = trainData;
    this.testData = testData;
    this.loss = loss;
    this.optimizer = optimizer;
    this.transforms = transforms;
    this.probes = probes;
    this.clock = clock;
    this.rng = rng;
    const batch = spec.train.batchSize;
    this.stepsPerEpoch = Math.ceil(trainData.rows / batch);
    this.totalSteps = spec.train.steps ?? (spec.train.epochs ?? 1) * this.stepsPerEpoch;
    if (spec.train.steps !== undefined && spec.train.epochs !== undefined) {
      this.totalSteps = Math.min(spec.train.steps, spec.train.epochs * this.stepsPerEpoch);
    }
    this.order = Uint32Array.from({ length: trainData.rows }, (_, i) => i);
    this.batchX = new Float64Array(batch * model.inputSize);
    this.batchY = new Float64Array(batch * trainData.outputs);
    this.dOut = new Float64Array(batch * trainData.outputs);
    const like = () => model.params.map((p) => new Float64Array(p.value.length));
    this.transformOut = transforms.length ? [like(), like()] : [];
    this.transformState = transforms.map((t) => t.init?.(model.params));
    this.regularized = regularizers.map((reg) => ({
      reg,
      slots: model.params.flatMap((p, i) => (reg.appliesTo.includes(p.role) ? [i] : [])),
    }));
    const needsSnapshot = regularizers.some((r) => r.afterStep) || probes.some((p) => p.needs?.includes('updates'));
    this.snapshot = needsSnapshot ? like() : undefined;
  }

  step(): StepResult {
    if (this.stopped)
      return {
        step: this.stepCount,
        epoch: this.epoch,
        loss: Number.NaN,
        penalty: 0,
        findings: [],
        stopped: this.stopped,
      };
    const { model, spec } = this;
    const within = this.stepCount % this.stepsPerEpoch;
    if (within === 0 && this.stepCount > 0) this.endEpoch();
    if (within === 0 && (spec.train.shuffle ?? true)) this.rng.fork(`shuffle/${this.epoch}`).shuffle(this.order);
    const start = within * spec.train.batchSize;
    const rows = Math.min(spec.train.batchSize, this.trainData.rows - start);
    takeRows(this.trainData, this.order, start, rows, this.batchX, this.batchY);
    this.clock.step = this.stepCount;

    model.zeroGrads();
    const out = model.forward(this.batchX, rows, true);
    const cols = this.trainData.outputs;
    const value = this.loss.value(out, this.batchY, rows, cols);
    this.loss.gradient(out, this.batchY, rows, cols, this.dOut);
    model.backward(this.dOut, rows);
    let penalty = 0;
    for (const { reg, slots } of this.regularized) {
      for (const i of slots) {
        penalty += reg.penalty(model.params[i].value);
        reg.addGradient(model.params[i].value, model.grads[i]);
      }
    }
    const finite = Number.isFinite(value);
    let grads: readonly Float64Array[] = model.grads;
    const stats: { id: string; stats: TransformStats }[] = [];
    if (finite) {
      this.transforms.forEach((t, k) => {
        const target = this.transformOut[k % 2];
        const result = t.update(grads, target, model.params, this.transformState[k]);
        if (result.state !== undefined) this.transformState[k] = result.state;
        stats.push({ id: t.id, stats: result.stats });
        grads = target;
      });
      if (this.snapshot) for (let i = 0; i < model.params.length; i++) this.snapshot[i].set(model.params[i].value);
      this.optimizer.step(model.params, grads);
      for (const { reg, slots } of this.regularized) {
        if (reg.afterStep) for (const i of slots) reg.afterStep(model.params[i].value, this.snapshot![i]);
      }
    }
    const findings = this.probes.length ? this.notifyProbes(value, rows, stats, finite) : [];
    this.stepCount++;
    if (finite) {
      this.losses.push(value);
      this.epochLossSum += value;
      this.epochSteps++;
    } else {
      const err = gradlabError('NonFiniteLoss', [this.stepCount - 1, value]);
      this.stopped = { code: 'NonFiniteLoss', step: this.stepCount - 1, message: err.message, hint: err.hint };
    }
    return { step: this.stepCount - 1, epoch: this.epoch, loss: value, penalty, findings, stopped: this.stopped };
  }

  /** Probes see the step through a trace whose per-layer views are built on first access. */
  private notifyProbes(loss: number, rows: number, transforms: StepTrace['transforms'], updated: boolean): Finding[] {
    const { model, snapshot } = this;
    let layers: LayerTrace[] | undefined;
    const trace: StepTrace = {
      step: this.stepCount,
      epoch: this.epoch,
      loss,
      transforms,
      params: model.params,
      grads: model.grads,
      get layers() {
        layers ??= model.layers.map((layer) => {
          const view = layer.view(rows);
          const slot = model.params.findIndex((p) => p.value === view.W);
          if (!snapshot || slot < 0) return view;
          const update = new Float64Array(view.W.length);
          if (updated) for (let i = 0; i < update.length; i++) update[i] = view.W[i] - snapshot[slot][i];
          return { ...view, updateW: update };
        });
        return layers;
      },
    };
    const found: Finding[] = [];
    for (const probe of this.probes) {
      const result = probe.onStep?.(trace);
      if (result) found.push(...result);
    }
    this.findings.push(...found);
    return found;
  }
  private endEpoch(): void {
    const record: EpochRecord = {
      epoch: this.epoch,
      step: this.stepCount,
      trainLoss: this.epochSteps ? this.epochLossSum / this.epochSteps : Number.NaN,
      ...(this.testData.rows ? this.evaluateAs('test') : {}),
    };
    this.epochs.push(record);
    this.epoch++;
    this.epochLossSum = 0;
    this.epochSteps = 0;
  }
  private evaluateAs(split: 'test'): { testLoss: number; testAccuracy?: number } {
    const { loss, accuracy: acc } = this.evaluate(split);
    return acc === undefined ? { testLoss: loss } : { testLoss: loss, testAccuracy: acc };
  }

  evaluate(split: 'train' | 'test' = 'test'): { loss: number; accuracy?: number } {
    const data = split === 'test' ? this.testData : this.trainData;
    if (data.rows === 0) return { loss: Number.NaN };
    const batch = this.spec.train.batchSize;
    const cols = data.outputs;
    const identity = Uint32Array.from({ length: data.rows }, (_, i) => i);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.rows; start += batch) {
      const rows = Math.min(batch, data.rows - start);
      takeRows(data, identity, start, rows, this.batchX, this.batchY);
      const out = this.model.forward(this.batchX, rows, false);
      lossSum += this.loss.value(out, this.batchY, rows, cols) * rows;
      if (data.task !== 'regression') correct += accuracy(this.loss.id, out, this.batchY, rows, cols) * rows;
    }
    const result = { loss: lossSum / data.rows };
    return data.task === 'regression' || this.loss.id === 'mse' ? result : { ...result, accuracy: correct / data.rows };
  }

  run(options: { onProgress?: (p: Progress) => void; everyMs?: number } = {}): RunResult {
    const started = performance.now();
    let lastReport = Number.NEGATIVE_INFINITY;
    const report = (loss: number) => {
      const elapsedMs = performance.now() - started;
      const rate = this.stepCount / Math.max(elapsedMs / 1000, 1e-9);
      options.onProgress?.({
        step: this.stepCount,
        totalSteps: this.totalSteps,
        epoch: this.epoch,
        loss,
        elapsedMs,
        stepsPerSecond: rate,
        etaSeconds: this.stopped || this.stepCount >= this.totalSteps ? 0 : (this.totalSteps - this.stepCount) / rate,
      });
    };
    while (this.stepCount < this.totalSteps && !this.stopped) {
      const { loss } = this.step();
      if (options.onProgress && performance.now() - lastReport >= (options.everyMs ?? 100)) {
        lastReport = performance.now();
        report(loss);
      }
    }
    if (!this.stopped && this.epochSteps > 0) this.endEpoch();
    report(this.losses.at(-1) ?? Number.NaN);
    const findings = this.finish();
    return {
      steps: this.stepCount,
      losses: this.losses,
      epochs: this.epochs,
      findings,
      reports: this.reports(),
      stopped: this.stopped,
      model: this.model,
    };
  }

  reports(): Record<string, unknown> {
    return Object.fromEntries(this.probes.map((p) => [p.id, p.report()]));
  }

  finish(): readonly Finding[] {
    if (!this.finished) {
      this.finished = true;
      for (const probe of this.probes) {
        const result = probe.onEnd?.();
        if (result) this.findings.push(...result);
      }
    }
    return this.findings;
  }
}
