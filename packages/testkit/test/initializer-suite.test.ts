import {
  defineInitializer,
  type InitializerFunctions,
  type InitializerMeta,
  type InitShape,
  varianceScaling,
} from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  ASYMMETRIC_SHAPES,
  checkInitConstant,
  checkInitDeterministic,
  checkInitFinite,
  checkInitLength,
  checkInitMean,
  checkInitNoMathRandom,
  checkInitOrthogonal,
  checkInitSeedSensitive,
  checkInitVariance,
  describeInitializer,
  initializerChecks,
  initShape,
  sampleMoments,
} from '../src/initializer.ts';

const meta = (family: InitializerMeta['family'] = 'variance-scaling') => ({
  kind: 'initializer' as const,
  id: 'fixture',
  title: 'Fixture',
  summary: 'A test fixture.',
  formula: 'W',
  family,
});
/** An instance made with defineInitializer, so it is exactly what the suite sees from a plugin. */
const make = (fns: InitializerFunctions, family?: InitializerMeta['family']) =>
  defineInitializer({ meta: meta(family), create: () => fns })();

const he = varianceScaling({ scale: 2, mode: 'fan-in', distribution: 'normal' });
const good = make(he);
const size = (s: InitShape) => s.shape[0] * s.shape[1];

/** Gaussian values with the given std, drawn from ctx.rng. */
const gaussian =
  (std: (s: InitShape) => number, mean = 0): InitializerFunctions['init'] =>
  (ctx) =>
    Float64Array.from({ length: size(ctx) }, () => mean + std(ctx) * ctx.rng.normal());

describe('initializer checks pass on a correct He initializer', () => {
  for (const check of initializerChecks(meta(), good))
    it(check.name, () => expect(check.run()).toEqual({ ok: true, failures: [] }));
});

describe('each initializer check fails on a broken initializer', () => {
  it('length: one value short', () => {
    const short = make({ ...he, init: (ctx) => he.init(ctx).subarray(1) });
    expect(checkInitLength(short).failures[0]).toMatch(/weight 256×256: 65535 values, expected 65536/);
  });

  it('finite: a NaN slipped in', () => {
    const nan = make({ ...he, init: (ctx) => he.init(ctx).fill(Number.NaN, 3, 4) });
    expect(checkInitFinite(nan).failures[0]).toMatch(/value \[3\] is NaN/);
  });

  it('deterministic: depends on a hidden counter', () => {
    let calls = 0;
    const drifting = make({ ...he, init: (ctx) => he.init(ctx).map((v) => v + calls++ * 1e-9) });
    expect(checkInitDeterministic(drifting).ok).toBe(false);
  });

  it('seed-sensitive: ignores ctx.rng', () => {
    const fixed = make({ ...he, init: (ctx) => Float64Array.from({ length: size(ctx) }, (_, i) => Math.sin(i)) });
    expect(checkInitSeedSensitive(fixed).failures[0]).toMatch(/identical arrays/);
  });

  it('no-math-random: draws from Math.random', () => {
    const global = make({ ...he, init: (ctx) => Float64Array.from({ length: size(ctx) }, () => Math.random() - 0.5) });
    expect(checkInitNoMathRandom(global).failures[0]).toMatch(/Math\.random is not allowed/);
    expect(Math.random()).toBeTypeOf('number'); // the stub is restored
  });

  it('no-math-random: catches a plugin that swallows the throw', () => {
    const swallow = make({
      ...he,
      init(ctx) {
        try {
          Math.random();
        } catch {}
        return he.init(ctx);
      },
    });
    expect(checkInitNoMathRandom(swallow).failures.at(-1)).toMatch(/Math\.random was called/);
  });

  it('mean: samples are shifted by 0.01 but declare mean 0', () => {
    const shifted = make({ ...he, init: gaussian((s) => Math.sqrt(2 / s.fanIn), 0.01) });
    expect(checkInitMean(shifted).failures[0]).toMatch(/empirical mean 0\.0\d+ differs from the declared 0/);
  });

  it('variance: declares 2/fan_in but samples 1/fan_in (LeCun scale)', () => {
    const halved = make({ ...he, init: gaussian((s) => Math.sqrt(1 / s.fanIn)) });
    expect(checkInitVariance(halved).failures[0]).toMatch(/ratio 0\.5/);
  });

  it('variance: no variance() declared', () => {
    expect(checkInitVariance(make({ init: he.init })).failures[0]).toMatch(/declares no variance/);
  });

  it('variance-asymmetric: samples with fan_out, declares fan_in (invisible at 256×256)', () => {
    const swapped = make({ ...he, init: gaussian((s) => Math.sqrt(2 / s.fanOut)) });
    expect(checkInitVariance(swapped).ok).toBe(true);
    const outcome = checkInitVariance(swapped, ASYMMETRIC_SHAPES);
    expect(outcome.failures).toHaveLength(2);
    expect(outcome.failures[0]).toMatch(/fanIn 512, fanOut 128.*ratio 4\.0/);
  });

  it('constant-value: a value differs from the declared mean', () => {
    const almost = make(
      { mean: () => 0.1, variance: () => 0, init: (ctx) => new Float64Array(size(ctx)).fill(0.1).fill(0, 0, 1) },
      'constant',
    );
    expect(checkInitConstant(almost).failures[0]).toMatch(/value \[0\] is 0, not the declared mean 0\.1/);
    const noisy = make({ mean: () => 0, variance: () => 1, init: (ctx) => new Float64Array(size(ctx)) }, 'constant');
    expect(checkInitConstant(noisy).failures[0]).toMatch(/declared variance is 1, not 0/);
  });

  it('orthogonal: a Gaussian matrix is not orthogonal; a wrong gain is caught', () => {
    const notOrthogonal = make({ ...he, init: gaussian((s) => 1 / Math.sqrt(Math.max(...s.shape))) }, 'orthogonal');
    expect(checkInitOrthogonal(notOrthogonal).failures).toHaveLength(4);
    const identity = make(
      { init: ({ shape: [r, c] }) => Float64Array.from({ length: r * c }, (_, i) => (i % (c + 1) === 0 ? 1 : 0)) },
      'orthogonal',
    );
    expect(checkInitOrthogonal(identity, 1, [initShape('weight', 16, 16)]).ok).toBe(true);
    expect(checkInitOrthogonal(identity, 2, [initShape('weight', 16, 16)]).failures[0]).toMatch(/4·I/);
  });

  it('a throwing init becomes a failure, not a crash', () => {
    const throws = make({
      init: () => {
        throw new Error('boom');
      },
    });
    expect(checkInitLength(throws).failures[0]).toMatch(/init threw boom/);
  });
});

describe('check selection by family', () => {
  const names = (family: InitializerMeta['family']) => initializerChecks(meta(family), good).map((c) => c.name);
  it('constant: constant-value instead of the seed and moment checks', () => {
    expect(names('constant')).toEqual(['length', 'finite', 'deterministic', 'no-math-random', 'constant-value']);
  });
  it('orthogonal adds the Gram check', () => expect(names('orthogonal')).toContain('orthogonal'));
});

it('sampleMoments: mean, population variance and fourth central moment', () => {
  expect(sampleMoments(Float64Array.of(1, -1, 1, -1))).toEqual({ n: 4, mean: 0, variance: 1, m4: 1 });
});

describe('describeInitializer registers a full suite for an inline plugin', () => {
  describeInitializer(defineInitializer({ meta: meta(), create: () => he }), {
    cases: [{}],
    skip: { 'variance-asymmetric': 'exercising the skip path' },
  });
});
