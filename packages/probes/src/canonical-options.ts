import {
  createRegistry,
  type ExperimentSpec,
  gradlabError,
  LIMITS,
  OPTIMIZERS,
  type Registry,
  validateExperiment,
} from '@gradlab/core';
import { describeValue, suggestNames } from '@gradlab/plugin-api';
import standard from '@gradlab/preset-standard';

/** One problem with runProbe's options, named by the option (never by an internal spec path). */
export interface ProbeOptionIssue {
  readonly option: string;
  readonly message: string;
}

/** The registry runProbe uses when none is given: core's built-ins and the standard preset. */
export const standardRegistry = (): Registry => createRegistry().use(standard);

const KEYS = [
  'activation',
  'initializer',
  'depth',
  'width',
  'batch',
  'seed',
  'gain',
  'biasInit',
  'alpha',
  'steps',
  'optimizer',
  'lr',
  'checks',
] as const;

type Range = readonly [kind: 'integer' | 'number', min: number, max: number, what: string];
const RANGES: Record<string, Range> = {
  depth: ['integer', 1, LIMITS.layers - 1, 'hidden layers'],
  width: ['integer', 1, LIMITS.units, 'units per hidden layer and input dimension'],
  batch: ['integer', 1, LIMITS.batchSize, 'rows of the probe batch'],
  seed: ['integer', 0, Number.MAX_SAFE_INTEGER, 'the seed of data and weights'],
  gain: ['number', 0, 1e6, "multiplier of the hidden weights' standard deviation"],
  biasInit: ['number', -1e6, 1e6, 'the initial value of every hidden bias'],
  steps: ['integer', 0, 1_000_000, 'optimizer steps before the measured one'],
};

/**
 * Where a spec path of the canonical spec comes from. Checked in order; the first match names
 * the option. Everything else in that spec is fixed by the setup.
 */
const FROM_PATH: [RegExp, string][] = [
  [/^model\.layers\[\d+\]\.activation\[1\]\.alpha/, 'alpha'],
  [/^model\.layers\[\d+\]\.activation/, 'activation'],
  [/^model\.layers\[\d+\]\.biasInitializer/, 'biasInit'],
  [/^model\.layers\[\d+\]\.initializer\[1\]\.std/, 'gain'],
  [/^model\.layers\[\d+\]\.initializer/, 'initializer'],
  [/^model\.layers(\[\d+\]\.units)?$/, 'width'],
  [/^data\[1\]\.samples|^train\.batchSize/, 'batch'],
  [/^data\[1\]\.features/, 'width'],
  [/^train\.optimizer\[1\]\.lr/, 'lr'],
  [/^train\.optimizer/, 'optimizer'],
  [/^train\.steps/, 'steps'],
  [/^seed/, 'seed'],
];

/**
 * Every problem with runProbe's options, each named by its option, once; empty when valid.
 * Plain values are checked here; plugin references, plugin options (alpha's range comes from the
 * activation's schema) and size limits (parameters, memory) through the canonical spec, whose
 * issues are renamed to the option that set them. `toSpec` builds that spec (runProbe's).
 */
export function checkProbeOptions(
  options: unknown,
  registry: Registry,
  toSpec: (o: Record<string, unknown>) => ExperimentSpec,
): ProbeOptionIssue[] {
  if (options === undefined) return [];
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return [
      { option: '(options)', message: `must be an object such as { depth: 10 } (received ${describeValue(options)}).` },
    ];
  }
  const o = options as Record<string, unknown>;
  const issues: ProbeOptionIssue[] = [];
  const add = (option: string, message: string) => {
    if (!issues.some((i) => i.option === option)) issues.push({ option, message });
  };
  for (const key of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const near = suggestNames(key, KEYS);
      add(key, `is not an option.${near.length ? ` Did you mean \`${near[0]}\`?` : ''} Options: ${KEYS.join(', ')}.`);
    }
  }
  for (const [key, [kind, min, max, what]] of Object.entries(RANGES)) {
    const v = o[key];
    if (v === undefined) continue;
    const fits = typeof v === 'number' && Number.isFinite(v) && (kind === 'number' || Number.isInteger(v));
    if (!fits || (v as number) < min || (v as number) > max) {
      const range = max >= Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
      add(
        key,
        `must be ${kind === 'integer' ? 'a whole number' : 'a finite number'} ${range}: ${what} (received ${describeValue(v)}).`,
      );
    }
  }
  if (o.alpha !== undefined && (typeof o.alpha !== 'number' || !Number.isFinite(o.alpha))) {
    add('alpha', `must be a finite number (received ${describeValue(o.alpha)}).`);
  }
  if (o.optimizer !== undefined && !Object.hasOwn(OPTIMIZERS, o.optimizer as string)) {
    add('optimizer', `must be one of ${Object.keys(OPTIMIZERS).join(', ')} (received ${describeValue(o.optimizer)}).`);
  }
  if (o.lr !== undefined && (typeof o.lr !== 'number' || !Number.isFinite(o.lr) || o.lr < 0)) {
    add('lr', `must be a finite number ≥ 0: the learning rate (received ${describeValue(o.lr)}).`);
  }
  if (o.checks !== undefined && o.checks !== 'strict' && o.checks !== 'off') {
    add('checks', `must be "strict" or "off" (received ${describeValue(o.checks)}).`);
  }
  for (const kind of ['activation', 'initializer'] as const) {
    for (const issue of o[kind] === undefined ? [] : registry.check(kind, o[kind], kind)) add(kind, issue.message);
  }
  if (issues.length) return issues;
  let spec: ExperimentSpec;
  try {
    spec = toSpec(o);
  } catch (error) {
    // canonicalSpec refuses a gain ≠ 1 with an initializer that declares no variance.
    return [{ option: 'gain', message: (error as Error).message.replace(/^canonicalSpec: /, '') }];
  }
  for (const issue of validateExperiment(spec, registry)) {
    const option = FROM_PATH.find(([re]) => re.test(issue.path))?.[1] ?? '(setup)';
    const alphaWithout = option === 'alpha' && issue.code === 'UnknownPluginOption';
    add(
      alphaWithout ? 'alpha' : option,
      alphaWithout ? `the activation has no alpha option: ${issue.message}` : issue.message,
    );
  }
  return issues;
}

/** Throw one InvalidOptions error listing every problem (runProbe's and, later, other probe runners'). */
export function assertProbeOptions(
  fn: string,
  options: unknown,
  registry: Registry,
  toSpec: (o: Record<string, unknown>) => ExperimentSpec,
): void {
  const issues = checkProbeOptions(options, registry, toSpec);
  if (issues.length) throw gradlabError('InvalidOptions', [fn, issues]);
}
