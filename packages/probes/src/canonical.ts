/**
 * The canonical probe setup: x ~ N(0, I) of dimension `width`, `batch` rows,
 * `depth` hidden dense layers of `width` units, zero biases, a linear 1-unit output, MSE against
 * y ~ N(0, 1), float64, a seed. The CLI's `probe` command, the site's widgets and the quizzes
 * all call {@link runProbe}, so a number on the site can be reproduced from a terminal.
 */
import { createSession, type Dataset, type ExperimentSpec, type Registry, type Session } from '@gradlab/core';
import type { Finding, InitShape, LoosePluginRef, Probe } from '@gradlab/plugin-api';
import activationStats, { type ActivationStatsReport } from './activation-stats.ts';
import { assertProbeOptions, standardRegistry } from './canonical-options.ts';
import deadUnits, { type DeadUnitsReport } from './dead-units.ts';
import gradNorms from './grad-norms.ts';
import lossTrend from './loss-trend.ts';
import nanWatch from './nan-watch.ts';
import type { GradNormsReport } from './norms.ts';
import { type ProbeReport, type ProbeReportLayer, REPORT_SCHEMA_ID, type TheoryReport } from './report.ts';
import { num } from './report-numbers.ts';
import saturation, { type SaturationReport } from './saturation.ts';
import symmetry from './symmetry.ts';
import { type MeanFieldResult, meanField } from './theory.ts';
import updateRatio, { type UpdateRatioReport } from './update-ratio.ts';

export type OptimizerId = 'sgd' | 'momentum' | 'adam' | 'adamw';

export interface CanonicalOptions {
  /** Hidden-layer activation, an id or [id, options]. Default 'relu'. */
  readonly activation: LoosePluginRef;
  /** Hidden-layer (and output-layer) weight initializer. Default 'he'. */
  readonly initializer: LoosePluginRef;
  /** Number of hidden layers. Default 10. */
  readonly depth: number;
  /** Units per hidden layer, and the input dimension. Default 64. */
  readonly width: number;
  /** Rows of the probe batch (= the dataset, so every step sees the same rows). Default 64. */
  readonly batch: number;
  readonly seed: number;
  /**
   * Multiplies every hidden weight: passed as the initializer's own `gain` option (glorot, he,
   * lecun, orthogonal, identity), a pure scale of the same draw, so results are continuous in it.
   * Default 1.
   */
  readonly gain?: number;
  /** Constant value of every hidden bias; ≠ 0 needs the 'constant' initializer. Default 0. */
  readonly biasInit?: number;
  /** Sets the activation's `alpha` option (leaky-relu's negative slope, elu's saturation). */
  readonly alpha?: number;
  /** Optimizer steps before the measured one. Default 0: measure at initialization. */
  readonly steps?: number;
  /** Default 'sgd'. */
  readonly optimizer?: OptimizerId;
  /** Default 1e-3; it sets the update ratio of the measured step and matters when steps > 0. */
  readonly lr?: number;
  /** Default 'strict'. */
  readonly checks?: 'strict' | 'off';
}

export const CANONICAL_DEFAULTS = {
  activation: 'relu',
  initializer: 'he',
  depth: 10,
  width: 64,
  batch: 64,
  seed: 0,
  gain: 1,
  biasInit: 0,
  steps: 0,
  optimizer: 'sgd',
  lr: 1e-3,
  checks: 'strict',
} as const satisfies CanonicalOptions;

const idOf = (ref: LoosePluginRef) => (typeof ref === 'string' ? ref : ref[0]);
const withOptions = (ref: LoosePluginRef, extra: Record<string, unknown>): LoosePluginRef =>
  typeof ref === 'string' ? [ref, extra] : [ref[0], { ...ref[1], ...extra }];

const optionsOf = (ref: LoosePluginRef): Record<string, unknown> =>
  typeof ref === 'string' ? {} : ((ref[1] ?? {}) as Record<string, unknown>);

function resolved(options: Partial<CanonicalOptions>) {
  const o = { ...CANONICAL_DEFAULTS, ...options };
  const activation = o.alpha === undefined ? o.activation : withOptions(o.activation, { alpha: o.alpha });
  // The gain multiplies the initializer's own gain option (1 when the ref sets none).
  const given = optionsOf(o.initializer).gain;
  const hiddenInit =
    o.gain === 1
      ? o.initializer
      : withOptions(o.initializer, { gain: o.gain * (typeof given === 'number' ? given : 1) });
  return { ...o, activation, hiddenInit };
}

/** The hidden weights' shape: every hidden layer is width × width (the input has `width` features). */
const hiddenShape = (width: number, activation: string, activationGain?: number): InitShape => ({
  shape: [width, width],
  fanIn: width,
  fanOut: width,
  role: 'weight',
  activation,
  activationGain,
});

/** Var(W) and E[W] the initializer declares for the hidden layers (gain included), or undefined. */
function declared(o: ReturnType<typeof resolved>, registry: Registry) {
  const act = registry.resolve('activation', o.activation, 'activation');
  const init = registry.resolve('initializer', o.hiddenInit, 'initializer');
  const shape = hiddenShape(o.width, act.id, act.gain);
  return { variance: init.variance?.(shape), mean: init.mean?.(shape) ?? 0, activation: act };
}

/**
 * The canonical experiment as a JSON spec. With `gain` ≠ 1 the hidden layers use
 * [initializer, { gain }] (the initializer's own gain option, multiplied into one the reference
 * already sets); the output layer keeps the plain initializer. An initializer without a gain
 * option is refused (checked in the given registry, else the standard preset).
 * Steps are `steps + 1`: the last one is measured.
 */
export function canonicalSpec(
  options: Partial<CanonicalOptions>,
  context: { registry?: Registry } = {},
): ExperimentSpec {
  const o = resolved(options);
  const { hiddenInit } = o;
  if (o.gain !== 1) {
    // Which initializers take a gain is read from a registry: the given one, else the standard preset.
    const registry = context.registry ?? standardRegistry();
    const def = registry.get('initializer', idOf(o.initializer));
    if (def && !('gain' in def.options)) {
      throw new TypeError(
        `canonicalSpec: gain ≠ 1 needs an initializer with a gain option (${initializersWithGain(registry).join(', ')}); "${idOf(o.initializer)}" has none.`,
      );
    }
  }
  const biasInitializer: LoosePluginRef = o.biasInit === 0 ? 'zeros' : ['constant', { value: o.biasInit }];
  const hidden = Array.from({ length: o.depth }, () => ({
    type: 'dense' as const,
    units: o.width,
    activation: o.activation,
    initializer: hiddenInit,
    biasInitializer,
  }));
  return {
    name: 'canonical-probe',
    description: `${o.depth} hidden × ${o.width} ${idOf(o.activation)} + ${idOf(o.initializer)}${o.gain === 1 ? '' : ` × ${o.gain}`}, batch ${o.batch}, seed ${o.seed}`,
    seed: o.seed,
    data: ['gaussian', { samples: o.batch, features: o.width, outputs: 1 }],
    model: { layers: [...hidden, { type: 'dense', units: 1, activation: 'linear', initializer: o.initializer }] },
    train: {
      loss: 'mse',
      optimizer: [o.optimizer, { lr: o.lr }],
      batchSize: o.batch,
      steps: o.steps + 1,
      testFraction: 0,
      shuffle: false,
      checks: o.checks,
    },
  };
}

/**
 * Run the canonical setup with every probe attached and return the versioned report of the
 * last step (step `steps`; earlier if a non-finite loss stopped the run). Probes run with
 * patience 1 and a one-step window, so `dead` is "f′ = 0 on every row of this batch". Findings
 * of the measured step (and of the run's end) are `findings`; those of earlier steps are
 * `warmupFindings`, labelled with their own step. A unit is DEAD_UNITS only when inactive over
 * the last half of the steps; at initialization (steps 0) that finding is info, not warn.
 * Without `registry`, core's built-ins and the standard preset are used. Bad options throw one
 * InvalidOptions error naming each option (docs/decisions/0020-run-probe-defaults.md).
 * For many calls in a row (a slider in the site's lab), {@link createProbeRunner} gives the same
 * reports faster.
 */
export function runProbe(options: Partial<CanonicalOptions> = {}, context: { registry?: Registry } = {}): ProbeReport {
  const registry = context?.registry ?? standardRegistry();
  const setup = canonicalSetup('runProbe', options, registry);
  const { session, probes } = startSession(setup, registry);
  return measure(setup, session, probes, () => meanFieldPrediction(setup, registry));
}

/** Resolved options and the spec they give: what a run needs before it starts. */
export interface CanonicalSetup {
  readonly options: ReturnType<typeof resolved>;
  readonly spec: ExperimentSpec;
}

/** Check the options (one InvalidOptions error naming each bad one, `fn` in its message) and resolve them. */
export function canonicalSetup(fn: string, options: Partial<CanonicalOptions>, registry: Registry): CanonicalSetup {
  // The check builds the spec from these very options to validate it; keep it rather than build it twice
  // (the lab calls this on every slider move). Options `undefined` skip the check and build it here.
  let spec: ExperimentSpec | undefined;
  assertProbeOptions(fn, options, registry, (given) => {
    spec = canonicalSpec(given, { registry });
    return spec;
  });
  return { options: resolved(options), spec: spec ?? canonicalSpec(options, { registry }) };
}

/** Every probe of the report: one measured step; dead units over the last half of the steps. */
function reportProbes(o: CanonicalSetup['options']): Probe[] {
  return [
    gradNorms({ patience: 1, window: 1 }),
    activationStats({ histogramOf: 'none', window: 1 }),
    saturation({ patience: 1, window: 1 }),
    deadUnits({ steps: Math.max(1, Math.ceil((o.steps + 1) / 2)), window: 1 }),
    updateRatio({ patience: 1, window: 1 }),
    nanWatch(),
    lossTrend({ window: 1 }),
    symmetry(),
  ];
}

/**
 * A session with fresh probes attached. `data`, when given, must be what the spec's own
 * `data` ref generates (the runner passes the data of an earlier session with the same seed,
 * width and batch), so the run is the same bit for bit.
 */
export function startSession(
  setup: CanonicalSetup,
  registry: Registry,
  data?: Dataset,
): { session: Session; probes: Probe[] } {
  const probes = reportProbes(setup.options);
  const session = createSession(setup.spec, data ? { registry, probes, data } : { registry, probes });
  return { session, probes };
}

/** Step to the measured step and assemble the report; `predict` is asked after the run. */
export function measure(
  setup: CanonicalSetup,
  session: Session,
  probes: readonly Probe[],
  predict: () => MeanFieldPrediction,
): ProbeReport {
  const o = setup.options;
  let last = session.step();
  while (!last.stopped && session.stepCount < o.steps + 1) last = session.step();
  const all: Finding[] = [...session.finish()];
  const [g, s, sat, dead, up] = probes.map((p) => p.report()) as [
    GradNormsReport,
    ActivationStatsReport,
    SaturationReport,
    DeadUnitsReport,
    UpdateRatioReport,
  ];
  const norms = g.history[0];
  const findings = all.filter((f) => f.step >= norms.step);
  const warmupFindings = all.filter((f) => f.step < norms.step);
  const layers: ProbeReportLayer[] = g.layers.map((l, i) => ({
    index: l.index,
    role: i < o.depth ? 'hidden' : 'output',
    units: l.units,
    activation: l.activation,
    deltaNorm: norms.deltaNorm[i],
    gradNorm: norms.gradNorm[i],
    biasGradNorm: norms.biasGradNorm[i],
    activationMean: s.history[0].layers[i].aMean,
    activationStd: s.history[0].layers[i].aStd,
    preactivationMean: s.history[0].layers[i].zMean,
    preactivationStd: s.history[0].layers[i].zStd,
    saturation: sat.history[0].fraction[i],
    saturationValue: sat.history[0].valueFraction[i],
    dead: dead.history[0].dead[i],
    updateRatio: up.history[0].ratio[i],
  }));
  const k = g.last - g.first;
  return {
    schema: REPORT_SCHEMA_ID,
    setup: {
      activation: o.activation,
      initializer: o.initializer,
      depth: o.depth,
      width: o.width,
      batch: o.batch,
      seed: o.seed,
      gain: o.gain,
      biasInit: o.biasInit,
      steps: o.steps,
      optimizer: o.optimizer,
      lr: o.lr,
      checks: o.checks,
      loss: 'mse',
      data: 'gaussian',
      dtype: 'float64',
    },
    step: norms.step,
    loss: norms.loss,
    layers,
    deltaNorm: layers.map((l) => l.deltaNorm),
    gradNorm: layers.map((l) => l.gradNorm),
    ratios: {
      span: 'hidden',
      first: g.first,
      last: g.last,
      deltaFirstLast: norms.ratios.delta,
      gradFirstLast: norms.ratios.grad,
      biasGradFirstLast: norms.ratios.biasGrad,
    },
    globalGradNorm: norms.globalNorm,
    theory: theory(predict(), k, norms.ratios.delta),
    findings,
    ...(o.steps > 0 && { warmupFindings }),
    ...(last.stopped && {
      stopped: { code: last.stopped.code, step: last.stopped.step, message: last.stopped.message },
    }),
  };
}

/** Ids of the registered initializers that take a `gain` option. */
export function initializersWithGain(registry: Registry): string[] {
  return registry
    .list('initializer')
    .filter((d) => 'gain' in d.options)
    .map((d) => d.meta.id);
}

/**
 * The mean-field side of a report, which does not depend on the run: either why the theory does
 * not apply, or its inputs and result. It depends only on {@link meanFieldKey}, so a runner can
 * cache it.
 */
export type MeanFieldPrediction =
  | { readonly applicable: false; readonly reason: string }
  | {
      readonly applicable: true;
      readonly sigmaW2: number;
      readonly biasMean: number;
      readonly result: MeanFieldResult;
    };

/** Everything {@link meanFieldPrediction} reads from the options, as a cache key. */
export function meanFieldKey(o: CanonicalSetup['options']): string {
  return JSON.stringify([o.activation, o.initializer, o.width, o.gain, o.biasInit, o.depth]);
}

export function meanFieldPrediction(setup: CanonicalSetup, registry: Registry): MeanFieldPrediction {
  const o = setup.options;
  const { variance, mean, activation } = declared(o, registry);
  if (variance === undefined || mean !== 0) {
    return {
      applicable: false,
      reason: `initializer "${idOf(o.initializer)}" declares ${variance === undefined ? 'no variance()' : 'a non-zero mean'}; mean-field theory needs i.i.d. zero-mean weights`,
    };
  }
  const kinks = (registry.get('activation', activation.id)?.meta as { kinks?: readonly number[] } | undefined)?.kinks;
  const sigmaW2 = variance * o.width; // the declared variance already holds gain²
  const result = meanField({ activation, kinks, sigmaW2, biasMean: o.biasInit, inputVariance: 1, depth: o.depth });
  return { applicable: true, sigmaW2, biasMean: o.biasInit, result };
}

/** Mean-field prediction for the hidden stack beside the measured δ ratio (fresh arrays every call). */
function theory(prediction: MeanFieldPrediction, k: number, measured: number | null): TheoryReport {
  const perLayer = (ratio: number | null) => (ratio === null || k === 0 ? null : num(ratio ** (1 / k)));
  if (!prediction.applicable) {
    return {
      applicable: false,
      reason: prediction.reason,
      measured: { deltaFirstLast: measured, perLayerFactor: perLayer(measured) },
    };
  }
  const { sigmaW2, biasMean, result: mf } = prediction;
  const qStarStatus = mf.qStar === 0 ? 'zero' : Number.isFinite(mf.qStar) ? 'finite' : 'infinite';
  return {
    applicable: true,
    sigmaW2,
    sigmaB2: 0,
    biasMean,
    inputVariance: 1,
    q: mf.q.map(num),
    chi: mf.chi.map(num),
    qStar: num(mf.qStar),
    qStarStatus,
    chi1: num(mf.chi1),
    depthScale: num(mf.depthScale),
    regime: mf.regime,
    predicted: {
      deltaFirstLast: num(mf.deltaRatio),
      deltaFirstLastAtFixedPoint: num(mf.chi1 ** (k / 2)),
      perLayerFactor: perLayer(num(mf.deltaRatio)),
      perLayerFactorAtFixedPoint: num(mf.perLayerFactor),
    },
    measured: { deltaFirstLast: measured, perLayerFactor: perLayer(measured) },
  };
}
