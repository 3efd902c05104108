/**
 * The settings a finding's fixes change, applied to the two kinds of setup gradlab runs: the
 * canonical probe setup ({@link CanonicalOptions}, the CLI's `probe` flags) and an experiment
 * spec (`run`). A change that would leave the setup as it is is "not applicable": hints and
 * `doctor` never suggest what the setup already has.
 */
import { type ExperimentSpec, OPTIMIZERS } from '@gradlab/core';
import type { LoosePluginRef } from '@gradlab/plugin-api';
import { CANONICAL_DEFAULTS, type CanonicalOptions } from './canonical.ts';

/** One concrete change; fields together form one fix (e.g. activation and initializer). */
export interface SetupChange {
  /** Hidden-layer activation id. */
  readonly activation?: string;
  /** Hidden-layer weight initializer id (plain, without extra gain). */
  readonly initializer?: string;
  /** Multiplier of the hidden weights' std (canonical setup only). */
  readonly gain?: number;
  /** Constant initial value of the hidden biases. */
  readonly bias?: number;
  /** Multiply the learning rate by this. */
  readonly lrFactor?: number;
  /** Add this clipping transform (specs only). */
  readonly clipping?: string;
  /** Recurrent-weight initializer of rnn layers (specs only). */
  readonly recurrentInitializer?: string;
}

/** Where a change is written: `probe`/`doctor` flags, or spec fields. */
export type Syntax = 'cli' | 'spec';

/** A setup: the canonical probe options, or a spec. */
export type Setup =
  | { readonly kind: 'probe'; readonly options: Partial<CanonicalOptions> }
  | { readonly kind: 'spec'; readonly spec: ExperimentSpec };

/** The optimizers' (and the CLI's) upper bound on the learning rate. */
const MAX_LR = 100;

const idOf = (ref: LoosePluginRef | undefined): string | undefined => (typeof ref === 'string' ? ref : ref?.[0]);
const optionsOf = (ref: LoosePluginRef | undefined): Record<string, unknown> =>
  (Array.isArray(ref) ? ref[1] : undefined) ?? {};

/** The learning rate a spec trains with (its optimizer's default when unset). */
export function specLr(spec: ExperimentSpec): number {
  const ref = spec.train.optimizer;
  const set = optionsOf(ref).lr;
  if (typeof set === 'number') return set;
  const def = OPTIMIZERS[idOf(ref) ?? 'sgd']?.options as { lr?: { default?: number } } | undefined;
  return def?.lr?.default ?? 0.01;
}

/** `change` applied to the canonical options, or undefined when it does not apply or changes nothing. */
export function applyToOptions(
  o: Partial<CanonicalOptions>,
  change: SetupChange,
  code?: string,
): Partial<CanonicalOptions> | undefined {
  const full = { ...CANONICAL_DEFAULTS, ...o };
  if (change.clipping !== undefined || change.recurrentInitializer !== undefined) return undefined;
  // Without training steps the learning rate only sets the measured step's own update ratio.
  const lrMatters = full.steps > 0 || code === 'UPDATE_RATIO';
  if (change.lrFactor !== undefined && (!lrMatters || full.lr * change.lrFactor > MAX_LR)) return undefined;
  const next: Partial<CanonicalOptions> = {
    ...o,
    ...(change.activation !== undefined && { activation: change.activation }),
    ...(change.initializer !== undefined && { initializer: change.initializer }),
    ...(change.gain !== undefined && { gain: change.gain }),
    ...(change.bias !== undefined && { biasInit: change.bias }),
    ...(change.lrFactor !== undefined && { lr: full.lr * change.lrFactor }),
  };
  const same = (['activation', 'initializer', 'gain', 'biasInit', 'lr'] as const).every(
    (k) => JSON.stringify(next[k] ?? full[k]) === JSON.stringify(full[k]),
  );
  if (same) return undefined;
  // A new activation or initializer drops alpha when the new activation has none (the probe would refuse it).
  if (change.activation !== undefined && next.alpha !== undefined && change.activation !== idOf(full.activation))
    delete (next as { alpha?: number }).alpha;
  return next;
}

/** `change` applied to a spec, or undefined when it does not apply or changes nothing. */
export function applyToSpec(spec: ExperimentSpec, change: SetupChange): ExperimentSpec | undefined {
  if (change.gain !== undefined) return undefined;
  const layers = spec.model.layers;
  const hidden = (i: number) => i < layers.length - 1;
  const nextLayers = layers.map((l, i) => {
    if (!hidden(i)) return l;
    if (l.type === 'batchnorm') {
      return change.activation !== undefined && l.activation !== undefined && idOf(l.activation) !== 'linear'
        ? { ...l, activation: change.activation }
        : l;
    }
    // The activation in effect: the layer's, else model.defaults', else the layer type's default.
    const effective =
      idOf(l.activation) ?? idOf(spec.model.defaults?.activation) ?? (l.type === 'rnn' ? 'tanh' : 'linear');
    const isLinear = effective === 'linear' && l.type === 'dense';
    // Likewise the initializer in effect: a change to what model.defaults already gives is no change.
    // (compared as refs: ['glorot', { gain: 2 }] → 'glorot' is a change).
    const initInEffect = JSON.stringify(l.initializer ?? spec.model.defaults?.initializer);
    return {
      ...l,
      ...(change.activation !== undefined &&
        !isLinear &&
        effective !== change.activation && { activation: change.activation }),
      ...(change.initializer !== undefined &&
        initInEffect !== JSON.stringify(change.initializer) && { initializer: change.initializer }),
      ...(change.bias !== undefined && {
        biasInitializer: change.bias === 0 ? 'zeros' : (['constant', { value: change.bias }] as LoosePluginRef),
      }),
      ...(change.recurrentInitializer !== undefined &&
        l.type === 'rnn' && { recurrentInitializer: change.recurrentInitializer }),
    };
  });
  const train = { ...spec.train };
  if (change.lrFactor !== undefined && specLr(spec) * change.lrFactor > MAX_LR) return undefined;
  if (change.lrFactor !== undefined) {
    const ref = spec.train.optimizer;
    train.optimizer = [idOf(ref) ?? 'sgd', { ...optionsOf(ref), lr: specLr(spec) * change.lrFactor }];
  }
  if (change.clipping !== undefined) {
    const has = (spec.train.clipping ?? []).some((c) => idOf(c as LoosePluginRef) === change.clipping);
    if (!has) train.clipping = [...(spec.train.clipping ?? []), change.clipping];
  }
  const next: ExperimentSpec = { ...spec, model: { ...spec.model, layers: nextLayers }, train };
  return JSON.stringify(next) === JSON.stringify(spec) ? undefined : next;
}

/**
 * The setup after `change`, or undefined when the change does not apply or changes nothing;
 * `code` is the finding it is meant to fix, when that matters for whether it applies.
 */
export function applyChange(setup: Setup, change: SetupChange, code?: string): Setup | undefined {
  if (setup.kind === 'probe') {
    const options = applyToOptions(setup.options, change, code);
    return options && { kind: 'probe', options };
  }
  const spec = applyToSpec(setup.spec, change);
  return spec && { kind: 'spec', spec };
}

/** Equal for setups that run the same: probe options over their defaults, key by key; a spec as it is. */
export function setupKey(setup: Setup): string {
  if (setup.kind === 'spec') return JSON.stringify(setup.spec);
  const full: Record<string, unknown> = { ...CANONICAL_DEFAULTS, ...setup.options };
  return JSON.stringify(
    Object.keys(full)
      .filter((k) => full[k] !== undefined)
      .sort()
      .map((k) => [k, full[k]]),
  );
}

/** A number as a flag value: 3 significant digits, no exponent for ordinary learning rates. */
const plain = (x: number) => String(Number(x.toPrecision(3)));

/** A change as CLI flags or spec fields; with a setup, relative changes (lr ×0.1) become values. */
export function describeChange(change: SetupChange, syntax: Syntax, setup?: Setup): string {
  const lr =
    change.lrFactor === undefined
      ? undefined
      : setup?.kind === 'probe'
        ? plain((setup.options.lr ?? CANONICAL_DEFAULTS.lr) * change.lrFactor)
        : setup?.kind === 'spec'
          ? plain(specLr(setup.spec) * change.lrFactor)
          : undefined;
  const parts: string[] = [];
  if (syntax === 'cli') {
    if (change.activation !== undefined) parts.push(`--activation ${change.activation}`);
    if (change.initializer !== undefined) parts.push(`--init ${change.initializer}`);
    if (change.gain !== undefined) parts.push(`--gain ${change.gain}`);
    if (change.bias !== undefined) parts.push(`--bias ${change.bias}`);
    if (change.lrFactor !== undefined) parts.push(lr === undefined ? `--lr (×${change.lrFactor})` : `--lr ${lr}`);
    if (change.clipping !== undefined) parts.push(`clipping '${change.clipping}' (in a spec)`);
    if (change.recurrentInitializer !== undefined)
      parts.push(`recurrentInitializer '${change.recurrentInitializer}' (in a spec)`);
    return parts.join(' ');
  }
  if (change.activation !== undefined) parts.push(`activation '${change.activation}'`);
  if (change.initializer !== undefined) parts.push(`initializer '${change.initializer}'`);
  if (change.gain !== undefined) parts.push(`initializer without extra gain (×${change.gain})`);
  if (change.bias !== undefined)
    parts.push(
      change.bias === 0 ? "biasInitializer 'zeros'" : `biasInitializer ['constant', { value: ${change.bias} }]`,
    );
  if (change.recurrentInitializer !== undefined) parts.push(`recurrentInitializer '${change.recurrentInitializer}'`);
  const layerPart = parts.length ? `${parts.join(', ')} on the hidden layers` : '';
  const trainParts: string[] = [];
  if (change.lrFactor !== undefined) trainParts.push(lr === undefined ? `lr ×${change.lrFactor}` : `lr ${lr}`);
  if (change.clipping !== undefined) trainParts.push(`clipping ['${change.clipping}']`);
  return [layerPart, trainParts.length ? `train: ${trainParts.join(', ')}` : ''].filter(Boolean).join('; ');
}
