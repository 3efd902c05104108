/**
 * Scenario networks for probe suites: small nets that are known to vanish, explode, die,
 * saturate, produce a NaN or take tiny steps, and one healthy net. They are built from the
 * inline plugins below (not the plugin packages: the testkit must not depend on them), on the
 * canonical gaussian data, with learning rate 0 where the pathology must stay put.
 */
import { createRegistry, createSession, type ExperimentSpec, type Registry } from '@gradlab/core';
import { defineActivation, defineInitializer, type Finding, type FindingCode, type Probe } from '@gradlab/plugin-api';

const WIDTH = 16;
const BATCH = 32;

const smooth = {
  monotonic: true,
  passesThroughOrigin: true,
  zeroCentered: true,
  smooth: true,
  saturates: 'both',
} as const;

const sigmoid = defineActivation({
  meta: {
    id: 'sigmoid',
    title: 'Sigmoid (fixture)',
    summary: 'Logistic sigmoid for probe scenarios.',
    formula: { forward: '\\sigma(x)', derivative: '\\sigma(x)(1-\\sigma(x))' },
    range: [0, 1],
    properties: { ...smooth, passesThroughOrigin: false, zeroCentered: false },
  },
  create: () => ({ forward: (x) => 1 / (1 + Math.exp(-x)), derivative: (_x, y) => y * (1 - y) }),
});

const tanh = defineActivation({
  meta: {
    id: 'tanh',
    title: 'tanh (fixture)',
    summary: 'Hyperbolic tangent for probe scenarios.',
    formula: { forward: '\\tanh x', derivative: '1-\\tanh^2 x' },
    range: [-1, 1],
    properties: smooth,
  },
  create: () => ({ forward: Math.tanh, derivative: (_x, y) => 1 - y * y }),
});

const relu = defineActivation({
  meta: {
    id: 'relu',
    title: 'ReLU (fixture)',
    summary: 'Rectifier for probe scenarios.',
    formula: { forward: '\\max(0,x)', derivative: '[x>0]' },
    range: [0, Number.POSITIVE_INFINITY],
    properties: { ...smooth, zeroCentered: false, smooth: false, saturates: 'negative' },
    kinks: [0],
  },
  create: () => ({
    forward: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
    derivative: (x) => (x > 0 ? 1 : Number.isNaN(x) ? x : 0),
  }),
});

/**
 * tanh that writes NaN into the first entry of its output from its `step`-th forward pass on
 * (counting from 0). Each layer resolves its own instance, and the trainer runs one forward pass
 * per step, so the NaN starts in `a` of this layer at that step. Needs `checks: 'off'`.
 */
const poison = defineActivation({
  meta: {
    id: 'poison',
    title: 'Poisoned tanh (fixture)',
    summary: 'A tanh that starts returning NaN at a given step.',
    formula: { forward: '\\tanh x', derivative: '1-\\tanh^2 x' },
    range: [-1, 1],
    properties: smooth,
  },
  options: { step: { type: 'integer', default: 3, min: 0, description: 'First poisoned forward pass.' } },
  create: ({ step }) => {
    let calls = 0;
    return {
      forward: Math.tanh,
      derivative: (_x, y) => 1 - y * y,
      forwardInto(x, out) {
        for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
        if (calls++ >= step) out[0] = Number.NaN;
      },
    };
  },
});

const normal = defineInitializer({
  meta: {
    id: 'normal',
    title: 'Normal (fixture)',
    summary: 'Gaussian weights with a fixed standard deviation.',
    formula: 'W \\sim \\mathcal N(0, \\sigma^2)',
    family: 'other',
  },
  options: { std: { type: 'number', default: 0.25, min: 0, description: 'Standard deviation.' } },
  create: ({ std }) => ({
    init: ({ shape: [rows, cols], rng }) => Float64Array.from({ length: rows * cols }, () => std * rng.normal()),
    variance: () => std * std,
  }),
});

const constant = defineInitializer({
  meta: {
    id: 'constant',
    title: 'Constant (fixture)',
    summary: 'Every entry equal to a value.',
    formula: 'W = c',
    family: 'constant',
  },
  options: { value: { type: 'number', default: 0, description: 'The value.' } },
  create: ({ value }) => ({ init: ({ shape: [rows, cols] }) => new Float64Array(rows * cols).fill(value) }),
});

/** A registry holding the fixture plugins: sigmoid, tanh, relu, poison, normal, constant. */
export function scenarioRegistry(): Registry {
  return createRegistry().use([sigmoid, tanh, relu, poison, normal, constant]);
}

/** One scenario: a spec over the fixture plugins, how long to run it and what it must produce. */
export interface ProbeScenario {
  readonly name: string;
  readonly description: string;
  readonly spec: ExperimentSpec;
  readonly steps: number;
  /** The finding a probe that emits `code` must report (layer and step, when given, must match). */
  readonly expect?: { readonly code: FindingCode; readonly layer?: number; readonly step?: number };
}

type Hidden = { activation: string | [string, Record<string, unknown>]; std: number; bias?: number };

/** Dense hidden layers of WIDTH units, a linear one-unit output, MSE on gaussian data. */
function net(hidden: readonly Hidden[], lr: number, extra: Partial<ExperimentSpec['train']> = {}): ExperimentSpec {
  return {
    seed: 7,
    data: ['gaussian', { samples: BATCH, features: WIDTH, outputs: 1 }],
    model: {
      layers: [
        ...hidden.map((h) => ({
          type: 'dense' as const,
          units: WIDTH,
          activation: h.activation,
          initializer: ['normal', { std: h.std }] as [string, Record<string, unknown>],
          ...(h.bias !== undefined && {
            biasInitializer: ['constant', { value: h.bias }] as [string, Record<string, unknown>],
          }),
        })),
        { type: 'dense', units: 1, initializer: ['normal', { std: 0.25 }] },
      ],
    },
    train: { loss: 'mse', optimizer: ['sgd', { lr }], batchSize: BATCH, steps: 1_000_000, shuffle: false, ...extra },
  };
}

const glorot = 1 / Math.sqrt(WIDTH);
const layers = (n: number, h: Hidden) => Array.from({ length: n }, () => h);

/** The scenarios, by the finding they provoke; `healthy` must provoke none. */
/** The codes the fixture scenarios provoke (later codes are checked by the probes' own suites). */
export type ScenarioCode =
  | 'NAN_DETECTED'
  | 'VANISHING_GRADIENTS'
  | 'EXPLODING_GRADIENTS'
  | 'DEAD_UNITS'
  | 'SATURATION'
  | 'UPDATE_RATIO';

export const PROBE_SCENARIOS: Readonly<Record<ScenarioCode | 'healthy', ProbeScenario>> = {
  VANISHING_GRADIENTS: {
    name: 'deep-sigmoid',
    description: '8 sigmoid layers with Var(W) = 1/fan-in: ‖δ‖ shrinks about 4× per layer (first/last ≈ 1e-4)',
    spec: net(layers(8, { activation: 'sigmoid', std: glorot }), 0),
    steps: 60,
    expect: { code: 'VANISHING_GRADIENTS' },
  },
  EXPLODING_GRADIENTS: {
    name: 'relu-x10-init',
    description: '8 ReLU layers with 10× the He standard deviation: ‖δ‖ grows about 10× per layer',
    spec: net(layers(8, { activation: 'relu', std: 10 * Math.sqrt(2 / WIDTH) }), 0),
    steps: 60,
    expect: { code: 'EXPLODING_GRADIENTS' },
  },
  DEAD_UNITS: {
    name: 'relu-bias-minus-5',
    description: 'tanh, then a ReLU layer whose biases are −5 (every unit off for every example), then tanh',
    spec: net(
      [
        { activation: 'tanh', std: glorot },
        { activation: 'relu', std: glorot, bias: -5 },
        { activation: 'tanh', std: glorot },
      ],
      0,
    ),
    steps: 60,
    expect: { code: 'DEAD_UNITS', layer: 1 },
  },
  SATURATION: {
    name: 'tanh-x12-init',
    description: '3 tanh layers with weights of std 3 (12× Glorot): |z| is mostly above 3, where tanh′ < 0.01',
    spec: net(layers(3, { activation: 'tanh', std: 3 }), 0),
    steps: 60,
    expect: { code: 'SATURATION' },
  },
  NAN_DETECTED: {
    name: 'nan-at-layer-2-step-3',
    description: "tanh layers; layer 2's activation writes NaN from step 3 on (checks: 'off')",
    spec: net(
      [
        { activation: 'tanh', std: glorot },
        { activation: 'tanh', std: glorot },
        { activation: ['poison', { step: 3 }], std: glorot },
        { activation: 'tanh', std: glorot },
      ],
      0.01,
      { checks: 'off' },
    ),
    steps: 10,
    expect: { code: 'NAN_DETECTED', layer: 2, step: 3 },
  },
  UPDATE_RATIO: {
    name: 'tiny-learning-rate',
    description: '3 tanh layers trained with lr = 1e-9: ‖ΔW‖/‖W‖ ≈ 1e-10, far below the ~1e-3 rule of thumb',
    spec: net(layers(3, { activation: 'tanh', std: glorot }), 1e-9),
    steps: 60,
    expect: { code: 'UPDATE_RATIO' },
  },
  healthy: {
    name: 'healthy-tanh',
    description: '3 tanh layers with Glorot-scale weights and lr = 0.01: nothing to report',
    spec: net(layers(3, { activation: 'tanh', std: glorot }), 0.01),
    steps: 60,
  },
};

/** What a scenario run produced. */
export interface ScenarioRun {
  readonly findings: readonly Finding[];
  readonly report: unknown;
  /** Flattened parameters after the run (to check that probes only observe). */
  readonly params: Float64Array;
}

/** Run a scenario for `steps` steps (or until a non-finite loss stops it) with the given probes attached. */
export function runScenario(scenario: ProbeScenario, probes: readonly Probe[], steps = scenario.steps): ScenarioRun {
  const session = createSession(scenario.spec, { registry: scenarioRegistry(), probes });
  for (let i = 0; i < steps && !session.stopped; i++) session.step();
  const findings = session.finish();
  const params = Float64Array.from(session.model.params.flatMap((p) => Array.from(p.value)));
  return { findings, report: probes[0]?.report(), params };
}
