/**
 * Build time only: the controls a widget may use, generated from the registry's metadata (ids, titles,
 * option bounds) so a new plugin appears in every widget without editing the site. Widgets name the
 * controls they want; `only` narrows a select to a few ids for a focused figure.
 */
import { LIMITS, OPTIMIZERS, type Registry } from '@gradlab/core';
import { initOptionControl, optionOfKey } from './init-options.ts';
import { MAX_DEPTH, PLAYGROUND_DATA } from './playground-spec.ts';
import type { ControlDef } from './state.ts';

export type ControlName =
  | 'activation'
  | 'initializer'
  | 'optimizer'
  | 'depth'
  | 'gain'
  | 'biasInit'
  | 'alpha'
  | 'lr'
  | 'trainSteps'
  | 'steps'
  | 'clip'
  | 'clipThreshold'
  | 'reg'
  | 'lambda'
  | 'norm'
  | 'residual'
  | 'width'
  | 'batch'
  | 'seed'
  | 'layer'
  | 'reviveAt'
  | 'reviveActivation'
  | 'reviveLr'
  | 'rho'
  | 'timeSteps'
  | 'truncate'
  | 'inputStd'
  | 'recurrent'
  | 'h'
  | 'precision'
  | 'classes'
  // The playground (playground-spec.ts): the data set and each hidden layer's activation (`act1` …).
  | 'data'
  | 'samples'
  | 'noise'
  | `act${number}`
  // An initializer's own option (`initMode`, `initDistribution`, `initStd`, …): init-options.ts.
  | `init${Capitalize<string>}`;

export interface ControlRequest {
  readonly name: ControlName;
  /** Keep only these option values (selects). */
  readonly only?: readonly string[];
  /** Override the label or the numeric bounds. */
  readonly label?: string;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  /**
   * α and gain only: the control applies only while the chosen activation (α) or initializer (gain)
   * declares that option, read from the plugins' metadata; otherwise it is disabled and left out of the
   * setting (state.ts `applicableSetting`). For the free lab, where every control is always shown.
   */
  readonly conditional?: boolean;
}

/** Ids of the plugins of `kind` that declare option `option`. */
function declaring(registry: Registry, kind: 'activation' | 'initializer', option: string): string[] {
  return registry
    .list(kind)
    .filter((d) => option in (d.options as object))
    .map((d) => d.meta.id);
}

/** `control` with `appliesWhen` set from the metadata, when the request asks for it. */
function conditional(
  registry: Registry,
  req: ControlRequest,
  control: ControlDef,
  on: 'activation' | 'initializer',
  option: string,
): ControlDef {
  if (!req.conditional) return control;
  const values = declaring(registry, on, option);
  const label = `${control.label.replace(/ \(.*\)$/, '')} (if the ${on} has one)`;
  return { ...control, label, appliesWhen: { control: on, values } };
}

const LRS = ['0.0001', '0.001', '0.01', '0.03', '0.1', '0.3', '1'];
/** Decades from "no pressure" to "starves the data gradient" (regularizer strengths λ). */
const LAMBDAS = ['0.00001', '0.0001', '0.001', '0.01', '0.1', '1'];
/** Clipping thresholds, log-spaced (a value bound, a norm, or AGC's ratio: each rule's first numeric option). */
const THRESHOLDS = ['0.001', '0.01', '0.1', '0.5', '1', '5', '10'];

export function buildControl(registry: Registry, req: ControlRequest): ControlDef {
  if (optionOfKey(req.name)) return initOptionControl(registry, req.name, req);
  const select = (label: string, options: { value: string; label: string }[], numeric = false): ControlDef => ({
    kind: 'select',
    name: req.name,
    label: req.label ?? label,
    options: req.only ? req.only.map((v) => options.find((o) => o.value === v) ?? { value: v, label: v }) : options,
    numeric,
  });
  const range = (label: string, min: number, max: number, step: number, integer = false): ControlDef => ({
    kind: 'range',
    name: req.name,
    label: req.label ?? label,
    min: req.min ?? min,
    max: req.max ?? max,
    step: req.step ?? step,
    integer,
  });
  /** A select over fixed numbers (learning rates, strengths, thresholds): log-spaced values read as numbers. */
  const numbers = (label: string, values: readonly string[]) =>
    select(
      label,
      values.map((v) => ({ value: v, label: v })),
      true,
    );
  const choices = (...values: string[]) => values.map((v) => ({ value: v, label: v }));
  const list = (kind: 'activation' | 'initializer' | 'clipping' | 'regularizer') =>
    registry.list(kind).map((d) => ({ value: d.meta.id, label: d.meta.title }));
  // Hidden layer k's activation: applies while the depth is at least k (greyed out, kept in the URL, above it).
  const layer = /^act([1-9]\d*)$/.exec(req.name);
  if (layer) {
    const k = Number(layer[1]);
    if (k > MAX_DEPTH)
      throw new TypeError(`lab control "${req.name}": the playground has at most ${MAX_DEPTH} hidden layers.`);
    const depths = Array.from({ length: MAX_DEPTH - k + 1 }, (_, i) => String(k + i));
    return {
      ...select(`Layer ${k} activation`, list('activation')),
      appliesWhen: { control: 'depth', values: depths },
    };
  }
  switch (req.name) {
    case 'data':
      return select('Data set', choices(...PLAYGROUND_DATA));
    case 'samples':
      return range('Points (20 % held out)', 50, 1000, 50, true);
    case 'noise':
      return range('Noise (clusters: spread)', 0, 1, 0.05);
    case 'activation':
      return select('Activation', list('activation'));
    case 'initializer':
      return select('Initializer', list('initializer'));
    case 'optimizer':
      return select(
        'Optimizer',
        Object.keys(OPTIMIZERS).map((id) => ({ value: id, label: id })),
      );
    case 'depth':
      return range('Hidden layers', 1, Math.min(30, LIMITS.layers - 1), 1, true);
    case 'layer':
      return range('Layer shown', 1, 30, 1, true);
    case 'gain':
      return conditional(registry, req, range('Gain g', 0.25, 3, 0.05), 'initializer', 'gain');
    case 'biasInit':
      return range('Initial bias', -1, 1.5, 0.05);
    case 'alpha': {
      // The bounds of the activations' own `alpha` option (leaky-relu's slope, elu's scale).
      const specs = registry
        .list('activation')
        .map((d) => (d.options as Record<string, { min?: number; max?: number; step?: number }>).alpha)
        .filter((o) => o !== undefined);
      const min = Math.max(0, Math.min(...specs.map((o) => o.min ?? 0)));
      const max = Math.min(1, Math.max(...specs.map((o) => o.max ?? 1)));
      return conditional(registry, req, range('α (activation option)', min, max, 0.01), 'activation', 'alpha');
    }
    case 'lr':
      return numbers('Learning rate', LRS);
    case 'steps':
      return range('Steps before measuring', 0, 50, 5, true);
    case 'trainSteps':
      return range('Training steps', 10, 300, 10, true);
    case 'clip':
      return select('Clipping', [...choices('none'), ...list('clipping')]);
    case 'clipThreshold':
      return numbers('Clipping threshold', THRESHOLDS);
    case 'reg':
      return select('Regularizer', [...choices('none'), ...list('regularizer')]);
    case 'lambda':
      return numbers('Strength λ', LAMBDAS);
    case 'residual':
      return select('Residual connections', choices('off', 'on'));
    // The second phase of a two-phase run (train-phases.ts).
    case 'reviveAt':
      return range('Switch at step', 0, 50, 5, true);
    case 'reviveActivation':
      return select('Activation after the switch', list('activation'));
    case 'reviveLr':
      return numbers('Learning rate after the switch', LRS);
    case 'width':
      return range('Units per layer', 2, Math.min(256, LIMITS.units), 1, true);
    case 'batch':
      return range('Batch size', 2, 256, 1, true);
    case 'seed':
      return range('Seed', 0, 1000, 1, true);
    // Recurrent networks (page 11): see rnn-job.ts.
    case 'rho':
      return range('Spectral radius ρ of W_h', 0.5, 2, 0.05);
    case 'timeSteps':
      return range('Time steps T', 5, 100, 5, true);
    case 'truncate':
      return range('Backprop through (steps)', 1, 100, 1, true);
    case 'inputStd':
      return numbers('Input scale', ['0.01', '0.1', '1', '3']);
    case 'recurrent':
      return select(
        'W_h drawn by',
        ['normal', 'orthogonal'].map((id) => ({ value: id, label: registry.get('initializer', id)?.meta.title ?? id })),
      );
    // The gradient check and the sanity loss (page 12): see gradcheck-job.ts.
    case 'h':
      return select(
        'Step h',
        ['0.01', '0.001', '0.0001', '0.00001', '0.000001', '1e-7', '1e-8'].map((v) => ({ value: v, label: v })),
        true,
      );
    case 'precision':
      return select('Loss values in', [
        { value: 'float64', label: 'float64' },
        { value: 'float32', label: 'float32 (rounded)' },
      ]);
    case 'classes':
      return range('Classes C', 2, 64, 1, true);
    case 'norm':
      return select('Normalization', [...choices('none'), { value: 'batchnorm', label: 'batch norm' }]);
  }
  throw new TypeError(`lab control "${req.name}" is not in the catalog (src/lab/catalog.ts).`);
}
