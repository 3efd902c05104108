/**
 * The free lab's playground (decision 0046): the training spec of a setting on one of core's 2-D
 * classification data sets, with its own activation per hidden layer. Like train-spec.ts for the
 * canonical net, this one function makes the spec the worker trains, the build's figure and the
 * downloaded file, so `gradlab run playground.spec.json` prints the same losses bit for bit.
 *
 * Setting keys read here:
 * - `data`: xor | circles | spirals | moons | clusters; `samples`: rows generated (20 % held out for the
 *   test split, core's default); `noise`: the inputs' Gaussian noise (clusters: the blobs' `spread`);
 * - `depth`, `width`: hidden dense layers and their units; `act1` … `act<depth>`: each hidden layer's
 *   activation (a missing one is an error naming the key);
 * - `initializer`, `gain` (only for initializers with a gain option), `biasInit`;
 * - `optimizer`, `lr`, `batch` (rows per step, shuffled every epoch), `trainSteps`, `seed`;
 * - `clip`/`clipThreshold`, `reg`/`lambda`, `norm`, `residual`: as train-spec.ts.
 * The loss is what core defines for the task: binary cross-entropy on one logit for the two-class sets,
 * softmax cross-entropy on one logit per class for the clusters (3 classes); the output layer is linear.
 */
import type { DenseLayerSpec, ExperimentSpec, LayerSpec, Registry } from '@gradlab/core';
import type { LoosePluginRef } from '@gradlab/plugin-api';
import type { Setting } from './protocol.ts';
import { clippingRefs, regularizerRefs, withNormAndResidual } from './train-spec.ts';

/** The data sets offered: core's 2-D classification sets. */
export const PLAYGROUND_DATA = ['spirals', 'xor', 'circles', 'moons', 'clusters'] as const;
export type PlaygroundData = (typeof PLAYGROUND_DATA)[number];
/** Hidden layers the playground offers (one activation control per layer). */
export const MAX_DEPTH = 6;
/** The probes behind the per-layer dashboard (playground-job.ts reads their reports). */
export const DASHBOARD_PROBES = ['grad-norms', 'saturation', 'dead-units', 'update-ratio'] as const;
/** Classes of the clusters set (core's default). */
export const CLUSTER_CLASSES = 3;

const str = (s: Setting, k: string, fallback: string) => (typeof s[k] === 'string' ? (s[k] as string) : fallback);
const numOr = (s: Setting, k: string, fallback: number) => (typeof s[k] === 'number' ? (s[k] as number) : fallback);

/** The setting's data set, checked. */
export function playgroundData(s: Setting): PlaygroundData {
  const id = str(s, 'data', 'spirals');
  if (!(PLAYGROUND_DATA as readonly string[]).includes(id))
    throw new TypeError(
      `lab setting data: "${id}" is not a 2-D classification set; use one of ${PLAYGROUND_DATA.join(', ')}.`,
    );
  return id as PlaygroundData;
}

/**
 * Each hidden layer's activation, from `act1` … `act<depth>`. A missing or unknown id is an error that
 * names its key and the ids the registry knows, so a hand-edited setting never trains something else.
 */
export function layerActivations(registry: Registry, s: Setting, depth: number): string[] {
  const known = registry.list('activation').map((d) => d.meta.id);
  return Array.from({ length: depth }, (_, i) => {
    const key = `act${i + 1}`;
    const id = s[key];
    if (typeof id !== 'string' || !registry.get('activation', id))
      throw new TypeError(
        `lab setting ${key}: ${id === undefined ? 'missing' : `unknown activation ${JSON.stringify(id)}`}; every hidden layer 1–${depth} needs one of ${known.join(', ')}.`,
      );
    return id;
  });
}

/** The data ref of a setting: core's dataset id with the options the lab sets. */
export function dataRef(s: Setting): LoosePluginRef {
  const id = playgroundData(s);
  const samples = numOr(s, 'samples', 200);
  const noise = numOr(s, 'noise', 0.1);
  if (id === 'clusters') return [id, { samples, classes: CLUSTER_CLASSES, features: 2, spread: noise }];
  return [id, { samples, noise }];
}

function initializerRef(registry: Registry, s: Setting): LoosePluginRef {
  const id = str(s, 'initializer', 'he');
  const def = registry.get('initializer', id);
  if (!def) {
    const known = registry.list('initializer').map((d) => d.meta.id);
    throw new TypeError(`lab setting initializer: unknown initializer "${id}"; use one of ${known.join(', ')}.`);
  }
  const gain = numOr(s, 'gain', 1);
  if (gain === 1) return id;
  if (!('gain' in (def.options as object)))
    throw new TypeError(`lab setting gain: the initializer "${id}" has no gain option; leave the gain at 1.`);
  return [id, { gain }];
}

/** The playground's training spec (see the module comment for the keys). */
export function playgroundSpec(registry: Registry, s: Setting): ExperimentSpec {
  const data = playgroundData(s);
  const depth = numOr(s, 'depth', 3);
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH)
    throw new TypeError(`lab setting depth: ${depth}; use a whole number of hidden layers from 1 to ${MAX_DEPTH}.`);
  const width = numOr(s, 'width', 8);
  const activations = layerActivations(registry, s, depth);
  const initializer = initializerRef(registry, s);
  const biasInit = numOr(s, 'biasInit', 0);
  const biasInitializer: LoosePluginRef = biasInit === 0 ? 'zeros' : ['constant', { value: biasInit }];
  const hidden: DenseLayerSpec[] = activations.map((activation) => ({
    type: 'dense',
    units: width,
    activation,
    initializer,
    biasInitializer,
  }));
  const outputs = data === 'clusters' ? CLUSTER_CLASSES : 1;
  const layers: LayerSpec[] = withNormAndResidual(
    [...hidden, { type: 'dense', units: outputs, activation: 'linear', initializer }],
    s,
  ).map((l, i) =>
    // The first hidden layer maps the 2 inputs to `width` units: a skip x + f(xW + b) needs equal widths.
    i === 0 && l.type === 'dense' && l.residual ? { ...l, residual: false } : l,
  );
  const clipping = clippingRefs(registry, s);
  const regularizers = regularizerRefs(registry, s);
  const steps = numOr(s, 'trainSteps', 500);
  const optimizer = str(s, 'optimizer', 'adam');
  return {
    name: 'site-playground',
    description: `${data}: ${depth} hidden × ${width} (${activations.join(', ')}), ${typeof initializer === 'string' ? initializer : `${initializer[0]} × ${s.gain}`}, ${optimizer} lr ${numOr(s, 'lr', 0.01)}, batch ${numOr(s, 'batch', 16)}, ${steps} steps`,
    seed: numOr(s, 'seed', 0),
    data: dataRef(s),
    model: { layers },
    train: {
      loss: data === 'clusters' ? 'softmax-ce' : 'bce',
      optimizer: [optimizer, { lr: numOr(s, 'lr', 0.01) }],
      batchSize: numOr(s, 'batch', 16),
      steps,
      ...(clipping.length && { clipping }),
      ...(regularizers.length && { regularizers }),
    },
    // The dashboard's probes, keeping their last record only; `gradlab run` attaches the same ones.
    probes: DASHBOARD_PROBES.map((id) => [id, { window: 1 }] as LoosePluginRef),
  };
}
