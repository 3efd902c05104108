import { LIMITS, OPTIMIZERS, type Registry } from '@gradlab/core';
import type { ActivationMeta, LoosePluginRef } from '@gradlab/plugin-api';
import { checkOptions } from '@gradlab/plugin-api';
import {
  CANONICAL_DEFAULTS,
  type CanonicalOptions,
  canonicalSpec,
  checkProbeOptions,
  initializersWithGain,
  type OptimizerId,
} from '@gradlab/probes';
import { type FlagSpec, parseChoice, parseInteger, parseNumber, splitList } from './args.ts';
import { usageError } from './errors.ts';
import { resolvePluginId } from './plugins.ts';

/** One point of the canonical setup, as the CLI names it. */
export interface ProbeSetting {
  readonly activation: string;
  /** The initializer id used (with `--init auto`, the activation's recommendedInitializer). */
  readonly init: string;
  /** True when `init` came from `--init auto`. */
  readonly initAuto?: boolean;
  readonly depth: number;
  readonly width: number;
  readonly batch: number;
  readonly seed: number;
  readonly gain: number;
  readonly bias: number;
  readonly alpha?: number;
  readonly steps: number;
  readonly optimizer: OptimizerId;
  readonly lr: number;
}

/** Setting keys in the order tables and CSVs show them. */
export const SETTING_KEYS = [
  'activation',
  'init',
  'depth',
  'width',
  'batch',
  'seed',
  'gain',
  'bias',
  'alpha',
  'steps',
  'optimizer',
  'lr',
] as const satisfies readonly (keyof ProbeSetting)[];
type Key = (typeof SETTING_KEYS)[number];

const D = CANONICAL_DEFAULTS;
const MAX_DEPTH = LIMITS.layers - 1;

/** `--init auto`: each activation's own recommendedInitializer. */
export const AUTO_INIT = 'auto';

/** The canonical-setup flags shared by `probe` and `compare` (`compare` defaults to `--init auto`). */
export function settingFlags(list: boolean): Record<Key, FlagSpec> {
  const v = (name: string) => (list ? `${name}[,…]` : name);
  return {
    activation: {
      type: 'string',
      value: v('ID'),
      description: 'Hidden activation: id or alias.',
      default: D.activation,
    },
    init: {
      type: 'string',
      value: v('ID'),
      description:
        "Weight initializer: id or alias (kaiming = he, xavier = glorot), with its own options as ID:OPTION=VALUE (he:mode=fan-out, normal:std=0.01), or auto (each activation's recommended one).",
      default: list ? AUTO_INIT : D.initializer,
    },
    depth: {
      type: 'string',
      value: v('N'),
      description: `Hidden layers, 1 to ${MAX_DEPTH}.`,
      default: String(D.depth),
    },
    width: {
      type: 'string',
      value: v('N'),
      description: `Units per hidden layer and input dimension, 1 to ${LIMITS.units}.`,
      default: String(D.width),
    },
    batch: { type: 'string', value: v('N'), description: 'Rows of the probe batch.', default: String(D.batch) },
    seed: { type: 'string', value: v('N'), description: 'Seed of data and weights.', default: String(D.seed) },
    gain: {
      type: 'string',
      value: v('X'),
      description: "Multiplies the hidden weights (the initializer's gain option: the same draw, scaled).",
      default: String(D.gain),
    },
    bias: { type: 'string', value: v('X'), description: 'Constant initial value of every hidden bias.', default: '0' },
    alpha: {
      type: 'string',
      value: v('X'),
      description: "The activation's alpha option (leaky-relu negative slope, elu saturation).",
    },
    steps: {
      type: 'string',
      value: v('N'),
      description: 'Optimizer steps before the measured one (0 measures at initialization).',
      default: String(D.steps),
    },
    lr: { type: 'string', value: v('X'), description: 'Learning rate of those steps.', default: String(D.lr) },
    optimizer: {
      type: 'string',
      value: v('ID'),
      description: `Optimizer of those steps: ${Object.keys(OPTIMIZERS).join(', ')}.`,
      default: D.optimizer,
    },
  };
}

type Parsers = { [K in Key]: (raw: string, registry: Registry) => ProbeSetting[K] };

const PARSERS: Parsers = {
  activation: (raw, r) => resolvePluginId(r, 'activation', raw),
  init: (raw, r) => (raw === AUTO_INIT ? AUTO_INIT : parseInit(raw, r)),
  depth: (raw) => parseInteger('depth', raw, 1, MAX_DEPTH),
  width: (raw) => parseInteger('width', raw, 1, LIMITS.units),
  batch: (raw) => parseInteger('batch', raw, 1, LIMITS.batchSize),
  seed: (raw) => parseInteger('seed', raw, 0, Number.MAX_SAFE_INTEGER),
  gain: (raw) => parseNumber('gain', raw, 0, 1e6),
  bias: (raw) => parseNumber('bias', raw, -1e6, 1e6),
  alpha: (raw) => parseNumber('alpha', raw, 0, 1e6),
  steps: (raw) => parseInteger('steps', raw, 0, 1_000_000),
  lr: (raw) => parseNumber('lr', raw, 0, 100),
  optimizer: (raw) => parseChoice('optimizer', raw, Object.keys(OPTIMIZERS) as OptimizerId[]),
};

/**
 * `--init ID` or `--init ID:OPTION=VALUE[:OPTION=VALUE…]` (he:mode=fan-out, normal:std=0.01): the
 * initializer's own options, checked against its schema with the rest of the setting. Returned as
 * `id` or `id:option=value…` with the canonical id and the options in the order given.
 */
function parseInit(raw: string, registry: Registry): string {
  const [name, ...pairs] = raw.split(':');
  const id = resolvePluginId(registry, 'initializer', name);
  for (const pair of pairs) {
    if (!/^[A-Za-z]\w*=[^=]+$/.test(pair))
      throw usageError(
        `--init ${raw}: "${pair}" is not OPTION=VALUE; write e.g. --init he:mode=fan-out or --init normal:std=0.01.`,
      );
  }
  return [id, ...pairs].join(':');
}

/** The initializer reference of an `--init` value: `he` or ['he', { mode: 'fan-out' }] (numbers parsed). */
export function initRef(init: string): LoosePluginRef {
  const [id, ...pairs] = init.split(':');
  if (!pairs.length) return id;
  const options: Record<string, string | number> = {};
  for (const pair of pairs) {
    const [k, v] = pair.split('=');
    options[k] = v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return [id, options];
}

const DEFAULTS: Omit<ProbeSetting, 'alpha'> = {
  activation: D.activation,
  init: D.initializer,
  depth: D.depth,
  width: D.width,
  batch: D.batch,
  seed: D.seed,
  gain: D.gain,
  bias: D.biasInit,
  steps: D.steps,
  optimizer: D.optimizer,
  lr: D.lr,
};

/**
 * Settings from flag values. With `lists`, every flag may be a comma list and the result is
 * every combination (first flag varies slowest); `varied` names the flags with several values.
 */
export function parseSettings(
  values: Readonly<Record<string, string | boolean | undefined>>,
  registry: Registry,
  lists: boolean,
): { settings: ProbeSetting[]; varied: Key[] } {
  const choices = SETTING_KEYS.map((key) => {
    const raw = values[key] ?? (key === 'init' && lists ? AUTO_INIT : undefined);
    if (typeof raw !== 'string') return [key, [key === 'alpha' ? undefined : DEFAULTS[key]]] as const;
    const items = lists ? splitList(key, raw) : [raw];
    if (!lists && raw.includes(',')) {
      throw usageError(`--${key} takes one value in gradlab probe (received "${raw}"); gradlab compare takes lists.`);
    }
    return [key, [...new Set(items.map((item) => PARSERS[key](item, registry)))]] as const;
  });
  let settings: Record<string, unknown>[] = [{}];
  for (const [key, options] of choices) {
    settings = settings.flatMap((s) => options.map((o) => (o === undefined ? s : { ...s, [key]: o })));
  }
  const result = (settings as unknown as ProbeSetting[]).map((s) =>
    s.init === AUTO_INIT ? { ...s, init: recommendedInit(s.activation, registry), initAuto: true } : s,
  );
  if (result.length > 1000) {
    throw usageError(`These lists make ${result.length} settings; gradlab compare runs at most 1000 at once.`);
  }
  for (const s of result) {
    checkSetting(s, registry);
    checkWithRunProbe(s, registry);
  }
  // Varied = more than one value across the settings (with --init auto, init varies with the activation).
  const varied = SETTING_KEYS.filter((k) => new Set(result.map((r) => r[k])).size > 1);
  return { settings: result, varied };
}

/** The activation's recommendedInitializer, resolved in the registry; a usage error when it has none. */
function recommendedInit(activation: string, registry: Registry): string {
  const id = (registry.get('activation', activation)?.meta as ActivationMeta | undefined)?.recommendedInitializer;
  if (id === undefined || !registry.get('initializer', id)) {
    throw usageError(
      `--init auto: activation "${activation}" ${id === undefined ? 'recommends no initializer' : `recommends "${id}", which is not registered`}; pass --init with an id (gradlab list initializer).`,
    );
  }
  return registry.get('initializer', id)!.meta.id;
}

/** Combinations the flags allow one by one but the setup does not. */
function checkSetting(s: ProbeSetting, registry: Registry): void {
  const params = s.depth * s.width * (s.width + 1) + s.width + 1;
  if (params > LIMITS.parameters) {
    throw usageError(
      `--depth ${s.depth} with --width ${s.width} makes ${params} parameters; the limit is ${LIMITS.parameters}. Use fewer or narrower layers.`,
    );
  }
  const actOptions = registry.get('activation', s.activation)?.options ?? {};
  if (s.alpha !== undefined && !('alpha' in actOptions)) {
    const withAlpha = registry
      .list('activation')
      .filter((d) => 'alpha' in d.options)
      .map((d) => d.meta.id);
    throw usageError(
      `--alpha needs an activation with an alpha option (${withAlpha.join(', ')}); "${s.activation}" has none.`,
    );
  }
  // The range comes from the activation's own option schema (leaky-relu: 0 to 1), checked once here
  // rather than once per hidden layer by the spec validation.
  const [alphaIssue] =
    s.alpha === undefined ? [] : checkOptions(`activation "${s.activation}"`, actOptions, { alpha: s.alpha });
  if (alphaIssue)
    throw usageError(`--alpha ${s.alpha}: ${alphaIssue.message}${alphaIssue.hint ? ` alpha: ${alphaIssue.hint}` : ''}`);
  if (s.gain !== 1 && !('gain' in (registry.get('initializer', s.init.split(':')[0])?.options ?? {}))) {
    throw usageError(
      `--gain needs an initializer with a gain option (${initializersWithGain(registry).join(', ')}); "${s.init}" has none.`,
    );
  }
}

/** runProbe's option names that differ from the flags. */
const FLAG_OF: Record<string, string> = { initializer: 'init', biasInit: 'bias' };

/**
 * What the flags allow one by one but runProbe refuses (memory over the limit for these sizes,
 * plugin option ranges): runProbe's own check, reported with the flag's name, before running.
 */
function checkWithRunProbe(s: ProbeSetting, registry: Registry): void {
  const [issue] = checkProbeOptions(canonicalOptions(s), registry, (o) => canonicalSpec(o, { registry }));
  if (issue) {
    const flag = `--${FLAG_OF[issue.option] ?? issue.option}`;
    throw usageError(
      `${flag} ${s[(FLAG_OF[issue.option] ?? issue.option) as Key] ?? ''}: ${issue.message}`.replace(' :', ':'),
    );
  }
}

/** The options of @gradlab/probes' runProbe for a setting. */
export function canonicalOptions(s: ProbeSetting): Partial<CanonicalOptions> {
  return {
    activation: s.activation,
    initializer: initRef(s.init),
    depth: s.depth,
    width: s.width,
    batch: s.batch,
    seed: s.seed,
    gain: s.gain,
    biasInit: s.bias,
    ...(s.alpha !== undefined ? { alpha: s.alpha } : {}),
    steps: s.steps,
    optimizer: s.optimizer,
    lr: s.lr,
  };
}
