/**
 * The "you made this mistake" feedback of numeric questions: each range must catch the wrong answer its
 * feedback names, measured against the key the engine computes. The wrong answers are derived by hand
 * (ρ^50 for ρ^49, 7/6 for 1/6, |a − n| for |a − n| / max, …), not read from the quiz files.
 */
import { matchRange, type Question, withinTolerance } from '@gradlab/quiz';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { KEYS } from '../src/quiz/keys.ts';
import page10 from '../src/quizzes/10-normalization-and-residuals.json' with { type: 'json' };
import page11 from '../src/quizzes/11-recurrent-networks.json' with { type: 'json' };
import page12 from '../src/quizzes/12-debugging-toolkit.json' with { type: 'json' };

type Numeric = Extract<Question, { type: 'numeric' }>;
type Args = Record<string, string | number | boolean>;

const question = (file: { questions: unknown[] }, id: string) =>
  file.questions.find((q) => (q as { id: string }).id === id) as Numeric;

/** The engine's key for `q` with its `$param` arguments replaced by `params`. */
function keyOf(q: Numeric, params: Record<string, number> = {}): number {
  const { compute, args = {} } = q.key as { compute: string; args?: Args };
  const resolved: Args = Object.fromEntries(
    Object.entries(args).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('$') ? params[v.slice(1)] : v]),
  );
  return KEYS[compute](resolved, { question: q.id, variant: 0, compute, args: resolved }, q, buildRegistry) as number;
}

/** The feedback the question gives `answer`, or undefined when no range catches it. */
function feedback(q: Numeric, key: number, answer: number): string | undefined {
  return matchRange(answer, key, q.ranges)?.feedback;
}

describe('numeric range feedback names the mistake it catches', () => {
  it('page 11 linear-rate: ρ^50 and ρ^48 are "one factor of ρ off" for both ρ = 0.9 and ρ = 1.1', () => {
    const q = question(page11, 'linear-rate');
    for (const rho of [0.9, 1.1]) {
      const key = keyOf(q, { rho });
      expect(withinTolerance(rho ** 49, key, q.tolerance)).toBe(true);
      for (const wrong of [rho ** 50, rho ** 48]) expect(feedback(q, key, wrong)).toMatch(/one factor of ρ off/);
    }
  });

  it('page 11 adding-baseline: 7/6 (E[sum²]), 1/12 (one uniform) and 1/3 (Var 2U) each get their own feedback', () => {
    const q = question(page11, 'adding-baseline');
    const key = keyOf(q);
    expect(withinTolerance(1 / 6, key, q.tolerance)).toBe(true);
    expect(feedback(q, key, 7 / 6)).toMatch(/7\/6/);
    expect(feedback(q, key, 1 / 12)).toMatch(/1\/12/);
    expect(feedback(q, key, 1 / 3)).toMatch(/1\/3/);
  });

  it('page 11 truncated-ratio: 1.5^k is one factor too many; 1.5^49 ignores the truncation', () => {
    const q = question(page11, 'truncated-ratio');
    for (const k of [10, 20]) {
      const key = keyOf(q, { k });
      expect(withinTolerance(1.5 ** (k - 1), key, q.tolerance)).toBe(true);
      expect(feedback(q, key, 1.5 ** k)).toMatch(/That is 1\.5\^k/);
      expect(feedback(q, key, 1.5 ** 49)).toMatch(/not 1\.5\^49/);
    }
  });

  it('page 12 relative-error: the absolute difference 2e-5 and the percentage are caught, on both variants', () => {
    const q = question(page12, 'relative-error');
    for (const numeric of [0.00202, 0.00198]) {
      const key = keyOf(q, { numeric });
      const right = Math.abs(0.002 - numeric) / Math.max(0.002, numeric);
      expect(withinTolerance(right, key, q.tolerance)).toBe(true);
      expect(feedback(q, key, Math.abs(0.002 - numeric))).toMatch(/absolute difference/);
      expect(feedback(q, key, 100 * right)).toMatch(/percentage/);
    }
  });

  it('page 12 sanity-loss: log₁₀ C and log₂ C are named as such', () => {
    const q = question(page12, 'sanity-loss');
    for (const classes of [10, 4]) {
      const key = keyOf(q, { classes });
      expect(withinTolerance(Math.log(classes), key, q.tolerance)).toBe(true);
      expect(feedback(q, key, Math.log10(classes))).toMatch(/log₁₀/);
      expect(feedback(q, key, Math.log2(classes))).toMatch(/log₂/);
    }
  });

  it('page 10 bn-grad-scale: answering a instead of 1/a is "inverted"', () => {
    const q = question(page10, 'bn-grad-scale');
    for (const a of [2, 0.5]) {
      const key = keyOf(q, { a });
      expect(withinTolerance(1 / a, key, q.tolerance)).toBe(true);
      expect(feedback(q, key, a)).toMatch(/inverted/);
    }
  });
});
