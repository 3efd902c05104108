/**
 * Run by bad-input.test.ts in a fresh `node --expose-gc` process: the ArrayBuffer memory a
 * session takes after two steps, beside estimateMemory() for the same spec. Prints JSON.
 */
import { useKernels } from '../src/kernels.ts';
import { createSession } from '../src/session.ts';
import { estimateMemory } from '../src/spec/memory.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import { testRegistry } from './helpers.ts';

const spec: ExperimentSpec = {
  seed: 1,
  data: ['gaussian', { samples: 2048, features: 128, outputs: 1 }],
  model: {
    defaults: { activation: 'relu', initializer: 'normal' },
    layers: [
      { type: 'dense', units: 256 },
      { type: 'batchnorm' },
      { type: 'dense', units: 256, residual: true },
      { type: 'dense', units: 1, activation: 'linear' },
    ],
  },
  train: { loss: 'mse', optimizer: 'adam', batchSize: 1024, steps: 2, testFraction: 0 },
};
// With the wasm kernels the engine's buffers sit in wasm regions, which process.memoryUsage()
// counts by whole 16 MB regions (or not at all), not by what a session takes; with the JS kernels
// they are ordinary ArrayBuffers. The estimate counts values, wherever they live.
useKernels('js');
const gc = (globalThis as { gc?: () => void }).gc!;
const registry = testRegistry();
gc();
const before = process.memoryUsage().arrayBuffers;
const session = createSession(spec, { registry });
session.step();
session.step();
gc();
const used = process.memoryUsage().arrayBuffers - before;
const { bytes } = estimateMemory(spec, { features: 128, steps: 1, outputs: 1, task: 'regression', rows: 2048 });
process.stdout.write(JSON.stringify({ estimate: bytes, used, steps: session.stepCount }));
