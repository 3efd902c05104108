import {
  defineActivation,
  defineClipping,
  defineInitializer,
  defineProbe,
  defineRegularizer,
  type StepTrace,
} from '@gradlab/plugin-api';
import type { Dataset } from '../src/datasets.ts';
import { createRegistry } from '../src/registry.ts';
import { createRng } from '../src/rng.ts';

/**
 * Small plugins written here rather than imported from the plugin packages: core's tests must
 * not depend on them (the plugins' tests depend on core through the testkit), and these
 * one-line formulas are an independent reference.
 */
export const testTanh = defineActivation({
  meta: {
    id: 'tanh',
    title: 'tanh (test)',
    summary: 'Hyperbolic tangent for core tests.',
    formula: { forward: '\\tanh x', derivative: '1-\\tanh^2 x' },
    range: [-1, 1],
    properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: true, smooth: true, saturates: 'both' },
  },
  create: () => ({ forward: Math.tanh, derivative: (_x, y) => 1 - y * y }),
});

export const testSoftplus = defineActivation({
  meta: {
    id: 'softplus',
    title: 'softplus (test)',
    summary: 'Smooth ReLU for core tests.',
    formula: { forward: '\\log(1+e^x)', derivative: '\\sigma(x)' },
    range: [0, Number.POSITIVE_INFINITY],
    properties: {
      monotonic: true,
      passesThroughOrigin: false,
      zeroCentered: false,
      smooth: true,
      saturates: 'negative',
    },
  },
  create: () => ({
    forward: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    derivative: (x) => 1 / (1 + Math.exp(-x)),
  }),
});

export const testRelu = defineActivation({
  meta: {
    id: 'relu',
    title: 'ReLU (test)',
    summary: 'Rectifier for core tests.',
    formula: { forward: '\\max(0,x)', derivative: '[x>0]' },
    range: [0, Number.POSITIVE_INFINITY],
    properties: {
      monotonic: true,
      passesThroughOrigin: true,
      zeroCentered: true,
      smooth: false,
      saturates: 'negative',
    },
    kinks: [0],
  },
  create: () => ({
    forward: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
    derivative: (x) => (x > 0 ? 1 : Number.isNaN(x) ? x : 0),
    gain: Math.SQRT2,
  }),
});

export const testNormal = defineInitializer({
  meta: {
    id: 'normal',
    title: 'Normal (test)',
    summary: 'Gaussian weights with a given standard deviation for core tests.',
    formula: 'W \\sim \\mathcal N(0, \\sigma^2)',
    family: 'other',
  },
  options: { std: { type: 'number', default: 0.5, min: 0, description: 'Standard deviation.' } },
  create: ({ std }) => ({
    init(ctx) {
      const out = new Float64Array(ctx.shape[0] * ctx.shape[1]);
      for (let i = 0; i < out.length; i++) out[i] = std * ctx.rng.normal();
      return out;
    },
    variance: () => std * std,
  }),
});

export const testSigmoid = defineActivation({
  meta: {
    id: 'sigmoid',
    title: 'Sigmoid (test)',
    summary: 'Logistic function for core tests.',
    formula: { forward: '1/(1+e^{-x})', derivative: '\\sigma(x)(1-\\sigma(x))' },
    range: [0, 1],
    properties: { monotonic: true, passesThroughOrigin: false, zeroCentered: false, smooth: true, saturates: 'both' },
  },
  create: () => ({ forward: (x) => 1 / (1 + Math.exp(-x)), derivative: (_x, y) => y * (1 - y) }),
});

/** `gain · I` for square tensors (recurrent weights), zeros elsewhere. */
export const testIdentity = defineInitializer({
  meta: {
    id: 'identity',
    title: 'Scaled identity (test)',
    summary: 'A multiple of the identity matrix for core tests.',
    formula: 'W = gI',
    family: 'other',
  },
  options: { gain: { type: 'number', default: 1, description: 'Diagonal value.' } },
  create: ({ gain }) => ({
    init(ctx) {
      const [rows, cols] = ctx.shape;
      const out = new Float64Array(rows * cols);
      if (rows === cols) for (let i = 0; i < rows; i++) out[i * cols + i] = gain;
      return out;
    },
  }),
});

export function testRegistry() {
  return createRegistry().use([testTanh, testSoftplus, testRelu, testSigmoid, testNormal, testIdentity]);
}

/** Exact bytes of a float64 array, for bit-identical comparisons (NaN payloads and −0 included). */
export function bytes(a: Float64Array): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

/** A copy of every parameter tensor. */
export function snapshot(params: readonly { value: Float64Array }[]): Float64Array[] {
  return params.map((p) => Float64Array.from(p.value));
}

/**
 * A probe that records what it needs from each trace (copies, since trace arrays are live),
 * written with `defineProbe` like any plugin. `record` picks what to keep.
 */
export function recordingProbe<T>(record: (trace: StepTrace) => T, needs: readonly 'updates'[] = []) {
  const seen: T[] = [];
  const definition = defineProbe({
    meta: {
      id: 'recorder',
      title: 'Recorder (test)',
      summary: 'Keeps copies of trace data for core tests.',
      emits: [],
      cost: 'cheap',
    },
    create: () => ({
      needs,
      onStep(trace) {
        seen.push(record(trace));
      },
      report: () => ({ steps: seen.length }),
    }),
  });
  return { definition, seen };
}

/** One call of a recording transform: its tag, and copies of the gradients and parameters it received. */
export interface TransformCall {
  readonly tag: string;
  readonly grads: Float64Array[];
  readonly params: Float64Array[];
}

/** A clipping plugin that logs each call and multiplies the gradients by `scale` (an inline test transform). */
export function recordingClipping(log: TransformCall[]) {
  return defineClipping({
    meta: {
      id: 'scale-and-log',
      title: 'Scale and log (test)',
      summary: 'Multiplies gradients by a constant and logs every call for core tests.',
      formula: 'g \\leftarrow s g',
      preservesDirection: true,
    },
    options: {
      scale: { type: 'number', default: 1, description: 'Factor.' },
      tag: { type: 'enum', values: ['a', 'b', 'c'], default: 'a', description: 'Name in the log.' },
    },
    create: ({ scale, tag }) => ({
      update(grads, out, params) {
        log.push({
          tag,
          grads: grads.map((g) => Float64Array.from(g)),
          params: params.map((p) => Float64Array.from(p.value)),
        });
        for (let t = 0; t < grads.length; t++)
          for (let i = 0; i < grads[t].length; i++) out[t][i] = scale * grads[t][i];
        return { stats: { scale } };
      },
    }),
  });
}

/** What a recording regularizer's afterStep received. */
export interface AfterStepCall {
  readonly w: Float64Array;
  readonly previous: Float64Array;
}

/**
 * A regularizer that adds a constant `strength` to the gradient of weights (penalty strength·Σw)
 * and logs what `afterStep` receives.
 */
export function recordingRegularizer(log: AfterStepCall[]) {
  return defineRegularizer({
    meta: {
      id: 'push',
      title: 'Constant push (test)',
      summary: 'A linear penalty whose gradient is a constant, for core tests.',
      formula: '\\lambda \\sum_i w_i',
    },
    options: { strength: { type: 'number', default: 0.25, description: 'λ.' } },
    create: ({ strength }) => ({
      appliesTo: ['weight', 'recurrent'],
      penalty(w) {
        let s = 0;
        for (let i = 0; i < w.length; i++) s += w[i];
        return strength * s;
      },
      addGradient(_w, grad) {
        for (let i = 0; i < grad.length; i++) grad[i] += strength;
      },
      afterStep(w, previous) {
        log.push({ w: Float64Array.from(w), previous: Float64Array.from(previous) });
      },
    }),
  });
}

/** Random inputs and targets of a given shape (a test fixture, independent of the datasets module). */
export function randomData(
  rows: number,
  features: number,
  outputs: number,
  task: Dataset['task'],
  seed: number,
  steps = 1,
): Dataset {
  const rng = createRng(`fixture-${seed}`);
  const x = Float64Array.from({ length: rows * features * steps }, () => rng.normal());
  const y = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    if (task === 'regression') for (let c = 0; c < outputs; c++) y[r * outputs + c] = rng.normal();
    else if (task === 'binary') for (let c = 0; c < outputs; c++) y[r * outputs + c] = rng.next() < 0.5 ? 0 : 1;
    else y[r * outputs + rng.int(outputs)] = 1;
  }
  return { rows, features, steps, outputs, task, x, y };
}
