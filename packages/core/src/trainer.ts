import type { Clipping, Finding, LayerTrace, Probe, Regularizer, StepTrace, TransformStats } from '@gradlab/plugin-api';
import { workBuffer } from './buffers.ts';
import type { Dataset } from './datasets.ts';
import { callHook, gradlabError, hookThrew } from './errors/index.ts';
import { type EngineClock, PerRows } from './layers/layer.ts';
import { accuracy, type Loss } from './losses.ts';
import type { Model } from './model.ts';
import type { Optimizer } from './optimizers.ts';
import type { SeededRng } from './rng.ts';
import type { EpochRecord, Progress, RunResult, Session, StepResult, StopReason } from './session.ts';
import type { ExperimentSpec } from './spec/types.ts';
import { takeRows } from './split.ts';

/** A main weight's update record for probes that need 'updates' (see `TrainingSession.updates`). */
type ParamUpdate = { slot: number; before: Float64Array; delta?: Float64Array; at: number };

/** Milliseconds on a monotonic clock; `performance` exists in Node, browsers and workers but not in the ES lib types. */
const nowMs = (): number => (globalThis as unknown as { performance: { now(): number } }).performance.now();

/**
 * One training step: batch → forward → loss → backward → regularizer gradients → clipping
 * transforms in spec order → optimizer → regularizers' afterStep → probes (a trace is built only when probes are attached).
 */
export class TrainingSession implements Session {
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
  /** Every parameter before the optimizer step, for regularizers' `afterStep`. */
  private readonly snapshot: Float64Array[] | undefined;
  /**
   * Only when a probe needs updates: per layer with a main weight, its param slot, a copy of W
   * taken before the update (the trace's previousW), and ΔW = W − that copy (its updateW), formed
   * only when a probe first reads it in a step (`at`: the trace it was formed for). Probes that
   * read W and previousW in one pass (the norms of update-ratio) so skip a pass over every ΔW.
   * Only main weights are copied, not every parameter.
   */
  private readonly updates: ParamUpdate[] | undefined;
  /** Counts the traces given to probes: a ΔW formed for an earlier one is stale. */
  private traceId = 0;
  /** Whether the last traced step applied an update (one with a non-finite loss does not: ΔW = 0). */
  private updated = false;
  /** The trace's layer views per row count, built once: they point at live engine buffers. */
  private readonly traceLayers: PerRows<readonly LayerTrace[]>;
  private readonly regularized: { reg: Regularizer; slots: number[]; name: string }[];
  /** `clipping:<id>` per transform, `probe:<id>` per probe: the names a PluginError gives, built once. */
  private readonly transformNames: string[];
  private readonly probeNames: string[];
  /** The per-step plugin hook running now, so that a throw names it; mutated, never allocated per step. */
  private readonly running = { plugin: '', hook: '' };
  readonly spec: ExperimentSpec;
  readonly model: Model;
  readonly trainData: Dataset;
  readonly testData: Dataset;
  private readonly loss: Loss;
  private readonly optimizer: Optimizer;
  private readonly transforms: readonly Clipping[];
  private readonly probes: readonly Probe[];
  private readonly clock: EngineClock;
  private readonly rng: SeededRng;

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
    rng: SeededRng,
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
    this.batchX = workBuffer(batch * model.inputSize);
    this.batchY = workBuffer(batch * trainData.outputs);
    this.dOut = workBuffer(batch * trainData.outputs);
    const like = () => model.params.map((p) => workBuffer(p.value.length));
    this.transformOut = transforms.length ? [like(), like()] : [];
    this.transformState = transforms.map((t) => t.init?.(model.params));
    this.regularized = regularizers.map((reg) => ({
      reg,
      slots: model.params.flatMap((p, i) => (reg.appliesTo.includes(p.role) ? [i] : [])),
      name: `regularizer:${reg.id}`,
    }));
    this.transformNames = transforms.map((t) => `clipping:${t.id}`);
    this.probeNames = probes.map((p) => `probe:${p.id}`);
    this.snapshot = regularizers.some((r) => r.afterStep) ? like() : undefined;
    const updates = probes.some((p) => p.needs?.includes('updates'))
      ? model.layers.map((layer) => {
          const W = layer.params[0]?.value;
          const slot = model.params.findIndex((p) => p.value === W);
          return slot < 0 ? undefined : { slot, before: workBuffer(W.length), at: -1 };
        })
      : undefined;
    this.updates = updates?.filter((u) => u !== undefined);
    this.traceLayers = new PerRows((rows) =>
      model.layers.map((layer, l): LayerTrace => {
        const view = layer.view(rows);
        const update = updates?.[l];
        if (!update) return view;
        const layerTrace = { ...view, previousW: update.before };
        return Object.defineProperty(layerTrace, 'updateW', { enumerable: true, get: () => this.delta(update) });
      }),
    );
  }

  step(): StepResult {
    try {
      return this.stepOnce();
    } catch (error) {
      const { plugin, hook } = this.running;
      throw plugin ? hookThrew(plugin, hook, error, `step ${this.stepCount}`) : error;
    } finally {
      this.enter('', '');
    }
  }

  private enter(plugin: string, hook: string): void {
    this.running.plugin = plugin;
    this.running.hook = hook;
  }

  private stepOnce(): StepResult {
    if (this.stepCount >= this.totalSteps && !this.stopped) throw gradlabError('SessionFinished', [this.totalSteps]);
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
    for (const { reg, slots, name } of this.regularized) {
      for (const i of slots) {
        this.enter(name, 'penalty');
        penalty += reg.penalty(model.params[i].value);
        this.enter(name, 'addGradient');
        reg.addGradient(model.params[i].value, model.grads[i]);
      }
    }
    this.enter('', '');
    const finite = Number.isFinite(value);
    // W before the update; a step that applies none keeps it, so previousW is W then.
    if (this.updates) for (const u of this.updates) u.before.set(model.params[u.slot].value);
    let grads: readonly Float64Array[] = model.grads;
    const stats: { id: string; stats: TransformStats }[] = [];
    if (finite) {
      this.transforms.forEach((t, k) => {
        const target = this.transformOut[k % 2];
        this.enter(this.transformNames[k], 'update');
        const result = t.update(grads, target, model.params, this.transformState[k]);
        if (result.state !== undefined) this.transformState[k] = result.state;
        stats.push({ id: t.id, stats: result.stats });
        grads = target;
      });
      this.enter('', '');
      if (this.snapshot) for (let i = 0; i < model.params.length; i++) this.snapshot[i].set(model.params[i].value);
      this.optimizer.step(model.params, grads);
      for (const { reg, slots, name } of this.regularized) {
        this.enter(name, 'afterStep');
        if (reg.afterStep) for (const i of slots) reg.afterStep(model.params[i].value, this.snapshot![i]);
      }
      this.enter('', '');
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

  /**
   * Probes see the step through a plain trace object; its layer views are built once per row
   * count and reused, so a step allocates only the trace itself.
   */
  private notifyProbes(loss: number, rows: number, transforms: StepTrace['transforms'], updated: boolean): Finding[] {
    const { model } = this;
    this.traceId++;
    this.updated = updated;
    const trace: StepTrace = {
      step: this.stepCount,
      epoch: this.epoch,
      loss,
      layers: this.traceLayers.get(rows),
      transforms,
      params: model.params,
      grads: model.grads,
    };
    const found: Finding[] = [];
    for (let p = 0; p < this.probes.length; p++) {
      this.enter(this.probeNames[p], 'onStep');
      const result = this.probes[p].onStep?.(trace);
      if (result) for (const f of result) found.push(f);
    }
    this.enter('', '');
    for (const f of found) this.findings.push(f);
    return found;
  }

  /** ΔW = W after − W before of one main weight for the current trace, formed on its first read (0 without an update). */
  private delta(u: ParamUpdate): Float64Array {
    // Allocated on the first read: probes that read W and previousW (update-ratio) never ask.
    const delta = (u.delta ??= workBuffer(u.before.length));
    if (u.at === this.traceId) return delta;
    u.at = this.traceId;
    if (!this.updated) return delta.fill(0);
    const W = this.model.params[u.slot].value;
    for (let i = 0; i < W.length; i++) delta[i] = W[i] - u.before[i];
    return delta;
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
    const sum = this.loss.id === 'mse-sum';
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.rows; start += batch) {
      const rows = Math.min(batch, data.rows - start);
      takeRows(data, identity, start, rows, this.batchX, this.batchY);
      const out = this.model.forward(this.batchX, rows, false);
      // A sum-reduced loss sums over the split; a mean-reduced one is weighted by rows, then averaged.
      lossSum += this.loss.value(out, this.batchY, rows, cols) * (sum ? 1 : rows);
      if (data.task !== 'regression') correct += accuracy(this.loss.id, out, this.batchY, rows, cols) * rows;
    }
    const result = { loss: sum ? lossSum : lossSum / data.rows };
    return data.task === 'regression' || this.loss.id.startsWith('mse')
      ? result
      : { ...result, accuracy: correct / data.rows };
  }

  run(options: { onProgress?: (p: Progress) => void; everyMs?: number } = {}): RunResult {
    const started = nowMs();
    let lastReport = Number.NEGATIVE_INFINITY;
    const report = (loss: number) => {
      const elapsedMs = nowMs() - started;
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
      if (options.onProgress && nowMs() - lastReport >= (options.everyMs ?? 100)) {
        lastReport = nowMs();
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
    return Object.fromEntries(
      this.probes.map((p, i) => [p.id, callHook(this.probeNames[i], 'report', 'reports()', () => p.report())]),
    );
  }

  finish(): readonly Finding[] {
    if (!this.finished) {
      this.finished = true;
      this.probes.forEach((probe, i) => {
        const result = callHook(this.probeNames[i], 'onEnd', 'finish()', () => probe.onEnd?.());
        if (result) this.findings.push(...result);
      });
    }
    return this.findings;
  }
}
