/**
 * `describeActivation`: the activation contract, executable (docs/plugin-contract.md §4). Every check is an
 * exported pure function `check…(activation, meta, …) => CheckResult`, so the testkit's own
 * tests can feed it deliberately broken activations and see it fail.
 *
 * Every check calls the derivative the way the engine does: `derivative(x, forward(x))`.
 */
import { createRng } from '@gradlab/core';
import type { ActivationFunctions, ActivationMeta, Rng } from '@gradlab/plugin-api';
import { describe } from 'vitest';
import {
  checkMonotonic,
  checkPassesThroughOrigin,
  checkRange,
  checkSaturation,
  checkZeroCentered,
  EXTREME_INPUTS,
  slope,
} from './activation-properties.ts';
import { gradcheck, isClose } from './gradcheck.ts';
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

export {
  checkMonotonic,
  checkPassesThroughOrigin,
  checkRange,
  checkSaturation,
  checkZeroCentered,
  EXTREME_INPUTS,
  gaussianMoments,
  ZERO_CENTERED_TOLERANCE,
} from './activation-properties.ts';

/** `test/golden.json` of an activation package, written by `tools/golden/activations.py`. */
export interface ActivationGolden {
  readonly grid: readonly number[];
  readonly cases: readonly {
    readonly options: Readonly<Record<string, unknown>>;
    readonly forward: readonly number[];
    readonly derivative: readonly number[];
  }[];
}

/** The step of the central difference at x: relative for large |x| so round-off stays small. */
function stepAt(x: number, h: number): number {
  return h * Math.max(1, Math.abs(x));
}

/** Options of {@link checkGradient}. */
export interface GradientCheckOptions {
  readonly points?: number;
  readonly from?: number;
  readonly to?: number;
  readonly h?: number;
  readonly rtol?: number;
  readonly atol?: number;
}

/**
 * f' against central differences of f at `points` seeded points spread over [from, to]
 * (default 200 over [−6, 6]), keeping 10h away from declared kinks; smooth activations are
 * also checked at 0.
 */
export function checkGradient(
  act: ActivationFunctions,
  meta: ActivationMeta,
  rng: Rng,
  opts: GradientCheckOptions = {},
): CheckResult {
  const { points = 200, from = -6, to = 6, h = 1e-5, rtol = 1e-6, atol = 1e-8 } = opts;
  const kinks = meta.kinks ?? [];
  const xs: number[] = meta.properties.smooth ? [0] : [];
  while (xs.length < points) {
    const x = from + (to - from) * rng.next();
    if (kinks.every((k) => Math.abs(x - k) > 10 * stepAt(x, h))) xs.push(x);
  }
  const failures: string[] = [];
  for (const x of xs) {
    // Smooth promises C¹ only: where f'' jumps (softsign at 0) the central difference is first-order
    // accurate, so the probe at 0 uses a 100× smaller step.
    const step = x === 0 ? h / 100 : stepAt(x, h);
    const r = gradcheck((v) => act.forward(v), x, slope(act, x), { h: step, rtol, atol });
    if (!r.ok) {
      failures.push(`at x = ${x}: derivative ${r.analytic}, central difference ${r.numeric} (error ${r.error})`);
    }
  }
  return result(failures);
}

/**
 * smooth ⇒ no kinks declared; not smooth ⇒ kinks declared, and at each one the left and right
 * difference quotients really differ (a jump in f').
 */
export function checkKinks(act: ActivationFunctions, meta: ActivationMeta): CheckResult {
  const kinks = meta.kinks ?? [];
  const failures: string[] = [];
  if (meta.properties.smooth && kinks.length) {
    failures.push(`smooth is declared but kinks are too: ${kinks.join(', ')}`);
  }
  if (!meta.properties.smooth && !kinks.length) failures.push('smooth is false but no kinks are declared');
  if (meta.properties.smooth) return result(failures);
  for (const k of kinks) {
    const d = 1e-6 * Math.max(1, Math.abs(k));
    const fk = act.forward(k);
    const left = (fk - act.forward(k - d)) / d;
    const right = (act.forward(k + d) - fk) / d;
    if (!(Math.abs(left - right) > 1e-4 * Math.max(1, Math.abs(left), Math.abs(right)))) {
      failures.push(`no jump in f' at the declared kink ${k}: left slope ${left}, right slope ${right}`);
    }
  }
  return result(failures);
}

/** f and f' are finite at ±300…400, ±710 and ±1e3 (where naive exp-based formulas give Inf or NaN). */
export function checkExtremesFinite(act: ActivationFunctions): CheckResult {
  const failures: string[] = [];
  for (const x of EXTREME_INPUTS) {
    const y = act.forward(x);
    const d = act.derivative(x, y);
    if (!Number.isFinite(y)) failures.push(`f(${x}) = ${y}`);
    if (!Number.isFinite(d)) failures.push(`f'(${x}) = ${d}`);
  }
  return result(failures);
}

/** On each saturating side, f'(±1e3) is exactly 0 and |f'| < 1e-100 over ±300…710 (never NaN). */
export function checkExtremesSaturated(act: ActivationFunctions, meta: ActivationMeta): CheckResult {
  const { saturates } = meta.properties;
  const failures: string[] = [];
  for (const x of EXTREME_INPUTS) {
    if (saturates === 'none' || (saturates === 'negative' && x > 0)) continue;
    const d = slope(act, x);
    if (Math.abs(x) >= 1e3 ? d !== 0 : !(Math.abs(d) < 1e-100)) {
      failures.push(`f'(${x}) = ${d} on a saturating side (expected ${Math.abs(x) >= 1e3 ? '0' : "|f'| < 1e-100"})`);
    }
  }
  return result(failures);
}

/** NaN in gives NaN out, for forward and derivative. */
export function checkNaN(act: ActivationFunctions): CheckResult {
  const failures: string[] = [];
  const y = act.forward(Number.NaN);
  if (!Number.isNaN(y)) failures.push(`f(NaN) = ${y}, not NaN`);
  const d = act.derivative(Number.NaN, y);
  if (!Number.isNaN(d)) failures.push(`f'(NaN) = ${d}, not NaN`);
  return result(failures);
}

/**
 * forwardInto/derivativeInto, when present, equal the scalar path exactly (0 and −0 count as
 * equal, NaN as NaN) on 1000 seeded points plus extremes, kinks, ±0, ±Infinity and NaN.
 */
export function checkVectorised(act: ActivationFunctions, meta: ActivationMeta, rng: Rng): CheckResult {
  if (!act.forwardInto && !act.derivativeInto) return result([]);
  const values = [
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    ...(meta.kinks ?? []),
    ...EXTREME_INPUTS,
  ];
  for (let i = 0; i < 1000; i++) values.push(i % 2 ? 20 * rng.next() - 10 : 50 * rng.normal());
  const x = Float64Array.from(values);
  const y = x.map((v) => act.forward(v));
  const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
  const failures: string[] = [];
  const out = new Float64Array(x.length);
  if (act.forwardInto) {
    act.forwardInto(x, out);
    for (let i = 0; i < x.length; i++) {
      if (!same(out[i], y[i])) failures.push(`forwardInto gives ${out[i]} at x = ${x[i]}, forward gives ${y[i]}`);
    }
  }
  if (act.derivativeInto) {
    act.derivativeInto(x, y, out);
    for (let i = 0; i < x.length; i++) {
      const d = act.derivative(x[i], y[i]);
      if (!same(out[i], d)) failures.push(`derivativeInto gives ${out[i]} at x = ${x[i]}, derivative gives ${d}`);
    }
  }
  return result(failures);
}

/** gain, when declared, is a finite positive number. */
export function checkGain(act: ActivationFunctions): CheckResult {
  if (act.gain === undefined) return result([]);
  return result(
    typeof act.gain === 'number' && Number.isFinite(act.gain) && act.gain > 0
      ? []
      : [`gain ${act.gain} is not finite and positive`],
  );
}

/** The activation-specific meta is well formed: formulas, range, kinks, recommended initializer. */
export function checkActivationMeta(meta: ActivationMeta): CheckResult {
  const failures: string[] = [];
  if (!meta.formula?.forward?.trim() || !meta.formula?.derivative?.trim()) {
    failures.push('formula.forward and formula.derivative must be LaTeX strings');
  }
  const [lo, hi] = meta.range ?? [];
  if (!(typeof lo === 'number' && typeof hi === 'number' && lo < hi)) {
    failures.push(`range [${lo}, ${hi}] is not an interval`);
  }
  const kinks = meta.kinks ?? [];
  if (kinks.some((k, i) => !Number.isFinite(k) || (i > 0 && k <= kinks[i - 1]))) {
    failures.push(`kinks ${kinks.join(', ')} are not finite and increasing`);
  }
  const { monotonic, passesThroughOrigin, zeroCentered, smooth, saturates } = meta.properties ?? {};
  if (![monotonic, passesThroughOrigin, zeroCentered, smooth].every((p) => typeof p === 'boolean')) {
    failures.push('properties.monotonic, passesThroughOrigin, zeroCentered and smooth must be booleans');
  }
  if (!['none', 'negative', 'both'].includes(saturates)) {
    failures.push(`properties.saturates "${saturates}" is not none, negative or both`);
  }
  const init = meta.recommendedInitializer;
  if (init !== undefined && !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(init)) {
    failures.push(`recommendedInitializer "${init}" is not a kebab-case id`);
  }
  return result(failures);
}

/** Tolerances of {@link checkGolden}; defaults rtol 1e-12, atol 1e-14. */
export interface GoldenTolerance {
  readonly rtol?: number;
  readonly atol?: number;
}

/** f and f' on the golden grid match `golden.json` for every case's options. */
export function checkGolden(
  definition: PluginDefinitionLike<ActivationMeta, ActivationFunctions>,
  golden: unknown,
  tol: GoldenTolerance = {},
): CheckResult {
  const { rtol = 1e-12, atol = 1e-14 } = tol;
  const g = golden as ActivationGolden;
  if (!Array.isArray(g?.grid) || !Array.isArray(g?.cases) || g.cases.length === 0) {
    return result(['golden must be { grid: number[], cases: [{ options, forward, derivative }, …] }']);
  }
  const failures: string[] = [];
  for (const c of g.cases) {
    const label = JSON.stringify(c.options ?? {});
    if (c.forward?.length !== g.grid.length || c.derivative?.length !== g.grid.length) {
      failures.push(`case ${label}: forward and derivative need ${g.grid.length} values`);
      continue;
    }
    const act = instantiate(definition, c.options);
    g.grid.forEach((x, i) => {
      const y = act.forward(x);
      const d = act.derivative(x, y);
      if (!isClose(y, c.forward[i], rtol, atol)) failures.push(`${label} f(${x}) = ${y}, golden ${c.forward[i]}`);
      if (!isClose(d, c.derivative[i], rtol, atol)) {
        failures.push(`${label} f'(${x}) = ${d}, golden ${c.derivative[i]}`);
      }
    });
  }
  return result(failures);
}

/** Options of {@link describeActivation}. */
export interface DescribeActivationOptions {
  /** Check name → written reason (see {@link ACTIVATION_CHECK_NAMES} and the plugin checks). */
  readonly skip?: SkipMap;
  /** Options to instantiate the activation with (default: its defaults). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Parsed `test/golden.json`; without it the golden check is not registered. */
  readonly golden?: unknown;
  readonly goldenTolerance?: GoldenTolerance;
}

/** Names of the activation checks (the plugin checks come on top). */
export const ACTIVATION_CHECK_NAMES: readonly string[] = [
  'activation-meta',
  'golden',
  'gradcheck',
  'kinks',
  'range',
  'monotonic',
  'passes-through-origin',
  'zero-centered',
  'saturation',
  'extremes-finite',
  'extremes-saturated',
  'nan',
  'vectorised',
  'gain',
];

/** The activation checks for one instance, as {@link Check}s. */
export function activationChecks(
  definition: PluginDefinitionLike<ActivationMeta, ActivationFunctions>,
  opts: DescribeActivationOptions = {},
): Check[] {
  const { meta } = definition;
  const act = (): ActivationFunctions => instantiate(definition, opts.options);
  const rng = (label: string) =>
    createRng(`describeActivation/${meta.id}/${JSON.stringify(opts.options ?? {})}`).fork(label);
  const { monotonic, passesThroughOrigin, zeroCentered, saturates } = meta.properties;
  const checks: Check[] = [
    {
      name: 'activation-meta',
      title: 'meta declares formulas, an interval range, increasing kinks and valid properties',
      run: () => checkActivationMeta(meta),
    },
    {
      name: 'gradcheck',
      title: "f' matches central differences of f at 200 seeded points in [-6, 6]",
      run: () => checkGradient(act(), meta, rng('gradcheck')),
    },
    {
      name: 'kinks',
      title: meta.properties.smooth
        ? 'it is smooth: no kinks are declared'
        : `f' really jumps at each declared kink (${(meta.kinks ?? []).join(', ')})`,
      run: () => checkKinks(act(), meta),
    },
    {
      name: 'range',
      title: `values stay within the declared range [${meta.range.join(', ')}]`,
      run: () => checkRange(act(), meta),
    },
    {
      name: 'monotonic',
      title: monotonic ? 'it is monotonic (never decreases)' : 'it is not monotonic (decreases somewhere)',
      run: () => checkMonotonic(act(), meta),
    },
    {
      name: 'passes-through-origin',
      title: passesThroughOrigin
        ? 'f(0) = 0 as passesThroughOrigin declares'
        : 'f(0) ≠ 0 as passesThroughOrigin: false declares',
      run: () => checkPassesThroughOrigin(act(), meta),
    },
    {
      name: 'zero-centered',
      title: zeroCentered
        ? 'E f(z) ≈ 0 for z ~ N(0, 1) (within 5% of its RMS) as zeroCentered declares'
        : 'E f(z) is away from 0 for z ~ N(0, 1) (over 5% of its RMS) as zeroCentered: false declares',
      run: () => checkZeroCentered(act(), meta),
    },
    {
      name: 'saturation',
      title: `it saturates on ${saturates === 'none' ? 'neither side' : saturates === 'both' ? 'both sides' : 'the negative side only'}: |f'(±30)| < 1e-6 exactly there`,
      run: () => checkSaturation(act(), meta),
    },
    {
      name: 'extremes-finite',
      title: "f and f' are finite at ±300…400, ±710 and ±1e3",
      run: () => checkExtremesFinite(act()),
    },
    {
      name: 'extremes-saturated',
      title: "f' is 0, not NaN, far out on the saturating side(s)",
      run: () => checkExtremesSaturated(act(), meta),
    },
    { name: 'nan', title: "NaN in gives NaN out for f and f'", run: () => checkNaN(act()) },
    {
      name: 'vectorised',
      title: 'forwardInto and derivativeInto, when present, equal the scalar path exactly',
      run: () => checkVectorised(act(), meta, rng('vectorised')),
    },
    { name: 'gain', title: 'gain, when declared, is finite and positive', run: () => checkGain(act()) },
  ];
  if (opts.golden !== undefined) {
    checks.splice(1, 0, {
      name: 'golden',
      title: "f and f' match test/golden.json on the canonical grid",
      run: () => checkGolden(definition, opts.golden, opts.goldenTolerance),
    });
  }
  return checks;
}

/**
 * The activation conformance suite: the plugin checks plus every activation check, each a
 * named `it`. `skip` maps a check name to a written reason.
 *
 * ```ts
 * import golden from './golden.json' with { type: 'json' };
 * describeActivation(relu, { golden });
 * ```
 */
export function describeActivation(
  definition: PluginDefinitionLike<ActivationMeta, ActivationFunctions>,
  opts: DescribeActivationOptions = {},
): void {
  const label = opts.options ? ` ${JSON.stringify(opts.options)}` : '';
  describe(`activation:${definition.meta.id}${label}`, () => {
    registerChecks([...pluginChecks(definition), ...activationChecks(definition, opts)], opts.skip, [
      ...PLUGIN_CHECK_NAMES,
      ...ACTIVATION_CHECK_NAMES,
    ]);
  });
}
