/**
 * Page 12's sanity check at initialization: a classifier's softmax cross-entropy against ln C as its
 * output weights grow. Its own module: the page shows it as a build-time figure, so the worker's page-12
 * chunk (near the 50 KB budget) does not carry it; the worker still has a loader for it (worker-jobs.ts).
 */
import { createSession, type ExperimentSpec, getLoss, type Registry } from '@gradlab/core';
import { canonicalSpec } from '@gradlab/probes';
import { canonicalOptions } from './canonical-options.ts';
import type { Num, Setting } from './protocol.ts';

// A finite number or null (JSON has no NaN/±Infinity); null and undefined give null too.
const num = (v: number | null | undefined): Num => (Number.isFinite(v) ? (v as number) : null);
const n = (s: Setting, k: string, d: number) => (typeof s[k] === 'number' ? (s[k] as number) : d);

/**
 * The canonical probe net's hidden stack on `classes` Gaussian clusters with a softmax cross-entropy
 * output of `classes` units whose weights are scaled by `outGain`; one step at learning rate 0, so
 * `gradlab run` on it prints the loss at initialization.
 */
export function sanitySpec(registry: Registry, s: Setting): ExperimentSpec {
  const base = canonicalSpec({ ...canonicalOptions(s), steps: 0, lr: 0 }, { registry });
  const classes = n(s, 'classes', 10);
  const layers = base.model.layers;
  const out = layers[layers.length - 1];
  const outInit = typeof s.initializer === 'string' ? s.initializer : 'he';
  return {
    ...base,
    name: 'site-sanity-loss',
    description: `${classes} clusters, softmax CE, output × ${n(s, 'outGain', 1)}`,
    data: ['clusters', { classes, samples: n(s, 'batch', 64), features: n(s, 'width', 64), spread: 1 }],
    model: {
      layers: [
        ...layers.slice(0, -1),
        { ...out, units: classes, initializer: [outInit, { gain: n(s, 'outGain', 1) }] },
      ] as ExperimentSpec['model']['layers'],
    },
    train: { ...base.train, loss: 'softmax-ce' },
  } as ExperimentSpec;
}

/** Output-weight gains the sanity job sweeps. */
export const OUTPUT_GAINS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10];

export interface SanityResult {
  readonly kind: 'sanity';
  readonly gains: number[];
  /** Softmax cross-entropy at initialization for each output gain (all rows of the batch). */
  readonly loss: Num[];
  /** ln C: the loss of a classifier that gives every class probability 1/C. */
  readonly chanceLoss: number;
  readonly classes: number;
  readonly spec: unknown;
}

/** The sanity check at initialization: the classifier's loss against ln C as its output weights grow. */
export function sanity(registry: Registry, s: Setting): SanityResult {
  const specs = OUTPUT_GAINS.map((outGain) => sanitySpec(registry, { ...s, outGain }));
  const loss = specs.map((spec) => {
    const { model, trainData: d } = createSession(spec, { registry });
    return num(getLoss(spec.train.loss).value(model.forward(d.x, d.rows, true), d.y, d.rows, d.outputs));
  });
  const classes = n(s, 'classes', 10);
  return {
    kind: 'sanity',
    gains: OUTPUT_GAINS,
    loss,
    chanceLoss: Math.log(classes),
    classes,
    spec: specs[4], // output gain 1
  };
}
