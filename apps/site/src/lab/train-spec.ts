/**
 * The training spec of a lab setting: the canonical net of `gradlab probe` (same data, same init, same
 * seed) trained for `trainSteps` steps, with the knobs part 2's pages turn. Every widget, the build-time
 * figures, the quizzes and the downloaded spec go through this one function, so `gradlab run` on the
 * downloaded file reproduces the page's numbers.
 *
 * Setting keys read here (besides the probe's, see `canonicalOptions`):
 * - `trainSteps` (default 100): steps of the run;
 * - `clip`: `none` or a clipping plugin id; `clipThreshold`: that rule's threshold (`clipNorm` is the
 *   older name, still read);
 * - `reg`: `none` or a regularizer plugin id; `lambda`: its `strength`;
 * - `norm`: `none` | `batchnorm` (each hidden dense layer becomes linear, followed by batch norm
 *   carrying the activation);
 * - `residual`: `off` | `on` (every hidden dense layer adds its input to its output).
 */
import type { ExperimentSpec, LayerSpec, Registry } from '@gradlab/core';
import type { LoosePluginRef } from '@gradlab/plugin-api';
import { canonicalSpec } from '@gradlab/probes';
import { addingSpec } from './adding-task.ts';
import { canonicalOptions } from './canonical-options.ts';
import type { Setting } from './protocol.ts';

const str = (s: Setting, k: string, fallback: string) => (typeof s[k] === 'string' ? (s[k] as string) : fallback);
const numOr = (s: Setting, k: string, fallback: number) => (typeof s[k] === 'number' ? (s[k] as number) : fallback);

/**
 * The option of a clipping rule that the lab's threshold control sets: its first declared numeric
 * option (value: `clip`, norm and global-norm: `maxNorm`, adaptive: `clipping`). Read from the plugin's
 * metadata, so a new clipping plugin works here by declaring its threshold first.
 */
export function thresholdOption(registry: Registry, id: string): string {
  const def = registry.get('clipping', id);
  if (!def) {
    const known = registry.list('clipping').map((d) => d.meta.id);
    throw new TypeError(`lab setting clip: unknown clipping rule "${id}"; use none or one of ${known.join(', ')}.`);
  }
  const name = Object.entries(def.options as Record<string, { type?: string }>).find(
    ([, o]) => o.type === 'number',
  )?.[0];
  if (!name) throw new TypeError(`lab setting clip: clipping rule "${id}" declares no numeric threshold option.`);
  return name;
}

/** The `train.clipping` refs of a setting (also the playground's, playground-spec.ts). */
export function clippingRefs(registry: Registry, s: Setting): LoosePluginRef[] {
  const id = str(s, 'clip', 'none');
  if (id === 'none') return [];
  const threshold = numOr(s, 'clipThreshold', numOr(s, 'clipNorm', 1));
  return [[id, { [thresholdOption(registry, id)]: threshold }]];
}

/** The `train.regularizers` refs of a setting. */
export function regularizerRefs(registry: Registry, s: Setting): LoosePluginRef[] {
  const id = str(s, 'reg', 'none');
  if (id === 'none') return [];
  if (!registry.get('regularizer', id)) {
    const known = registry.list('regularizer').map((d) => d.meta.id);
    throw new TypeError(
      `lab setting reg: unknown regularizer "${id}"; use none or one of ${known.join(', ') || '(none registered in this registry)'}.`,
    );
  }
  return [[id, { strength: numOr(s, 'lambda', 1e-4) }]];
}

/** The layers with the setting's batch norm or residual connections on every hidden dense layer. */
export function withNormAndResidual(layers: readonly LayerSpec[], s: Setting): LayerSpec[] {
  const norm = str(s, 'norm', 'none');
  const residual = str(s, 'residual', 'off');
  if (norm !== 'none' && norm !== 'batchnorm')
    throw new TypeError(`lab setting norm: "${norm}"; use none or batchnorm.`);
  if (residual !== 'off' && residual !== 'on')
    throw new TypeError(`lab setting residual: "${residual}"; use off or on.`);
  if (norm === 'batchnorm' && residual === 'on') {
    // A residual dense layer adds its input after its own activation; with batch norm the activation
    // moves to the batch-norm layer, so the skip would bypass nothing meaningful. Refuse, don't guess.
    throw new TypeError('lab setting residual: batch norm and residual together are not offered; turn one off.');
  }
  return layers.flatMap((layer, i, all) => {
    if (i === all.length - 1 || layer.type !== 'dense') return [layer];
    if (residual === 'on') return [{ ...layer, residual: true }];
    if (norm === 'batchnorm') {
      return [
        { ...layer, activation: 'linear' },
        { type: 'batchnorm' as const, activation: layer.activation },
      ];
    }
    return [layer];
  });
}

/** The training spec of a setting (see the module comment for the keys). */
export function trainSpec(registry: Registry, s: Setting): ExperimentSpec {
  // Page 11's adding task: a recurrent net on sequences instead of the canonical dense net.
  if (s.task === 'adding') return addingSpec(clippingRefs(registry, s), s);
  const steps = numOr(s, 'trainSteps', 100);
  const spec = canonicalSpec({ ...canonicalOptions(s), steps: steps - 1 }, { registry });
  const clipping = clippingRefs(registry, s);
  const regularizers = regularizerRefs(registry, s);
  const extras = [
    str(s, 'norm', 'none') === 'batchnorm' && 'batch norm',
    str(s, 'residual', 'off') === 'on' && 'residual',
    clipping.length && `${str(s, 'clip', '')} clipping at ${numOr(s, 'clipThreshold', numOr(s, 'clipNorm', 1))}`,
    regularizers.length && `${str(s, 'reg', '')} λ = ${numOr(s, 'lambda', 1e-4)}`,
  ].filter(Boolean);
  return {
    ...spec,
    name: 'site-training',
    description: `${spec.description}; ${steps} steps${extras.map((e) => `, ${e}`).join('')}`,
    model: { layers: withNormAndResidual(spec.model.layers, s) },
    train: {
      ...spec.train,
      ...(clipping.length && { clipping }),
      ...(regularizers.length && { regularizers }),
    },
  } as ExperimentSpec;
}
