/**
 * `describeRegularizer`: the regularizer conformance suite (docs/plugin-contract.md §4). Checks are pure
 * functions returning a {@link CheckResult}; the gradient oracle is the central difference of
 * `penalty` ({@link gradcheckVector}).
 */
import { createRng } from '@gradlab/core';
import type { ParamRole, Regularizer, RegularizerMeta } from '@gradlab/plugin-api';
import { gradcheckVector, isClose } from './gradcheck.ts';
import {
  type Check,
  type CheckResult,
  describeSuite,
  instantiate,
  type PluginDefinitionLike,
  result,
  type SkipMap,
} from './plugin.ts';

/** Options of {@link describeRegularizer}. */
export interface RegularizerSuiteOptions {
  /** Check name → written reason for skipping it. */
  readonly skip?: SkipMap;
  /** Options for the instance under test (default: the plugin's defaults). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Several option sets; each runs every check (merged over `options`). */
  readonly cases?: readonly Readonly<Record<string, unknown>>[];
}

/** The roles each value of gradlab's `apply` option selects. */
export const APPLY_ROLES: Readonly<Record<string, readonly ParamRole[]>> = {
  weights: ['weight', 'recurrent'],
  'weights-and-biases': ['weight', 'recurrent', 'bias'],
  all: ['weight', 'recurrent', 'bias', 'gamma', 'beta'],
};

const ROLES: readonly ParamRole[] = ['weight', 'recurrent', 'bias', 'gamma', 'beta'];

/** `n` seeded values with |w| ≥ `floor` (random signs), so a finite difference never crosses 0. */
export function pointAwayFromZero(n: number, seed: number | string, scale = 1, floor = 0.05): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => {
    const v = scale * (floor + Math.abs(rng.normal()));
    return rng.next() < 0.5 ? -v : v;
  });
}

function attempt<T>(what: string, failures: string[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    failures.push(`${what} threw ${(error as Error)?.message ?? String(error)}`);
    return undefined;
  }
}

/** What `addGradient` adds to a non-zero `grad` (it must accumulate, not overwrite). */
function gradientOf(
  reg: Regularizer,
  w: Float64Array,
  seed: number | string,
): { added: Float64Array; start: Float64Array; after: Float64Array } {
  const rng = createRng(seed);
  const start = Float64Array.from(w, () => 0.01 * rng.normal());
  const after = Float64Array.from(start);
  reg.addGradient(w, after);
  return { added: after.map((v, i) => v - start[i]), start, after };
}

/** penalty ≥ 0 and finite at random points of several scales, and penalty(0) = 0. */
export function checkRegPenaltyNonNegative(reg: Regularizer): CheckResult {
  const failures: string[] = [];
  const zero = attempt('penalty(0)', failures, () => reg.penalty(new Float64Array(16)));
  if (zero !== undefined && zero !== 0) failures.push(`penalty of a zero tensor is ${zero}, not 0`);
  for (const scale of [1e-3, 1, 1e3]) {
    for (let k = 0; k < 4; k++) {
      const p = attempt('penalty', failures, () =>
        reg.penalty(pointAwayFromZero(32, `penalty/${scale}/${k}`, scale, 0)),
      );
      if (p !== undefined && !(p >= 0 && Number.isFinite(p))) {
        failures.push(`penalty at a random point of scale ${scale} is ${p}`);
      }
    }
  }
  return result(failures);
}

/** Neither `penalty` nor `addGradient` changes `w`. */
export function checkRegNoMutation(reg: Regularizer): CheckResult {
  const failures: string[] = [];
  const w = pointAwayFromZero(24, 'no-mutation');
  const before = Float64Array.from(w);
  attempt('penalty', failures, () => reg.penalty(w));
  if (!w.every((v, i) => Object.is(v, before[i]))) failures.push('penalty mutated w');
  attempt('addGradient', failures, () => reg.addGradient(w, new Float64Array(w.length)));
  if (!w.every((v, i) => Object.is(v, before[i]))) failures.push('addGradient mutated w');
  return result(failures);
}

/**
 * `addGradient` adds ∂penalty/∂w to a non-zero `grad`: the increment matches the central
 * difference of `penalty` (rtol 1e-6, atol 1e-11) at random points with every |w| ≥ 0.05.
 */
export function checkRegGradient(reg: Regularizer): CheckResult {
  const failures: string[] = [];
  for (const [k, scale] of [0.1, 1, 10, 1, 1].entries()) {
    const w = pointAwayFromZero(24, `gradient/${k}`, scale);
    const g = attempt('addGradient', failures, () => gradientOf(reg, w, `gradient/${k}/grad`));
    if (!g) continue;
    const check = gradcheckVector((x) => reg.penalty(x), w, g.added, { rtol: 1e-6, atol: 1e-11 });
    if (!check.ok) {
      const i = check.index;
      failures.push(
        `point ${k} (scale ${scale}), w[${i}] = ${w[i]}: grad increased by ${g.added[i]}, ` +
          `but the central difference of penalty is ${check.numeric[i]}`,
      );
    }
  }
  return result(failures);
}

/** At w = 0 (and −0) the (sub)gradient added is exactly 0, as documented for L1. */
export function checkRegZeroSubgradient(reg: Regularizer): CheckResult {
  const failures: string[] = [];
  const w = pointAwayFromZero(12, 'zero-subgradient');
  const zeros = [0, 3, 7, 11];
  for (const i of zeros) w[i] = i === 7 ? -0 : 0;
  const g = attempt('addGradient', failures, () => gradientOf(reg, w, 'zero-subgradient/grad'));
  for (const i of g ? zeros : []) {
    if (g!.after[i] !== g!.start[i]) {
      failures.push(`at w[${i}] = ${Object.is(w[i], -0) ? '-0' : '0'} addGradient added ${g!.added[i]}, not 0`);
    }
  }
  return result(failures);
}

/** penalty and gradient at strength 2s are exactly twice those at s (rtol 1e-12). */
export function checkRegStrengthLinear(
  definition: PluginDefinitionLike<RegularizerMeta, Regularizer>,
  options: Readonly<Record<string, unknown>> = {},
): CheckResult {
  const spec = definition.options.strength;
  if (spec?.type !== 'number') {
    return result(['the plugin has no numeric `strength` option; skip this check with a reason']);
  }
  const given = (options.strength as number | undefined) ?? spec.default;
  let s = given > 0 ? given : 0.01;
  if (spec.max !== undefined && 2 * s > spec.max) s = spec.max / 2;
  const failures: string[] = [];
  const one = attempt(`strength ${s}`, failures, () => instantiate(definition, { ...options, strength: s }));
  const two = attempt(`strength ${2 * s}`, failures, () => instantiate(definition, { ...options, strength: 2 * s }));
  if (!one || !two) return result(failures);
  for (let k = 0; k < 3; k++) {
    const w = pointAwayFromZero(16, `strength/${k}`, 1, 0);
    const [p1, p2] = [one.penalty(w), two.penalty(w)];
    if (!isClose(p2, 2 * p1, 1e-12, 0)) failures.push(`penalty is ${p1} at strength ${s} but ${p2} at ${2 * s}`);
    const [g1, g2] = [gradientOf(one, w, 'strength/grad').added, gradientOf(two, w, 'strength/grad').added];
    const bad = g1.findIndex((v, i) => !isClose(g2[i], 2 * v, 1e-9, 1e-15));
    if (bad >= 0) failures.push(`gradient[${bad}] is ${g1[bad]} at strength ${s} but ${g2[bad]} at ${2 * s}`);
  }
  return result(failures);
}

/**
 * `afterStep(w, previous)` sets exactly the weights that crossed zero (sign(w) = −sign(previous),
 * previous ≠ 0) to 0, leaves every other weight bitwise unchanged and does not touch `previous`.
 */
export function checkRegAfterStep(reg: Regularizer): CheckResult {
  if (!reg.afterStep) return result([]);
  const failures: string[] = [];
  const rng = createRng('after-step');
  const previous = pointAwayFromZero(64, 'after-step/previous', 0.1, 0);
  for (const i of [5, 17, 40]) previous[i] = 0;
  const w = previous.map((p) => p + 0.15 * rng.normal());
  w[9] = 0; // lands exactly on zero
  w[20] = -previous[20]; // flips exactly
  const [before, prevCopy] = [Float64Array.from(w), Float64Array.from(previous)];
  attempt('afterStep', failures, () => reg.afterStep!(w, previous));
  let crossings = 0;
  for (let i = 0; i < w.length; i++) {
    const crossed = (previous[i] > 0 && before[i] < 0) || (previous[i] < 0 && before[i] > 0);
    crossings += crossed ? 1 : 0;
    if (crossed && w[i] !== 0) {
      failures.push(`w[${i}] went from ${previous[i]} to ${before[i]} but afterStep left ${w[i]}, not 0`);
    }
    if (!crossed && !Object.is(w[i], before[i])) {
      failures.push(`w[${i}] did not cross zero (${previous[i]} → ${before[i]}) but afterStep changed it to ${w[i]}`);
    }
  }
  if (crossings === 0) failures.push('internal: the fixture has no zero crossings');
  if (!previous.every((v, i) => Object.is(v, prevCopy[i]))) failures.push('afterStep mutated previous');
  return result(failures);
}

/**
 * `appliesTo` is a non-empty list of parameter roles; with an enum `apply` option, each value
 * selects the roles of {@link APPLY_ROLES}.
 */
export function checkRegAppliesTo(
  definition: PluginDefinitionLike<RegularizerMeta, Regularizer>,
  options: Readonly<Record<string, unknown>> = {},
): CheckResult {
  const failures: string[] = [];
  const apply = definition.options.apply;
  const values = apply?.type === 'enum' ? apply.values : [undefined];
  for (const value of values) {
    const label = value === undefined ? 'appliesTo' : `apply: '${value}' → appliesTo`;
    const reg = attempt(label, failures, () =>
      instantiate(definition, value === undefined ? options : { ...options, apply: value }),
    );
    if (!reg) continue;
    const got = [...(reg.appliesTo ?? [])];
    if (got.length === 0) failures.push(`${label} is empty`);
    for (const role of got) if (!ROLES.includes(role)) failures.push(`${label} has unknown role "${role}"`);
    if (value === undefined) continue;
    const want = APPLY_ROLES[value];
    if (!want) failures.push(`apply value '${value}' is not one of ${Object.keys(APPLY_ROLES).join(', ')}`);
    else if ([...want].sort().join() !== [...got].sort().join())
      failures.push(`${label} is [${got}], expected [${want}]`);
  }
  return result(failures);
}

/** Names of every regularizer check, for skip maps. */
export const REGULARIZER_CHECK_NAMES: readonly string[] = [
  'penalty-nonnegative',
  'no-mutation',
  'gradient',
  'zero-subgradient',
  'strength-linear',
  'after-step',
  'applies-to',
];

/** The regularizer checks for one option set; 'after-step' only when the instance has `afterStep`. */
export function regularizerChecks(
  definition: PluginDefinitionLike<RegularizerMeta, Regularizer>,
  options: Readonly<Record<string, unknown>> = {},
): Check[] {
  const reg = instantiate(definition, options);
  const c = (name: string, title: string, run: () => CheckResult): Check => ({ name, title, run });
  const checks = [
    c('penalty-nonnegative', 'the penalty is ≥ 0, and 0 for a zero tensor', () => checkRegPenaltyNonNegative(reg)),
    c('no-mutation', 'penalty and addGradient do not mutate w', () => checkRegNoMutation(reg)),
    c('gradient', 'addGradient accumulates the central difference of penalty', () => checkRegGradient(reg)),
    c('zero-subgradient', 'the (sub)gradient at exactly 0 is 0', () => checkRegZeroSubgradient(reg)),
    c('strength-linear', 'the penalty is linear in strength', () => checkRegStrengthLinear(definition, options)),
    c('applies-to', 'appliesTo matches the apply option', () => checkRegAppliesTo(definition, options)),
  ];
  if (reg.afterStep) {
    const title = 'afterStep zeroes weights that crossed zero and leaves the others unchanged';
    checks.push(c('after-step', title, () => checkRegAfterStep(reg)));
  }
  return checks;
}

/**
 * The regularizer conformance suite: the "all kinds" checks, then the regularizer checks for each option set.
 *
 * ```ts
 * describeRegularizer(l1, { cases: [{}, { clampAtZero: false, apply: 'all' }] });
 * ```
 */
export function describeRegularizer(
  definition: PluginDefinitionLike<RegularizerMeta, Regularizer>,
  opts: RegularizerSuiteOptions = {},
): void {
  describeSuite(definition, opts, REGULARIZER_CHECK_NAMES, (options) => regularizerChecks(definition, options));
}
