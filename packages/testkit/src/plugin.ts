/**
 * The checks every plugin kind shares (docs/plugin-contract.md §4, "every kind"), and the small machinery
 * every suite uses: a check is a pure function returning a {@link CheckResult}; suites turn
 * checks into named `it`s with {@link registerChecks}, so failures read as sentences and
 * skipping one needs a written reason. Package.json checks live in `gradlab-scripts check-plugins`.
 */
import {
  type OptionSpec,
  type OptionsSchema,
  PLUGIN_KINDS,
  type PluginKind,
  type PluginMeta,
  suggestNames,
} from '@gradlab/plugin-api';
import { describe, it } from 'vitest';

/** What a check found: `ok` is true exactly when `failures` is empty. */
export interface CheckResult {
  readonly ok: boolean;
  /** One sentence per problem, naming the offending value. */
  readonly failures: readonly string[];
}

/** A named check: `name` is the key used in `skip`, `title` the `it` sentence. */
export interface Check {
  readonly name: string;
  readonly title: string;
  run(): CheckResult;
}

/** Check name → written reason for skipping it (tfjs TEST_FILTERS). */
export type SkipMap = Readonly<Record<string, string>>;

/**
 * Any plugin definition: callable factory plus `kind`, `meta` and `options`. The call signature
 * takes `never` so definitions with any option types are assignable; suites call it through
 * {@link instantiate}.
 */
export interface PluginDefinitionLike<M extends PluginMeta = PluginMeta, I = unknown> {
  (options?: never): I;
  readonly kind: PluginKind;
  readonly meta: M;
  readonly options: OptionsSchema;
}

/** Build a {@link CheckResult} from a list of failures. */
export function result(failures: readonly string[]): CheckResult {
  return { ok: failures.length === 0, failures };
}

/** Call a definition's factory with arbitrary (possibly invalid) options. */
export function instantiate<I>(definition: PluginDefinitionLike<PluginMeta, I>, options?: unknown): I {
  return (definition as unknown as (options?: unknown) => I)(options);
}

/**
 * The written reason to skip check `name`, or `undefined` to run it. Every suite calls this,
 * so skips behave the same everywhere. Throws when the reason is empty or not a string.
 */
export function skipReason(skip: SkipMap | undefined, name: string): string | undefined {
  if (!skip || !Object.hasOwn(skip, name)) return undefined;
  const reason = skip[name];
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new TypeError(`skip.${name} needs a written reason, e.g. { '${name}': 'why this check does not apply' }.`);
  }
  return reason.trim();
}

/** Throws when `skip` names a check that does not exist, suggesting the nearest names. */
export function assertKnownSkips(skip: SkipMap | undefined, known: readonly string[]): void {
  for (const name of Object.keys(skip ?? {})) {
    if (known.includes(name)) continue;
    const near = suggestNames(name, known);
    const hint = near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
    throw new TypeError(`skip names an unknown check "${name}".${hint} Checks: ${known.join(', ')}.`);
  }
}

/** Throws an Error listing the failures (at most 12), or returns when the check passed. */
export function assertCheck(outcome: CheckResult, name?: string): void {
  if (outcome.ok) return;
  const shown = outcome.failures.slice(0, 12).map((f) => `  - ${f}`);
  const more = outcome.failures.length > 12 ? [`  … and ${outcome.failures.length - 12} more`] : [];
  const skipHint = name ? ` (to skip: { skip: { '${name}': '<reason>' } })` : '';
  throw new Error([`Check "${name ?? 'check'}" failed${skipHint}:`, ...shown, ...more].join('\n'));
}

/**
 * Register each check as an `it` in the current `describe`; a skipped check becomes `it.skip`
 * whose title carries the reason. Also rejects skip keys that name none of `checks`, unless
 * `knownNames` widens the list (suites that share one skip map between several groups).
 */
export function registerChecks(checks: readonly Check[], skip?: SkipMap, knownNames?: readonly string[]): void {
  assertKnownSkips(skip, knownNames ?? checks.map((c) => c.name));
  for (const check of checks) {
    const reason = skipReason(skip, check.name);
    if (reason) it.skip(`${check.title} (skipped: ${reason})`, () => {});
    else it(check.title, () => assertCheck(check.run(), check.name));
  }
}

/** Options shared by the per-kind suites: skips with reasons, and the option sets to run. */
export interface SuiteOptions {
  readonly skip?: SkipMap;
  /** Options for every case. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Several option sets (each merged over `options`); the kind's checks run once per set. */
  readonly cases?: readonly Readonly<Record<string, unknown>>[];
}

/**
 * The shape every per-kind suite shares: the "all kinds" checks once, then the kind's checks
 * for each option set, each set in its own `describe` named `kind:id {options}`.
 */
export function describeSuite(
  definition: PluginDefinitionLike,
  opts: SuiteOptions,
  checkNames: readonly string[],
  checksFor: (options: Readonly<Record<string, unknown>>) => readonly Check[],
): void {
  describePlugin(definition, { skip: opts.skip, extraCheckNames: checkNames });
  const base = opts.options ?? {};
  const cases = opts.cases?.length ? opts.cases.map((c) => ({ ...base, ...c })) : [base];
  for (const options of cases) {
    describe(`${definition.meta.kind}:${definition.meta.id} ${JSON.stringify(options)}`, () => {
      registerChecks(checksFor(options), opts.skip, [...PLUGIN_CHECK_NAMES, ...checkNames]);
    });
  }
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** meta.kind is a known kind equal to the definition's; id and aliases are kebab-case. */
export function checkKindAndId(definition: PluginDefinitionLike): CheckResult {
  const { meta } = definition;
  const failures: string[] = [];
  if (!PLUGIN_KINDS.includes(meta.kind)) {
    failures.push(`meta.kind "${meta.kind}" is not one of ${PLUGIN_KINDS.join(', ')}`);
  }
  if (definition.kind !== meta.kind) {
    failures.push(`definition.kind "${definition.kind}" differs from meta.kind "${meta.kind}"`);
  }
  if (!KEBAB.test(meta.id)) failures.push(`meta.id "${meta.id}" is not kebab-case (e.g. "leaky-relu")`);
  for (const alias of meta.aliases ?? []) {
    if (!KEBAB.test(alias)) failures.push(`alias "${alias}" is not kebab-case`);
    if (alias === meta.id) failures.push(`alias "${alias}" repeats the id`);
  }
  if (!meta.title?.trim()) failures.push('meta.title is empty');
  return result(failures);
}

/** One sentence: starts with a capital or digit, ends with a period, no other sentence break. */
export function checkSummary(meta: PluginMeta): CheckResult {
  const s = meta.summary ?? '';
  const failures: string[] = [];
  if (s !== s.trim()) failures.push('summary has leading or trailing whitespace');
  if (!s.endsWith('.')) failures.push(`summary "${s}" does not end in a period`);
  if (!/^[A-Z0-9`]/.test(s)) failures.push(`summary "${s}" does not start with a capital letter`);
  if (/[.!?]\s/.test(s)) failures.push(`summary "${s}" has more than one sentence (avoid "e.g. " and "i.e. " too)`);
  if (s.length > 200) failures.push(`summary is ${s.length} characters long (at most 200)`);
  return result(failures);
}

/** Every reference has a title and an https URL; a year, if given, is plausible. */
export function checkReferences(meta: PluginMeta): CheckResult {
  const failures: string[] = [];
  for (const [i, ref] of (meta.references ?? []).entries()) {
    if (!ref.title?.trim()) failures.push(`references[${i}] has no title`);
    let protocol = '';
    try {
      protocol = new URL(ref.url).protocol;
    } catch {
      failures.push(`references[${i}].url "${ref.url}" is not a URL`);
      continue;
    }
    if (protocol !== 'https:') failures.push(`references[${i}].url "${ref.url}" is not https`);
    if (ref.year !== undefined && !(Number.isInteger(ref.year) && ref.year >= 1600 && ref.year <= 2100)) {
      failures.push(`references[${i}].year ${ref.year} is not a plausible year`);
    }
  }
  return result(failures);
}

/** Every option has a description and a default that satisfies its own spec. */
export function checkOptionDefaults(schema: OptionsSchema): CheckResult {
  const failures: string[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    if (!spec.description?.trim()) failures.push(`option \`${key}\` has no description`);
    if (spec.type === 'number' || spec.type === 'integer') {
      if (!Number.isFinite(spec.default)) failures.push(`option \`${key}\` default ${spec.default} is not finite`);
      if (spec.type === 'integer' && !Number.isInteger(spec.default)) {
        failures.push(`option \`${key}\` default is not an integer`);
      }
      if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
        failures.push(`option \`${key}\` has min > max`);
      }
      if (spec.min !== undefined && spec.default < spec.min) {
        failures.push(`option \`${key}\` default ${spec.default} < min ${spec.min}`);
      }
      if (spec.max !== undefined && spec.default > spec.max) {
        failures.push(`option \`${key}\` default ${spec.default} > max ${spec.max}`);
      }
    } else if (spec.type === 'enum') {
      if (!spec.values.includes(spec.default)) {
        failures.push(`option \`${key}\` default "${spec.default}" is not one of its values`);
      }
    } else if (typeof spec.default !== 'boolean') {
      failures.push(`option \`${key}\` default is not a boolean`);
    }
  }
  return result(failures);
}

/** Calls `fn`, returning what it threw (or `undefined`). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : error === undefined ? 'nothing' : String(error);
}

/** A misspelling of `key` at edit distance 1 that is not itself an option. */
function typoOf(key: string, schema: OptionsSchema): string {
  const swapped = key.length >= 2 ? key.slice(0, -2) + key.at(-1) + key.at(-2) : `${key}x`;
  return swapped !== key && !Object.hasOwn(schema, swapped) ? swapped : `${key}x`;
}

/**
 * An unknown option throws `UnknownPluginOption`; a misspelt option name is answered with
 * "Did you mean `<name>`?".
 */
export function checkUnknownOption(definition: PluginDefinitionLike): CheckResult {
  const failures: string[] = [];
  const keys = Object.keys(definition.options);
  const probes = keys.length ? keys.map((key) => ({ given: typoOf(key, definition.options), near: key })) : [];
  probes.push({ given: 'definitelyNotAnOption', near: '' });
  for (const { given, near } of probes) {
    const error = thrown(() => instantiate(definition, { [given]: 1 }));
    if (errorName(error) !== 'UnknownPluginOption') {
      failures.push(`option \`${given}\` threw ${errorName(error)}, not UnknownPluginOption`);
    } else if (near && !(error as Error).message.includes(`\`${near}\``)) {
      failures.push(`the error for \`${given}\` does not suggest \`${near}\`: ${(error as Error).message}`);
    }
  }
  return result(failures);
}

/** Values that break `spec`, each with a label for messages. */
function invalidValues(spec: OptionSpec): unknown[] {
  switch (spec.type) {
    case 'boolean':
      return ['yes', 1];
    case 'enum':
      return ['not-a-value', 0];
    default: {
      const bad: unknown[] = ['1', Number.NaN, Number.POSITIVE_INFINITY];
      if (spec.min !== undefined) bad.push(spec.min - Math.max(1, Math.abs(spec.min)));
      if (spec.max !== undefined) bad.push(spec.max + Math.max(1, Math.abs(spec.max)));
      if (spec.type === 'integer') bad.push(spec.default + 0.5);
      return bad;
    }
  }
}

/** Out-of-spec values throw `InvalidPluginOption`; a non-object options value throws `InvalidPluginOptions`. */
export function checkInvalidOptions(definition: PluginDefinitionLike): CheckResult {
  const failures: string[] = [];
  for (const [key, spec] of Object.entries(definition.options)) {
    for (const value of invalidValues(spec)) {
      const error = thrown(() => instantiate(definition, { [key]: value }));
      if (errorName(error) !== 'InvalidPluginOption') {
        failures.push(
          `option \`${key}\` = ${JSON.stringify(value) ?? String(value)} threw ${errorName(error)}, not InvalidPluginOption`,
        );
      }
    }
  }
  for (const value of [42, 'alpha', [1]]) {
    const error = thrown(() => instantiate(definition, value));
    if (errorName(error) !== 'InvalidPluginOptions') {
      failures.push(`options = ${JSON.stringify(value)} threw ${errorName(error)}, not InvalidPluginOptions`);
    }
  }
  return result(failures);
}

/** `definition()` and `definition({})` give an instance with `id === meta.id` and exactly the default options. */
export function checkDefaults(definition: PluginDefinitionLike): CheckResult {
  const failures: string[] = [];
  for (const [label, given] of [
    ['definition()', undefined],
    ['definition({})', {}],
  ] as const) {
    let instance: { id?: unknown; options?: Record<string, unknown> };
    try {
      instance = instantiate(definition, given) as typeof instance;
    } catch (error) {
      failures.push(`${label} threw ${errorName(error)}: ${(error as Error)?.message}`);
      continue;
    }
    if (instance?.id !== definition.meta.id) {
      failures.push(`${label}.id is ${String(instance?.id)}, not "${definition.meta.id}"`);
    }
    const options = instance?.options ?? {};
    for (const [key, spec] of Object.entries(definition.options)) {
      if (options[key] !== spec.default) {
        failures.push(`${label}.options.${key} is ${String(options[key])}, not the default ${spec.default}`);
      }
    }
    for (const key of Object.keys(options)) {
      if (!Object.hasOwn(definition.options, key)) failures.push(`${label}.options has undeclared key \`${key}\``);
    }
  }
  return result(failures);
}

/** The "all kinds" checks as {@link Check}s; kind suites register them next to their own. */
export function pluginChecks(definition: PluginDefinitionLike): Check[] {
  const { meta } = definition;
  return [
    {
      name: 'kind-and-id',
      title: 'meta.kind is a plugin kind and the id is kebab-case',
      run: () => checkKindAndId(definition),
    },
    { name: 'summary', title: 'the summary is one sentence ending in a period', run: () => checkSummary(meta) },
    { name: 'references', title: 'every reference links to an https URL', run: () => checkReferences(meta) },
    {
      name: 'option-defaults',
      title: 'option defaults lie within their min and max',
      run: () => checkOptionDefaults(definition.options),
    },
    {
      name: 'unknown-option',
      title: 'unknown options throw UnknownPluginOption and suggest the nearest name',
      run: () => checkUnknownOption(definition),
    },
    {
      name: 'invalid-option',
      title: 'invalid option values throw InvalidPluginOption',
      run: () => checkInvalidOptions(definition),
    },
    {
      name: 'defaults',
      title: 'the factory without options gives the defaults and instance.id === meta.id',
      run: () => checkDefaults(definition),
    },
  ];
}

/** Names of the {@link pluginChecks}, for suites that validate a combined skip map. */
export const PLUGIN_CHECK_NAMES: readonly string[] = [
  'kind-and-id',
  'summary',
  'references',
  'option-defaults',
  'unknown-option',
  'invalid-option',
  'defaults',
];

/** Options of {@link describePlugin}. */
export interface DescribePluginOptions {
  /** Check name → written reason. An empty reason throws. */
  readonly skip?: SkipMap;
  /**
   * More names the skip map may mention (checks a kind suite registers itself), so one skip
   * map can be passed to `describePlugin` and to the kind's own checks.
   */
  readonly extraCheckNames?: readonly string[];
}

/**
 * Register the "all kinds" conformance checks for a plugin in a `describe` block named
 * `<kind>:<id> plugin contract`. Kind suites (describeActivation …) include these already.
 */
export function describePlugin(definition: PluginDefinitionLike, options: DescribePluginOptions = {}): void {
  const checks = pluginChecks(definition);
  describe(`${definition.meta.kind}:${definition.meta.id} plugin contract`, () => {
    registerChecks(checks, options.skip, [...PLUGIN_CHECK_NAMES, ...(options.extraCheckNames ?? [])]);
  });
}
