import { defineActivation, defineInitializer } from '@gradlab/plugin-api';
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
    properties: { monotonic: true, zeroCentered: true, smooth: true, saturates: 'both' },
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
    properties: { monotonic: true, zeroCentered: false, smooth: true, saturates: 'negative' },
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
    properties: { monotonic: true, zeroCentered: true, smooth: false, saturates: 'negative' },
    kinks: [0],
  },
  create: () => ({ forward: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0), derivative: (x) => (x > 0 ? 1 : Number.isNaN(x) ? x : 0), gain: Math.SQRT2 }),
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

export function testRegistry() {
  return createRegistry().use([testTanh, testSoftplus, testRelu, testNormal]);
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
