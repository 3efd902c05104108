/**
 * The activation suite can fail: each check is fed a deliberately broken activation and must
 * report it, and a correct one must pass every check (so failures are not always reported).
 */
import { createRng } from '@gradlab/core';
import { type ActivationFunctions, type ActivationMeta, defineActivation } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  activationChecks,
  assertCheck,
  assertKnownSkips,
  checkActivationMeta,
  checkDefaults,
  checkExtremesFinite,
  checkExtremesSaturated,
  checkGain,
  checkGolden,
  checkGradient,
  checkInvalidOptions,
  checkKinks,
  checkMonotonic,
  checkNaN,
  checkOptionDefaults,
  checkPassesThroughOrigin,
  checkRange,
  checkReferences,
  checkSaturation,
  checkSummary,
  checkUnknownOption,
  checkVectorised,
  checkZeroCentered,
  describeActivation,
  gaussianMoments,
  type PluginDefinitionLike,
  pluginChecks,
  skipReason,
} from '../src/index.ts';

/** A correct, stable tanh. Every broken activation below starts from it and changes one thing. */
const tanhMeta: ActivationMeta = {
  kind: 'activation',
  id: 'test-tanh',
  title: 'Test tanh',
  summary: 'A tanh used to test the suite.',
  formula: { forward: '\\tanh x', derivative: '1-\\tanh^2 x' },
  range: [-1, 1],
  properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: true, smooth: true, saturates: 'both' },
  recommendedInitializer: 'glorot',
  references: [{ title: 'Glorot, Bengio (2010)', url: 'https://proceedings.mlr.press/v9/glorot10a.html', year: 2010 }],
};
const tanh: ActivationFunctions = { forward: Math.tanh, derivative: (_x, y) => 1 - y * y };

const good = defineActivation({
  meta: tanhMeta,
  options: { scale: { type: 'number', default: 1, min: 0, max: 10, description: 'Output scale.' } } as const,
  create: ({ scale }) => ({ forward: (x) => scale * Math.tanh(x), derivative: (x) => scale * (1 - Math.tanh(x) ** 2) }),
});

const rng = () => createRng('activation-suite-test');
const meta = (changes: Partial<ActivationMeta>): ActivationMeta => ({ ...tanhMeta, ...changes });
const props = (changes: Partial<ActivationMeta['properties']>) =>
  meta({ properties: { ...tanhMeta.properties, ...changes } });
const relu: ActivationFunctions = {
  forward: (x) => Math.max(x, 0),
  derivative: (x) => (x > 0 ? 1 : x <= 0 ? 0 : Number.NaN),
};
const reluMeta = meta({
  range: [0, Number.POSITIVE_INFINITY],
  properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: false, smooth: false, saturates: 'negative' },
  kinks: [0],
});

function failuresOf(outcome: { ok: boolean; failures: readonly string[] }): string {
  expect(outcome.ok).toBe(false);
  expect(outcome.failures.length).toBeGreaterThan(0);
  return outcome.failures.join('\n');
}

describe('a correct activation passes every check', () => {
  for (const check of [...pluginChecks(good), ...activationChecks(good)]) {
    it(check.name, () => assertCheck(check.run(), check.name));
  }
  it('relu (kinked, saturating on one side) passes the kink, saturation and NaN checks', () => {
    expect(checkKinks(relu, reluMeta).ok).toBe(true);
    expect(checkSaturation(relu, reluMeta).ok).toBe(true);
    expect(checkExtremesSaturated(relu, reluMeta).ok).toBe(true);
    expect(checkGradient(relu, reluMeta, rng()).ok).toBe(true);
    expect(checkNaN(relu).ok).toBe(true);
  });
});

describe('the activation checks catch broken activations', () => {
  it('a wrong derivative fails the gradient check', () => {
    const wrong = { ...tanh, derivative: (_x: number, y: number) => 1 - 0.9 * y * y };
    expect(failuresOf(checkGradient(wrong, tanhMeta, rng()))).toMatch(/central difference/);
  });

  it('a kinked function declared smooth fails the gradient check at 0', () => {
    const text = failuresOf(
      checkGradient(
        relu,
        meta({ ...reluMeta, kinks: [], properties: { ...reluMeta.properties, smooth: true } }),
        rng(),
      ),
    );
    expect(text).toMatch(/at x = 0:/);
  });

  it('a kink declared where f′ does not jump fails the kink check', () => {
    expect(
      failuresOf(checkKinks(tanh, meta({ kinks: [0], properties: { ...tanhMeta.properties, smooth: false } }))),
    ).toMatch(/no jump/);
    expect(failuresOf(checkKinks(relu, meta({ ...reluMeta, kinks: [] })))).toMatch(/no kinks are declared/);
  });

  it('a lying `monotonic` fails, in both directions', () => {
    const wobbly = {
      forward: (x: number) => x + 0.5 * Math.sin(3 * x),
      derivative: (x: number) => 1 + 1.5 * Math.cos(3 * x),
    };
    expect(failuresOf(checkMonotonic(wobbly, tanhMeta))).toMatch(/decreases/);
    expect(failuresOf(checkMonotonic(tanh, props({ monotonic: false })))).toMatch(/never decreases/);
  });

  it('a lying range fails: values outside it, or a bound never approached', () => {
    expect(failuresOf(checkRange(tanh, meta({ range: [-0.5, 1] })))).toMatch(/outside the declared range/);
    expect(failuresOf(checkRange(tanh, meta({ range: [-2, 1] })))).toMatch(/far above the declared minimum/);
  });

  it('a lying passesThroughOrigin fails', () => {
    const shifted = { ...tanh, forward: (x: number) => Math.tanh(x) + 0.1 };
    expect(failuresOf(checkPassesThroughOrigin(shifted, tanhMeta))).toMatch(/f\(0\) = 0.1/);
    expect(failuresOf(checkPassesThroughOrigin(tanh, props({ passesThroughOrigin: false })))).toMatch(/f\(0\) = 0/);
  });

  it('gaussianMoments matches closed forms: E relu(z) = 1/√(2π), E relu(z)² = 1/2, E tanh(z) = 0', () => {
    const r = gaussianMoments(relu.forward);
    expect(r.mean).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 5);
    expect(r.rms).toBeCloseTo(Math.SQRT1_2, 5);
    expect(Math.abs(gaussianMoments(Math.tanh).mean)).toBeLessThan(1e-12);
    // E exp(z) = e^{1/2}: a smooth integrand the rule gets to many digits.
    expect(gaussianMoments(Math.exp).mean).toBeCloseTo(Math.exp(0.5), 9);
  });

  it('a lying zeroCentered fails, in both directions (outputs centred on zero, not f(0) = 0)', () => {
    // ReLU passes through the origin but its outputs are not centred on zero (mean ≈ 0.40 = 0.56 × RMS).
    expect(checkPassesThroughOrigin(relu, reluMeta).ok).toBe(true);
    expect(checkZeroCentered(relu, reluMeta).ok).toBe(true);
    expect(
      failuresOf(checkZeroCentered(relu, { ...reluMeta, properties: { ...reluMeta.properties, zeroCentered: true } })),
    ).toMatch(/zeroCentered is declared but E f\(z\) = 0.3989/);
    expect(failuresOf(checkZeroCentered(tanh, props({ zeroCentered: false })))).toMatch(/zeroCentered is false/);
    // tanh + 0.1: mean 0.1, about 0.15 × its RMS, past the 0.05 tolerance.
    expect(failuresOf(checkZeroCentered({ ...tanh, forward: (x) => Math.tanh(x) + 0.1 }, tanhMeta))).toMatch(
      /zeroCentered is declared/,
    );
  });

  it('a lying saturates fails on the wrong side', () => {
    expect(failuresOf(checkSaturation(tanh, props({ saturates: 'none' })))).toMatch(/below 1e-6/);
    expect(failuresOf(checkSaturation(relu, props({ saturates: 'both' })))).toMatch(/f'\(30\)/);
  });

  it('naive formulas that overflow to NaN at the extremes fail', () => {
    // (e^{2x} − 1)/(e^{2x} + 1) is Infinity/Infinity = NaN past x ≈ 354.9.
    const naiveTanh = {
      forward: (x: number) => Math.expm1(2 * x) / (Math.exp(2 * x) + 1),
      derivative: tanh.derivative,
    };
    expect(failuresOf(checkExtremesFinite(naiveTanh))).toMatch(/f\(355\) = NaN/);
    // σ' = e^{−x}/(1 + e^{−x})² is Infinity/Infinity at x = −1e3.
    const naiveSigmoidSlope = {
      forward: (x: number) => 1 / (1 + Math.exp(-x)),
      derivative: (x: number) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2,
    };
    expect(failuresOf(checkExtremesFinite(naiveSigmoidSlope))).toMatch(/f'\(-1000\) = NaN/);
    expect(failuresOf(checkExtremesSaturated(naiveSigmoidSlope, tanhMeta))).toMatch(/saturating side/);
  });

  it('f′ that stays non-zero far out on a saturating side fails', () => {
    const leakyTail = { ...tanh, derivative: (_x: number, y: number) => 1 - y * y + 1e-90 };
    expect(failuresOf(checkExtremesSaturated(leakyTail, tanhMeta))).toMatch(/expected/);
  });

  it('mapping NaN to 0 (x > 0 ? x : 0) fails the NaN check', () => {
    // biome-ignore lint/complexity/useMathMinMax: the NaN-swallowing ternary is the bug under test
    const naiveRelu = { forward: (x: number) => (x > 0 ? x : 0), derivative: (x: number) => (x > 0 ? 1 : 0) };
    expect(failuresOf(checkNaN(naiveRelu))).toMatch(/f\(NaN\) = 0, not NaN/);
  });

  it('forwardInto or derivativeInto that differ from the scalar path fail', () => {
    const offByOne: ActivationFunctions = {
      ...tanh,
      forwardInto: (x, out) => {
        for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]) * (i === 500 ? 1 + 1e-15 : 1);
      },
    };
    expect(failuresOf(checkVectorised(offByOne, tanhMeta, rng()))).toMatch(/forwardInto gives/);
    const nanBlind: ActivationFunctions = {
      ...tanh,
      derivativeInto: (_x, y, out) => {
        for (let i = 0; i < y.length; i++) out[i] = Number.isNaN(y[i]) ? 0 : 1 - y[i] * y[i];
      },
    };
    expect(failuresOf(checkVectorised(nanBlind, tanhMeta, rng()))).toMatch(/derivativeInto gives 0 at x = NaN/);
    expect(checkVectorised(tanh, tanhMeta, rng()).ok).toBe(true);
  });

  it('a non-positive or non-finite gain fails', () => {
    expect(failuresOf(checkGain({ ...tanh, gain: -1 }))).toMatch(/gain -1/);
    expect(failuresOf(checkGain({ ...tanh, gain: Number.POSITIVE_INFINITY }))).toMatch(/gain Infinity/);
  });

  it('malformed activation meta fails', () => {
    const text = failuresOf(
      checkActivationMeta(
        meta({
          range: [1, -1],
          kinks: [1, 0],
          recommendedInitializer: 'He Normal',
          formula: { forward: '', derivative: 'x' },
        }),
      ),
    );
    expect(text).toMatch(/formula/);
    expect(text).toMatch(/not an interval/);
    expect(text).toMatch(/increasing/);
    expect(text).toMatch(/kebab-case/);
  });

  it('golden values that disagree, or a malformed golden file, fail', () => {
    const grid = [-1, 0, 1];
    const forward = grid.map(Math.tanh);
    const derivative = grid.map((x) => 1 - Math.tanh(x) ** 2);
    expect(checkGolden(good, { grid, cases: [{ options: {}, forward, derivative }] }).ok).toBe(true);
    const off = [...forward];
    off[2] *= 1 + 1e-10;
    expect(failuresOf(checkGolden(good, { grid, cases: [{ options: {}, forward: off, derivative }] }))).toMatch(
      /f\(1\)/,
    );
    expect(failuresOf(checkGolden(good, { grid, cases: [{ options: { scale: 2 }, forward, derivative }] }))).toMatch(
      /"scale":2/,
    );
    expect(failuresOf(checkGolden(good, { grid }))).toMatch(/golden must be/);
    expect(failuresOf(checkGolden(good, { grid, cases: [{ options: {}, forward: [0], derivative }] }))).toMatch(
      /need 3 values/,
    );
  });
});

describe('the plugin checks catch broken definitions', () => {
  it('a summary that is not one sentence ending in a period fails', () => {
    expect(failuresOf(checkSummary(meta({ summary: 'No period' })))).toMatch(/period/);
    expect(failuresOf(checkSummary(meta({ summary: 'Two sentences. Here.' })))).toMatch(/more than one sentence/);
  });

  it('a reference without https fails', () => {
    expect(failuresOf(checkReferences(meta({ references: [{ title: 'Old', url: 'http://example.org' }] })))).toMatch(
      /not https/,
    );
    expect(failuresOf(checkReferences(meta({ references: [{ title: 'Bad', url: 'not a url' }] })))).toMatch(
      /not a URL/,
    );
  });

  it('option defaults outside min/max fail', () => {
    const schema = { a: { type: 'number', default: 5, min: 0, max: 1, description: 'x' } } as const;
    expect(failuresOf(checkOptionDefaults(schema))).toMatch(/> max 1/);
  });

  /** A hand-written definition whose factory ignores its options (no validation). */
  const sloppy = Object.assign(() => ({ ...tanh, id: 'wrong-id', options: { scale: 2 } }), {
    kind: 'activation' as const,
    meta: tanhMeta,
    options: good.options,
  }) as unknown as PluginDefinitionLike;

  it('a factory that accepts unknown options fails', () => {
    expect(failuresOf(checkUnknownOption(sloppy))).toMatch(/threw nothing, not UnknownPluginOption/);
    expect(checkUnknownOption(good).ok).toBe(true);
  });

  it('a factory that accepts invalid values fails', () => {
    expect(failuresOf(checkInvalidOptions(sloppy))).toMatch(/threw nothing, not InvalidPluginOption/);
    expect(checkInvalidOptions(good).ok).toBe(true);
  });

  it('a factory whose instance has the wrong id or non-default options fails', () => {
    const text = failuresOf(checkDefaults(sloppy));
    expect(text).toMatch(/id is wrong-id/);
    expect(text).toMatch(/not the default 1/);
  });
});

describe('skips', () => {
  it('need a written reason', () => {
    expect(skipReason({ gradcheck: 'because' }, 'gradcheck')).toBe('because');
    expect(skipReason({ gradcheck: 'because' }, 'range')).toBeUndefined();
    expect(skipReason(undefined, 'range')).toBeUndefined();
    expect(() => skipReason({ gradcheck: '  ' }, 'gradcheck')).toThrow(/written reason/);
  });

  it('must name an existing check, with a suggestion for typos', () => {
    expect(() => assertKnownSkips({ monotonc: 'x' }, ['monotonic', 'range'])).toThrow(/Did you mean "monotonic"/);
    expect(() => assertKnownSkips({ range: 'x' }, ['monotonic', 'range'])).not.toThrow();
  });

  it('report the check name in failures', () => {
    expect(() => assertCheck({ ok: false, failures: ['boom'] }, 'range')).toThrow(/Check "range" failed.*\n {2}- boom/);
  });
});

// The full suite, registered as its users do, with one skip to exercise the skip path.
describeActivation(good, { skip: { gain: 'the test activation declares no gain' } });
describeActivation(good, { options: { scale: 1 } });
