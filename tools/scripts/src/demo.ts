#!/usr/bin/env node
/**
 * `pnpm start`: the question gradlab answers, in one terminal run. A 20-layer, 64-unit network on
 * the canonical probe setup (x ~ N(0, I), y ~ N(0, 1), MSE, linear output) is run with four
 * activation/initializer pairs; for the first step we print ‖∂L/∂z_l‖ (the back-propagated
 * error, "delta") at the first and last hidden layer and their ratio:
 *   sigmoid + glorot  the ratio collapses (σ' ≤ 1/4 per layer: vanishing gradients)
 *   tanh + glorot     much better, but still shrinking
 *   relu + he         ≈ 1: f' = 1 on active units and He's ×2 variance keeps the scale
 *   relu + he, 4× var ‖δ‖ grows ×2 per layer: ReLU does not bound growth, so it can explode
 * Imports the workspace sources (no build needed) through the @gradlab/source condition.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useSourceCondition } from './lib/load.ts';
import { findRoot } from './lib/workspace.ts';

interface LayerTraceLike {
  readonly delta: Float64Array;
}
interface CoreLike {
  createRegistry(): { use(plugins: unknown): unknown };
  train(spec: unknown, options: { registry: unknown; probes?: readonly unknown[] }): { losses: readonly number[] };
  norm2(x: Float64Array): number;
}

const root = findRoot(import.meta.dirname);
useSourceCondition();
const load = (path: string) => import(pathToFileURL(join(root, path)).href);

let core: CoreLike;
let standard: unknown;
try {
  core = (await load('packages/core/src/index.ts')) as CoreLike;
  standard = (await load('packages/preset-standard/src/index.ts')).default;
} catch (error) {
  console.error(`The demo needs @gradlab/core and @gradlab/preset-standard to load:\n  ${(error as Error).message}`);
  process.exit(1);
}

const DEPTH = 20;
const WIDTH = 64;
const runs = [
  { label: 'sigmoid + glorot', activation: 'sigmoid', initializer: 'glorot' },
  { label: 'tanh + glorot', activation: 'tanh', initializer: 'glorot' },
  { label: 'relu + he', activation: 'relu', initializer: 'he' },
  { label: 'relu + he, 4× variance', activation: 'relu', initializer: ['normal', { std: Math.sqrt(8 / WIDTH) }] },
] as const;

const fmt = (x: number) => x.toExponential(2);
console.log(`First-step back-propagated error ‖∂L/∂z‖ in a ${DEPTH}-layer, ${WIDTH}-unit net (seed 42):\n`);
console.log(
  `${'activation + initializer'.padEnd(26)}${'layer 1'.padStart(10)}${`layer ${DEPTH}`.padStart(10)}${'ratio'.padStart(11)}  loss after 20 steps`,
);
for (const r of runs) {
  const deltas: number[] = [];
  const probe = {
    id: 'demo-delta-norms',
    options: {},
    onStep(trace: { layers: readonly LayerTraceLike[] }) {
      if (deltas.length === 0) for (const layer of trace.layers.slice(0, DEPTH)) deltas.push(core.norm2(layer.delta));
    },
    report: () => deltas,
  };
  const spec = {
    seed: 42,
    data: ['gaussian', { samples: 128, features: WIDTH }],
    model: {
      layers: [
        ...Array.from({ length: DEPTH }, () => ({
          type: 'dense',
          units: WIDTH,
          activation: r.activation,
          initializer: r.initializer,
        })),
        { type: 'dense', units: 1, initializer: 'glorot' },
      ],
    },
    train: { loss: 'mse', optimizer: ['sgd', { lr: 0.01 }], batchSize: 128, steps: 20, testFraction: 0 },
  };
  try {
    const registry = core.createRegistry();
    registry.use(standard);
    const run = core.train(spec, { registry, probes: [probe] });
    const [first, last] = [deltas[0], deltas[DEPTH - 1]];
    const loss = run.losses[run.losses.length - 1];
    console.log(
      `${r.label.padEnd(26)}${fmt(first).padStart(10)}${fmt(last).padStart(10)}${fmt(first / last).padStart(11)}  ${Number.isFinite(loss) && Math.abs(loss) < 1e4 ? loss.toFixed(4) : fmt(loss)}`,
    );
  } catch (error) {
    console.log(`${r.label.padEnd(26)}  could not run: ${(error as Error).message.split('\n')[0]}`);
  }
}
console.log(`
ratio = ‖∂L/∂z₁‖ / ‖∂L/∂z_${DEPTH}‖: ≪ 1 means the first layers barely learn (vanishing), ≫ 1 exploding.
Next: pnpm gradlab probe --help, and docs/ARCHITECTURE.md for how a training step runs.`);
