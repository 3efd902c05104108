/**
 * `describeProbe`: the probe contract, executable. A probe is run on the scenario networks of
 * `probe-fixtures.ts`; for every code in `meta.emits` the matching scenario must produce that
 * finding, the healthy net must produce none, reports must survive JSON, findings must be
 * well-formed, history must stay bounded and the probe must only observe.
 */
import type { Finding, Probe, ProbeMeta } from '@gradlab/plugin-api';
import { describe } from 'vitest';
import {
  type Check,
  type CheckResult,
  instantiate,
  PLUGIN_CHECK_NAMES,
  type PluginDefinitionLike,
  pluginChecks,
  registerChecks,
  result,
  type SkipMap,
} from './plugin.ts';
import { PROBE_SCENARIOS, type ProbeScenario, runScenario, type ScenarioCode } from './probe-fixtures.ts';

export * from './probe-fixtures.ts';

export const FINDING_CODES: readonly ScenarioCode[] = [
  'NAN_DETECTED',
  'VANISHING_GRADIENTS',
  'EXPLODING_GRADIENTS',
  'DEAD_UNITS',
  'SATURATION',
  'UPDATE_RATIO',
];

/** Options of {@link describeProbe}. */
export interface ProbeSuiteOptions {
  /** Check name → written reason for skipping it. */
  readonly skip?: SkipMap;
  /** Options for every instance under test (default: the probe's defaults). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Steps per scenario, overriding each scenario's own count (for probes with long patience). */
  readonly steps?: number;
}

type ProbeDefinition = PluginDefinitionLike<ProbeMeta, Probe>;
const make = (definition: ProbeDefinition, opts: ProbeSuiteOptions) => instantiate(definition, opts.options);
const run = (definition: ProbeDefinition, opts: ProbeSuiteOptions, scenario: ProbeScenario, steps?: number) =>
  runScenario(scenario, [make(definition, opts)], steps ?? opts.steps ?? scenario.steps);
const describeFinding = (f: Finding) =>
  `${f.code} at step ${f.step}${f.layer === undefined ? '' : `, layer ${f.layer}`}: ${f.message}`;

/** Paths in `value` that JSON.stringify would lose or change (NaN, Infinity, typed arrays, undefined in arrays, …). */
export function jsonProblems(value: unknown, path = 'report'): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} is ${value}`];
  if (value === undefined) return [`${path} is undefined`];
  if (typeof value !== 'object') return [`${path} is a ${typeof value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonProblems(v, `${path}[${i}]`));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    return [`${path} is a ${proto?.constructor?.name ?? 'non-plain object'}`];
  return Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : jsonProblems(v, `${path}.${k}`)));
}

/** After every scenario, `report()` is plain JSON data: it survives JSON.stringify unchanged. */
export function checkReportJson(definition: ProbeDefinition, opts: ProbeSuiteOptions = {}): CheckResult {
  const failures: string[] = [];
  for (const scenario of Object.values(PROBE_SCENARIOS)) {
    const { report } = run(definition, opts, scenario);
    failures.push(...jsonProblems(report).map((p) => `${scenario.name}: ${p}`));
  }
  return result(failures);
}

/** Every finding has a declared code, a severity, an integer step and layer, a message and JSON-safe evidence. */
export function checkFindingShape(definition: ProbeDefinition, opts: ProbeSuiteOptions = {}): CheckResult {
  const failures: string[] = [];
  const { emits } = definition.meta;
  for (const scenario of Object.values(PROBE_SCENARIOS)) {
    for (const f of run(definition, opts, scenario).findings) {
      const at = `${scenario.name}: ${f.code}`;
      if (!emits.includes(f.code)) failures.push(`${at} is not in meta.emits (${emits.join(', ') || 'none'})`);
      if (!['info', 'warn', 'error'].includes(f.severity)) failures.push(`${at} has severity ${f.severity}`);
      if (!(Number.isInteger(f.step) && f.step >= 0)) failures.push(`${at} has step ${f.step}`);
      if (f.layer !== undefined && !(Number.isInteger(f.layer) && f.layer >= 0))
        failures.push(`${at} has layer ${f.layer}`);
      if (typeof f.message !== 'string' || !f.message.trim()) failures.push(`${at} has no message`);
      if (f.hint !== undefined && (typeof f.hint !== 'string' || !f.hint.trim()))
        failures.push(`${at} has an empty hint`);
      for (const [k, v] of Object.entries(f.evidence ?? {})) {
        if (!(typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))))
          failures.push(`${at}: evidence.${k} is ${String(v)} (write non-finite numbers as strings)`);
      }
    }
  }
  return result(failures);
}

/** The scenario for `code` produces a finding with that code (and the expected layer and step). */
export function checkScenario(
  definition: ProbeDefinition,
  code: ScenarioCode,
  opts: ProbeSuiteOptions = {},
): CheckResult {
  const scenario = PROBE_SCENARIOS[code];
  const { findings } = run(definition, opts, scenario);
  const { layer, step } = scenario.expect ?? {};
  const same = findings.filter((f) => f.code === code);
  if (same.some((f) => (layer === undefined || f.layer === layer) && (step === undefined || f.step === step)))
    return result([]);
  const where = [layer !== undefined && `layer ${layer}`, step !== undefined && `step ${step}`]
    .filter(Boolean)
    .join(', ');
  const got = findings.length ? findings.map(describeFinding).join('; ') : 'no findings';
  return result([
    `scenario ${scenario.name} (${scenario.description}) gave ${got}, not ${code}${where ? ` at ${where}` : ''}`,
  ]);
}

/** The healthy tanh net produces no findings at all. */
export function checkHealthy(definition: ProbeDefinition, opts: ProbeSuiteOptions = {}): CheckResult {
  const { findings } = run(definition, opts, PROBE_SCENARIOS.healthy);
  return result(findings.map((f) => `healthy net: ${describeFinding(f)}`));
}

/** History is bounded: the report after 2n steps is at most 1.5× the size of the report after n steps. */
export function checkBoundedHistory(definition: ProbeDefinition, opts: ProbeSuiteOptions = {}, n = 200): CheckResult {
  const size = (steps: number) => JSON.stringify(run(definition, opts, PROBE_SCENARIOS.healthy, steps).report).length;
  const [a, b] = [size(n), size(2 * n)];
  return result(b > 1.5 * a ? [`the report grows from ${a} characters after ${n} steps to ${b} after ${2 * n}`] : []);
}

/** A probe only observes: training with it attached gives bitwise the same parameters; and instances share no state. */
export function checkObserverOnly(definition: ProbeDefinition, opts: ProbeSuiteOptions = {}): CheckResult {
  const failures: string[] = [];
  const scenario = PROBE_SCENARIOS.healthy;
  const without = runScenario(scenario, [], 20).params;
  const withProbe = run(definition, opts, scenario, 20).params;
  const i = without.findIndex((v, k) => !Object.is(v, withProbe[k]));
  if (i >= 0) failures.push(`parameter ${i} is ${withProbe[i]} with the probe attached and ${without[i]} without`);
  const fresh = JSON.stringify(make(definition, opts).report());
  run(definition, opts, scenario, 5);
  const second = make(definition, opts);
  if (JSON.stringify(second.report()) !== fresh) failures.push('a new instance reports data from an earlier instance');
  return result(failures);
}

/** Every probe check for one definition: scenario checks only for the codes in `meta.emits`. */
export function probeChecks(definition: ProbeDefinition, opts: ProbeSuiteOptions = {}): Check[] {
  const known = definition.meta.emits.filter((c): c is ScenarioCode =>
    (FINDING_CODES as readonly string[]).includes(c),
  );
  return [
    ...known.map((code) => ({
      name: `finds-${code}`,
      title: `emits ${code} on the ${PROBE_SCENARIOS[code].name} scenario`,
      run: () => checkScenario(definition, code, opts),
    })),
    { name: 'healthy', title: 'stays silent on a healthy tanh net', run: () => checkHealthy(definition, opts) },
    {
      name: 'report-json',
      title: 'report() is plain JSON after every scenario (no NaN, Infinity or typed arrays)',
      run: () => checkReportJson(definition, opts),
    },
    {
      name: 'finding-shape',
      title: 'findings use declared codes and carry step, message and JSON-safe evidence',
      run: () => checkFindingShape(definition, opts),
    },
    {
      name: 'bounded-history',
      title: 'the report stays bounded as training goes on',
      run: () => checkBoundedHistory(definition, opts),
    },
    {
      name: 'observer-only',
      title: 'does not change training, and instances share no state',
      run: () => checkObserverOnly(definition, opts),
    },
  ];
}

/** Names of every probe check, for skip maps. */
export const PROBE_CHECK_NAMES: readonly string[] = [
  ...FINDING_CODES.map((c) => `finds-${c}`),
  'healthy',
  'report-json',
  'finding-shape',
  'bounded-history',
  'observer-only',
];

/**
 * The probe conformance suite: the "all kinds" checks, then the probe checks.
 *
 * ```ts
 * describeProbe(gradNorms);
 * describeProbe(saturation, { options: { patience: 5 } });
 * ```
 */
export function describeProbe(definition: ProbeDefinition, opts: ProbeSuiteOptions = {}): void {
  describe(`probe:${definition.meta.id} contract`, () => {
    registerChecks([...pluginChecks(definition), ...probeChecks(definition, opts)], opts.skip, [
      ...PLUGIN_CHECK_NAMES,
      ...PROBE_CHECK_NAMES,
    ]);
  });
}
