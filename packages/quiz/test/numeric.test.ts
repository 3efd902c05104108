import { describe, expect, it } from 'vitest';
import { decadesOff, describeTolerance, distanceFeedback, gradeNumber, withinTolerance } from '../src/index.ts';

describe('withinTolerance', () => {
  it('rel/abs: |a − k| ≤ abs + rel·|k| (key 0.25, 1%: 0.2475 … 0.2525)', () => {
    expect(withinTolerance(0.2524, 0.25, { rel: 0.01 })).toBe(true);
    expect(withinTolerance(0.2476, 0.25, { rel: 0.01 })).toBe(true);
    expect(withinTolerance(0.2526, 0.25, { rel: 0.01 })).toBe(false);
    expect(withinTolerance(0.001, 0, { abs: 0.01 })).toBe(true);
    expect(withinTolerance(-0.02, 0, { abs: 0.01 })).toBe(false);
  });

  it('sigfigs 2 on 0.25^10 = 9.5367e-7: the last place is 1e-8, so 9.5e-7 (off by 3.7e-9) passes, 9.6e-7 (6.3e-9) fails', () => {
    const key = 0.25 ** 10;
    expect(withinTolerance(9.5e-7, key, { sigfigs: 2 })).toBe(true);
    expect(withinTolerance(9.6e-7, key, { sigfigs: 2 })).toBe(false);
  });

  it('sigfigs uses PrairieLearn’s 0.51 units in the last place, strictly', () => {
    // key 9.5367e-7, 2 sig figs → place 1e-8, eps = 5.1e-9: interval (9.4857e-7, 9.5877e-7)
    const key = 9.5367e-7;
    expect(withinTolerance(9.48e-7, key, { sigfigs: 2 })).toBe(false);
    expect(withinTolerance(9.49e-7, key, { sigfigs: 2 })).toBe(true);
    expect(withinTolerance(9.58e-7, key, { sigfigs: 2 })).toBe(true);
    expect(withinTolerance(9.59e-7, key, { sigfigs: 2 })).toBe(false);
    // key 1000, 3 sig figs → place 10, eps 5.1: (994.9, 1005.1)
    expect(withinTolerance(1005, 1000, { sigfigs: 3 })).toBe(true);
    expect(withinTolerance(1005.2, 1000, { sigfigs: 3 })).toBe(false);
    // key 0, 2 sig figs → place 10^-1, eps 0.051
    expect(withinTolerance(0.05, 0, { sigfigs: 2 })).toBe(true);
    expect(withinTolerance(0.052, 0, { sigfigs: 2 })).toBe(false);
  });

  it('decdigits 2 on 0.25: (0.2449, 0.2551)', () => {
    expect(withinTolerance(0.255, 0.25, { decdigits: 2 })).toBe(true);
    expect(withinTolerance(0.2552, 0.25, { decdigits: 2 })).toBe(false);
    expect(withinTolerance(0.245, 0.25, { decdigits: 2 })).toBe(true);
  });

  it('decades 0.5 on 38.4: from 38.4/√10 = 12.14 to 38.4·√10 = 121.4, same sign only', () => {
    const lo = 38.4 / Math.sqrt(10);
    const hi = 38.4 * Math.sqrt(10);
    expect(withinTolerance(lo * 1.001, 38.4, { decades: 0.5 })).toBe(true);
    expect(withinTolerance(hi * 0.999, 38.4, { decades: 0.5 })).toBe(true);
    expect(withinTolerance(lo * 0.99, 38.4, { decades: 0.5 })).toBe(false);
    expect(withinTolerance(hi * 1.01, 38.4, { decades: 0.5 })).toBe(false);
    expect(withinTolerance(-38.4, 38.4, { decades: 0.5 })).toBe(false);
    expect(withinTolerance(0, 38.4, { decades: 0.5 })).toBe(false);
    expect(withinTolerance(0, 0, { decades: 1 })).toBe(true);
  });

  it('NaN and ±Infinity never pass', () => {
    expect(withinTolerance(Number.NaN, 1, { rel: 1 })).toBe(false);
    expect(withinTolerance(Number.POSITIVE_INFINITY, 1, { decades: 100 })).toBe(false);
  });
});

describe('feedback keyed to the range of the answer', () => {
  const ranges = [
    {
      decades: [1.5, 2.5] as const,
      feedback: '2 decades too high: did you multiply by 0.25 once instead of per layer?',
    },
    { decades: [null, -0.5] as const, feedback: 'Too small: σ′ is at most 1/4, not 1/e.' },
    { value: [null, 0] as const, feedback: 'A product of derivatives of the sigmoid cannot be negative.' },
  ];

  it('an answer 100× the key gets the authored "2 decades too high" feedback', () => {
    const key = 0.25 ** 10;
    const r = gradeNumber(String(key * 100), key, { tolerance: { rel: 0.01 }, ranges });
    expect(r).toMatchObject({ score: 0, correct: false, value: key * 100, key });
    expect(r.feedback).toEqual([{ tone: 'wrong', text: ranges[0].feedback }]);
  });

  it('falls through to later ranges: too small, then negative', () => {
    expect(gradeNumber('1e-9', 1e-6, { tolerance: { rel: 0.01 }, ranges }).feedback[0].text).toBe(ranges[1].feedback);
    expect(gradeNumber('-1e-6', 1e-6, { tolerance: { rel: 0.01 }, ranges }).feedback[0].text).toBe(ranges[2].feedback);
  });

  it('without a matching range, says how far and which way', () => {
    expect(distanceFeedback(100, 1)).toBe('Your answer is about 2 decades too high (a factor of 100).');
    expect(distanceFeedback(1e-12, 1)).toBe('Your answer is about 12 decades too low (a factor of 10^12).');
    expect(distanceFeedback(0.3, 0.25)).toBe('Your answer is 20% too high.');
    expect(distanceFeedback(-1, 1)).toBe('Your answer has the wrong sign.');
    expect(distanceFeedback(0, 1)).toBe('Your answer is 0; the answer is not.');
    expect(distanceFeedback(5, 0)).toBe('The answer is 0.');
  });

  it('decadesOff is log10(a/k): 1000 vs 1 → 3, 1e-3 vs 1 → −3, undefined across signs', () => {
    expect(decadesOff(1000, 1)).toBe(3);
    expect(decadesOff(1e-3, 1)).toBe(-3);
    expect(decadesOff(-1, 1)).toBeUndefined();
  });
});

describe('gradeNumber', () => {
  it('accepts the learner’s notation and grades it: 9.54×10^-7 for 0.25^10 to 3 sig figs', () => {
    expect(gradeNumber('9.54×10^-7', 0.25 ** 10, { tolerance: { sigfigs: 3 } })).toMatchObject({
      score: 1,
      correct: true,
    });
  });

  it('unreadable input is invalid, not wrong: nothing is graded', () => {
    expect(gradeNumber('0,25', 0.25, { tolerance: { rel: 0.01 } })).toMatchObject({
      score: 0,
      invalid: expect.stringContaining('point'),
    });
  });

  it('describes each tolerance in words', () => {
    expect(describeTolerance({ rel: 0.01 })).toBe('within 1%');
    expect(describeTolerance({ rel: 0.05, abs: 0.001 })).toBe('within 5% or ±0.001');
    expect(describeTolerance({ sigfigs: 2 })).toBe('to 2 significant figures');
    expect(describeTolerance({ decdigits: 1 })).toBe('to 1 decimal place');
    expect(describeTolerance({ decades: 0.5 })).toBe('within half a decade (a factor of about 3)');
    expect(describeTolerance({ decades: 1 })).toBe('within 1 decade');
  });
});
