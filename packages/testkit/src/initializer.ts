/**
 * `describeInitializer`: the initializer conformance suite (docs/plugin-contract.md §4). Every check is a pure
 * function returning a {@link CheckResult}, so the testkit's own tests can show that each one
 * fails on a deliberately broken initializer.
 */
import { createRng } from '@gradlab/core';
import type { InitContext, Initializer, InitializerMeta, InitShape, ParamRole } from '@gradlab/plugin-api';
import { vi } from 'vitest';
import {
  type Check,
  type CheckResult,
  describeSuite,
  instantiate,
  type PluginDefinitionLike,
  result,
  type SkipMap,
} from './plugin.ts';

/** Options of {@link describeInitializer}. */
export interface InitializerSuiteOptions {
  /** Check name → written reason for skipping it. */
  readonly skip?: SkipMap;
  /** Options for the instance under test (default: the plugin's defaults). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Several option sets; each runs every check (merged over `options`). */
  readonly cases?: readonly Readonly<Record<string, unknown>>[];
}

/** z of a two-sided 99.9% normal interval. */
export const Z_999 = 3.29;

/**
 * The fans of a parameter tensor in the engine's layout: weights are `[fanIn, fanOut]`,
 * recurrent weights `[units, units]`, biases `[1, units]` (the layer's fans are passed as given).
 */
export function initShape(
  role: ParamRole,
  rows: number,
  cols: number,
  fans?: { fanIn: number; fanOut: number },
): InitShape {
  const { fanIn, fanOut } =
    fans ??
    (role === 'bias' || role === 'gamma' || role === 'beta'
      ? { fanIn: cols, fanOut: cols }
      : { fanIn: rows, fanOut: cols });
  return { shape: [rows, cols], fanIn, fanOut, role };
}

/** An {@link InitContext} for `shape` with a fresh seeded stream. */
export function initContext(shape: InitShape, seed: number | string = 'testkit/init'): InitContext {
  return { ...shape, rng: createRng(seed) };
}

/** `instance.init` on a fresh context: the values an engine would get for this tensor and seed. */
export function sampleInit(
  instance: Initializer,
  shape: InitShape,
  seed: number | string = 'testkit/init',
): Float64Array {
  return instance.init(initContext(shape, seed));
}

/** The shapes every initializer must handle. */
export const INIT_SHAPES: readonly InitShape[] = [
  initShape('weight', 256, 256),
  initShape('weight', 64, 32),
  initShape('recurrent', 32, 32),
  initShape('bias', 1, 32, { fanIn: 64, fanOut: 32 }),
];

const label = (s: InitShape) => `${s.role} ${s.shape[0]}×${s.shape[1]}`;

/** Calls `init`, turning a throw into a failure message. */
function tryInit(
  instance: Initializer,
  shape: InitShape,
  seed: number | string,
  failures: string[],
): Float64Array | undefined {
  try {
    const out = instance.init(initContext(shape, seed));
    if (!(out instanceof Float64Array)) {
      failures.push(`${label(shape)}: init returned ${typeof out}, not a Float64Array`);
    } else return out;
  } catch (error) {
    failures.push(`${label(shape)}: init threw ${(error as Error)?.message ?? String(error)}`);
  }
  return undefined;
}

const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** `init` returns a Float64Array of exactly rows·cols values for every shape in `shapes`. */
export function checkInitLength(instance: Initializer, shapes: readonly InitShape[] = INIT_SHAPES): CheckResult {
  const failures: string[] = [];
  for (const shape of shapes) {
    const out = tryInit(instance, shape, 'length', failures);
    const want = shape.shape[0] * shape.shape[1];
    if (out && out.length !== want) failures.push(`${label(shape)}: ${out.length} values, expected ${want}`);
  }
  return result(failures);
}

/** Every value is finite. */
export function checkInitFinite(instance: Initializer, shapes: readonly InitShape[] = INIT_SHAPES): CheckResult {
  const failures: string[] = [];
  for (const shape of shapes) {
    const out = tryInit(instance, shape, 'finite', failures);
    const bad = out?.findIndex((v) => !Number.isFinite(v)) ?? -1;
    if (out && bad >= 0) failures.push(`${label(shape)}: value [${bad}] is ${out[bad]}`);
  }
  return result(failures);
}

/** The same seed gives bitwise identical arrays. */
export function checkInitDeterministic(instance: Initializer, shapes: readonly InitShape[] = INIT_SHAPES): CheckResult {
  const failures: string[] = [];
  for (const shape of shapes) {
    const a = tryInit(instance, shape, 7, failures);
    const b = tryInit(instance, shape, 7, failures);
    if (a && b && !sameBits(a, b)) failures.push(`${label(shape)}: seed 7 gave two different arrays`);
  }
  return result(failures);
}

/** Different seeds give different arrays (random initializers only). */
export function checkInitSeedSensitive(instance: Initializer, shapes: readonly InitShape[] = INIT_SHAPES): CheckResult {
  const failures: string[] = [];
  for (const shape of shapes) {
    const a = tryInit(instance, shape, 1, failures);
    const b = tryInit(instance, shape, 2, failures);
    if (a && b && sameBits(a, b)) {
      failures.push(`${label(shape)}: seeds 1 and 2 gave identical arrays (is ctx.rng used?)`);
    }
  }
  return result(failures);
}

/** `Math.random` is never called: the suite stubs it to throw while `init` runs. */
export function checkInitNoMathRandom(instance: Initializer, shapes: readonly InitShape[] = INIT_SHAPES): CheckResult {
  const failures: string[] = [];
  const spy = vi.spyOn(Math, 'random').mockImplementation(() => {
    throw new Error('Math.random is not allowed in an initializer; use ctx.rng');
  });
  try {
    for (const shape of shapes) tryInit(instance, shape, 'no-math-random', failures);
    if (spy.mock.calls.length > 0) {
      failures.push(`Math.random was called ${spy.mock.calls.length} time(s); use ctx.rng`);
    }
  } finally {
    spy.mockRestore();
  }
  return result(failures);
}

/** Sample mean, population variance (divisor N) and fourth central moment. */
export function sampleMoments(x: Float64Array): { n: number; mean: number; variance: number; m4: number } {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d2 = (x[i] - mean) ** 2;
    m2 += d2;
    m4 += d2 * d2;
  }
  return { n, mean, variance: m2 / n, m4: m4 / n };
}

/** The declared moments, or a failure when `variance` is missing. */
function declared(
  instance: Initializer,
  shape: InitShape,
  failures: string[],
): { mean: number; variance: number } | undefined {
  if (typeof instance.variance !== 'function') {
    failures.push('the initializer declares no variance(shape); declare it so the suite can check the samples');
    return undefined;
  }
  return { mean: instance.mean?.(shape) ?? 0, variance: instance.variance(shape) };
}

/** Shapes of the moment checks: 65,536 samples each. */
export const MOMENT_SHAPE = initShape('weight', 256, 256);
/** Asymmetric fans, so fan-in/fan-out mix-ups change the variance by 4×. */
export const ASYMMETRIC_SHAPES: readonly InitShape[] = [initShape('weight', 512, 128), initShape('weight', 128, 512)];

/** |mean − μ| ≤ 3.29·√(σ²/N): the empirical mean matches `mean(shape)` (0 when undeclared). */
export function checkInitMean(
  instance: Initializer,
  shape: InitShape = MOMENT_SHAPE,
  seed: number | string = 'moments',
): CheckResult {
  const failures: string[] = [];
  const want = declared(instance, shape, failures);
  const out = want && tryInit(instance, shape, seed, failures);
  if (!want || !out) return result(failures);
  const s = sampleMoments(out);
  const bound = Z_999 * Math.sqrt(want.variance / s.n) + 1e-12 * (1 + Math.abs(want.mean));
  if (!(Math.abs(s.mean - want.mean) <= bound)) {
    failures.push(
      `${label(shape)}: empirical mean ${s.mean} differs from the declared ${want.mean} by more than ${bound} (99.9%)`,
    );
  }
  return result(failures);
}

/**
 * |s² − σ²| ≤ 3.29·SE with SE(s²) ≈ √((m4 − s⁴)/N), the large-sample standard error of a
 * sample variance (m4 estimated from the same sample), so heavy or light tails are allowed for.
 */
export function checkInitVariance(
  instance: Initializer,
  shapes: readonly InitShape[] = [MOMENT_SHAPE],
  seed: number | string = 'moments',
): CheckResult {
  const failures: string[] = [];
  for (const shape of shapes) {
    const want = declared(instance, shape, failures);
    const out = want && tryInit(instance, shape, seed, failures);
    if (!want || !out) continue;
    const s = sampleMoments(out);
    const se = Math.sqrt(Math.max(0, s.m4 - s.variance ** 2) / s.n);
    const bound = Z_999 * se + 1e-12 * want.variance;
    if (!(Math.abs(s.variance - want.variance) <= bound)) {
      failures.push(
        `${label(shape)} (fanIn ${shape.fanIn}, fanOut ${shape.fanOut}): empirical variance ${s.variance} differs from ` +
          `the declared ${want.variance} by more than ${bound} (99.9%); ratio ${(s.variance / want.variance).toFixed(4)}`,
      );
    }
  }
  return result(failures);
}

/** Family 'constant': every value equals `mean(shape)` and the declared variance, if any, is 0. */
export function checkInitConstant(instance: Initializer, shapes: readonly InitShape[] = INIT_SHAPES): CheckResult {
  const failures: string[] = [];
  for (const shape of shapes) {
    const mean = instance.mean?.(shape) ?? 0;
    const out = tryInit(instance, shape, 'constant', failures);
    const bad = out?.findIndex((v) => v !== mean) ?? -1;
    if (out && bad >= 0) failures.push(`${label(shape)}: value [${bad}] is ${out[bad]}, not the declared mean ${mean}`);
    const variance = instance.variance?.(shape) ?? 0;
    if (variance !== 0) failures.push(`${label(shape)}: declared variance is ${variance}, not 0`);
  }
  return result(failures);
}

/** Shapes of the orthogonality check: square, tall, wide and recurrent. */
export const ORTHOGONAL_SHAPES: readonly InitShape[] = [
  initShape('weight', 128, 128),
  initShape('weight', 64, 32),
  initShape('weight', 32, 64),
  initShape('recurrent', 32, 32),
];

/**
 * Family 'orthogonal': the Gram matrix of the smaller dimension is gain²·I within 1e-10:
 * WᵀW for rows ≥ cols (orthonormal columns), WWᵀ otherwise. `gain` defaults to 1.
 */
export function checkInitOrthogonal(
  instance: Initializer,
  gain = 1,
  shapes: readonly InitShape[] = ORTHOGONAL_SHAPES,
): CheckResult {
  const failures: string[] = [];
  const tol = 1e-10 * Math.max(1, gain * gain);
  for (const shape of shapes) {
    const w = tryInit(instance, shape, 'orthogonal', failures);
    const [rows, cols] = shape.shape;
    if (!w || w.length !== rows * cols) continue;
    const tall = rows >= cols;
    const k = tall ? cols : rows;
    const n = tall ? rows : cols;
    // entry (a, b) of the k×k Gram matrix: dot product of columns (tall) or rows (wide) a and b
    const at = (a: number, i: number) => (tall ? w[i * cols + a] : w[a * cols + i]);
    let worst = 0;
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += at(a, i) * at(b, i);
        worst = Math.max(worst, Math.abs(dot - (a === b ? gain * gain : 0)));
      }
    }
    if (!(worst <= tol)) {
      failures.push(
        `${label(shape)}: ${tall ? 'WᵀW' : 'WWᵀ'} differs from ${gain * gain}·I by up to ${worst} (tolerance ${tol})`,
      );
    }
  }
  return result(failures);
}

/** Names of every initializer check, for skip maps. */
export const INITIALIZER_CHECK_NAMES: readonly string[] = [
  'length',
  'finite',
  'deterministic',
  'seed-sensitive',
  'no-math-random',
  'mean',
  'variance',
  'variance-asymmetric',
  'constant-value',
  'orthogonal',
];

/** The checks that apply to `instance`, chosen by `meta.family`. */
export function initializerChecks(meta: InitializerMeta, instance: Initializer): Check[] {
  const c = (name: string, title: string, run: () => CheckResult): Check => ({ name, title, run });
  const checks = [
    c('length', 'returns rows·cols values for weights, recurrent weights and biases', () => checkInitLength(instance)),
    c('finite', 'returns finite values', () => checkInitFinite(instance)),
    c('deterministic', 'the same seed gives identical arrays', () => checkInitDeterministic(instance)),
    c('no-math-random', 'never calls Math.random', () => checkInitNoMathRandom(instance)),
  ];
  if (meta.family === 'constant') {
    return [...checks, c('constant-value', 'every value equals the declared mean', () => checkInitConstant(instance))];
  }
  checks.push(
    c('seed-sensitive', 'different seeds give different arrays', () => checkInitSeedSensitive(instance)),
    c('mean', 'the empirical mean at 256×256 matches mean() (99.9%)', () => checkInitMean(instance)),
    c('variance', 'the empirical variance at 256×256 matches variance() (99.9%)', () => checkInitVariance(instance)),
    c(
      'variance-asymmetric',
      'the empirical variance at 512×128 and 128×512 matches variance(), so fan-in and fan-out are not mixed up',
      () => checkInitVariance(instance, ASYMMETRIC_SHAPES),
    ),
  );
  if (meta.family === 'orthogonal') {
    const gain = typeof instance.options.gain === 'number' ? instance.options.gain : 1;
    const title = 'the Gram matrix of the smaller dimension is gain²·I';
    checks.push(c('orthogonal', title, () => checkInitOrthogonal(instance, gain)));
  }
  return checks;
}

/** The option sets a suite runs: `cases` merged over `options`, or just `options`. */

/**
 * The initializer conformance suite: the "all kinds" checks, then the initializer checks for
 * each option set.
 *
 * ```ts
 * describeInitializer(he, { cases: [{}, { mode: 'fan-out', distribution: 'uniform' }] });
 * ```
 */
export function describeInitializer(
  definition: PluginDefinitionLike<InitializerMeta, Initializer>,
  opts: InitializerSuiteOptions = {},
): void {
  describeSuite(definition, opts, INITIALIZER_CHECK_NAMES, (options) =>
    initializerChecks(definition.meta, instantiate(definition, options)),
  );
}
