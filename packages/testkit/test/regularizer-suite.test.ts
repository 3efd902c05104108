import { defineRegularizer, type ParamRole, type RegularizerFunctions } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  checkRegAfterStep,
  checkRegAppliesTo,
  checkRegGradient,
  checkRegNoMutation,
  checkRegPenaltyNonNegative,
  checkRegStrengthLinear,
  checkRegZeroSubgradient,
  describeRegularizer,
  pointAwayFromZero,
  regularizerChecks,
} from '../src/regularizer.ts';

const options = {
  strength: { type: 'number', default: 0.01, min: 0, description: 'λ.' },
  apply: {
    type: 'enum',
    values: ['weights', 'weights-and-biases', 'all'],
    default: 'weights',
    description: 'Which tensors.',
  },
} as const;
const ROLES = {
  weights: ['weight', 'recurrent'],
  'weights-and-biases': ['weight', 'recurrent', 'bias'],
  all: ['weight', 'recurrent', 'bias', 'gamma', 'beta'],
} as const satisfies Record<string, readonly ParamRole[]>;
const meta = {
  kind: 'regularizer' as const,
  id: 'fixture',
  title: 'Fixture',
  summary: 'A test fixture.',
  formula: 'λ|w|',
};

/** A correct L1 with clamping, built so that any one piece can be replaced by a broken one. */
function l1(
  strength: number,
  apply: keyof typeof ROLES = 'weights',
): RegularizerFunctions & Required<Pick<RegularizerFunctions, 'afterStep'>> {
  return {
    appliesTo: ROLES[apply],
    penalty: (w) => strength * w.reduce((s, v) => s + Math.abs(v), 0),
    addGradient(w, grad) {
      for (let i = 0; i < w.length; i++) grad[i] += strength * Math.sign(w[i]);
    },
    afterStep(w, previous) {
      for (let i = 0; i < w.length; i++) if (previous[i] * w[i] < 0) w[i] = 0;
    },
  };
}
/** Calls f on every entry (a loop that test one-liners can use without forEach's return-value lint). */
const each = (w: Float64Array, f: (v: number, i: number) => unknown) => {
  for (let i = 0; i < w.length; i++) f(w[i], i);
};
const define = (create: (o: { strength: number; apply: keyof typeof ROLES }) => RegularizerFunctions) =>
  defineRegularizer({ meta, options, create });
const instance = (fns: RegularizerFunctions) => define(() => fns)();
const good = define(({ strength, apply }) => l1(strength, apply));

describe('regularizer checks pass on a correct L1', () => {
  for (const check of regularizerChecks(good))
    it(check.name, () => expect(check.run()).toEqual({ ok: true, failures: [] }));
});

describe('each regularizer check fails on a broken regularizer', () => {
  it('penalty-nonnegative: an offset makes penalty(0) ≠ 0; a signed sum goes negative', () => {
    expect(checkRegPenaltyNonNegative(instance({ ...l1(0.1), penalty: (w) => 1 + w.length })).failures[0]).toMatch(
      /zero tensor is 17, not 0/,
    );
    const signed = instance({ ...l1(0.1), penalty: (w) => w.reduce((s, v) => s + v, 0) });
    expect(checkRegPenaltyNonNegative(signed).failures[0]).toMatch(/penalty at a random point .* is -/);
  });

  it('no-mutation: addGradient shrinks w itself', () => {
    const shrinks = instance({ ...l1(0.1), addGradient: (w) => each(w, (_, i) => (w[i] *= 0.9)) });
    expect(checkRegNoMutation(shrinks).failures).toEqual(['addGradient mutated w']);
  });

  it('gradient: Keras-style 2λw against a ½λ‖w‖² penalty; and overwriting instead of accumulating', () => {
    const doubled = instance({
      ...l1(0.1),
      penalty: (w) => 0.05 * w.reduce((s, v) => s + v * v, 0),
      addGradient: (w, grad) => each(w, (v, i) => (grad[i] += 0.2 * v)),
    });
    expect(checkRegGradient(doubled).failures[0]).toMatch(/grad increased by .*central difference of penalty is/);
    const overwrites = instance({
      ...l1(0.1),
      addGradient: (w, grad) => each(w, (v, i) => (grad[i] = 0.1 * Math.sign(v))),
    });
    expect(checkRegGradient(overwrites).ok).toBe(false);
  });

  it('zero-subgradient: sign(0) taken as +1', () => {
    const plusAtZero = instance({
      ...l1(0.1),
      addGradient: (w, grad) => each(w, (v, i) => (grad[i] += v >= 0 ? 0.1 : -0.1)),
    });
    expect(checkRegZeroSubgradient(plusAtZero).failures[0]).toMatch(/at w\[0\] = 0 addGradient added 0\.1/);
  });

  it('strength-linear: a hidden constant floor; no strength option at all', () => {
    const floored = define(({ strength }) => ({
      ...l1(strength),
      penalty: (w) => Math.max(strength, 0.015) * w.reduce((s, v) => s + Math.abs(v), 0),
    }));
    expect(checkRegStrengthLinear(floored).failures[0]).toMatch(/penalty is .* at strength 0\.01 but .* at 0\.02/);
    const noStrength = defineRegularizer({ meta, create: () => l1(1) });
    expect(checkRegStrengthLinear(noStrength).failures[0]).toMatch(/no numeric `strength` option/);
  });

  it('after-step: clamps too eagerly, never clamps, or writes to previous', () => {
    const eager = instance({
      ...l1(0.1),
      afterStep: (w, p) => each(w, (v, i) => (Math.abs(v) < 0.05 || p[i] * v < 0 ? (w[i] = 0) : 0)),
    });
    expect(checkRegAfterStep(eager).failures[0]).toMatch(/did not cross zero .* changed it to 0/);
    const never = instance({ ...l1(0.1), afterStep: () => {} });
    expect(checkRegAfterStep(never).failures[0]).toMatch(/went from .* afterStep left .*, not 0/);
    const touchesPrevious = instance({ ...l1(0.1), afterStep: (_w, p) => void p.fill(0) });
    expect(checkRegAfterStep(touchesPrevious).failures.at(-1)).toBe('afterStep mutated previous');
  });

  it('applies-to: ignores the apply option; names an unknown role', () => {
    const stuck = define(({ strength }) => l1(strength, 'weights'));
    expect(checkRegAppliesTo(stuck).failures).toEqual([
      "apply: 'weights-and-biases' → appliesTo is [weight,recurrent], expected [weight,recurrent,bias]",
      "apply: 'all' → appliesTo is [weight,recurrent], expected [weight,recurrent,bias,gamma,beta]",
    ]);
    const odd = instance({ ...l1(0.1), appliesTo: ['kernel' as ParamRole] });
    expect(checkRegAppliesTo(defineRegularizer({ meta, create: () => odd })).failures[0]).toMatch(
      /unknown role "kernel"/,
    );
  });
});

it('pointAwayFromZero keeps every |w| ≥ floor·scale', () => {
  expect(Math.min(...pointAwayFromZero(100, 'p', 2, 0.05).map(Math.abs))).toBeGreaterThanOrEqual(0.1);
});

it('after-step is only registered when the instance has afterStep', () => {
  const smooth = defineRegularizer({
    meta,
    options,
    create: ({ strength }) => ({ ...l1(strength), afterStep: undefined }),
  });
  expect(regularizerChecks(smooth).map((c) => c.name)).not.toContain('after-step');
  expect(regularizerChecks(good).map((c) => c.name)).toContain('after-step');
});

describe('describeRegularizer registers a full suite for an inline plugin', () => {
  describeRegularizer(good, { cases: [{}, { strength: 2, apply: 'all' }] });
});
