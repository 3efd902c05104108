import { describe, expect, it } from 'vitest';
import { describePredicate, evaluatePredicate, type Predicate, predicateMetrics } from '../src/index.ts';

const goal: Predicate = {
  all: [
    { metric: 'deltaRatio', op: 'between', value: [0.5, 2] },
    { metric: 'nonFinite', op: 'eq', value: false },
    { not: { metric: 'batchNorm', op: 'eq', value: true } },
  ],
};

describe('goal predicates as data', () => {
  it('holds for ratio 1.3 without NaN or batch norm; fails at 2.01, with NaN, or with batch norm', () => {
    expect(evaluatePredicate(goal, { deltaRatio: 1.3, nonFinite: false, batchNorm: false })).toBe(true);
    expect(evaluatePredicate(goal, { deltaRatio: 2, nonFinite: false, batchNorm: false })).toBe(true);
    expect(evaluatePredicate(goal, { deltaRatio: 2.01, nonFinite: false, batchNorm: false })).toBe(false);
    expect(evaluatePredicate(goal, { deltaRatio: 1.3, nonFinite: true, batchNorm: false })).toBe(false);
    expect(evaluatePredicate(goal, { deltaRatio: 1.3, nonFinite: false, batchNorm: true })).toBe(false);
  });

  it('a missing or NaN metric makes its comparison false, even under `ne` and `lt`', () => {
    expect(evaluatePredicate({ metric: 'dead', op: 'lt', value: 0.5 }, {})).toBe(false);
    expect(evaluatePredicate({ metric: 'dead', op: 'lt', value: 0.5 }, { dead: Number.NaN })).toBe(false);
    expect(evaluatePredicate({ metric: 'dead', op: 'ne', value: 1 }, {})).toBe(false);
  });

  it('every operator', () => {
    const s = { x: 2 };
    const ops = { lt: [3, true], le: [2, true], gt: [2, false], ge: [2, true], eq: [2, true], ne: [2, false] } as const;
    for (const [op, [value, expected]] of Object.entries(ops))
      expect(evaluatePredicate({ metric: 'x', op: op as 'lt', value }, s), op).toBe(expected);
    expect(
      evaluatePredicate(
        {
          any: [
            { metric: 'x', op: 'gt', value: 5 },
            { metric: 'x', op: 'lt', value: 3 },
          ],
        },
        s,
      ),
    ).toBe(true);
  });

  it('reads as text, and lists the metrics it needs', () => {
    expect(describePredicate(goal)).toBe('0.5 ≤ deltaRatio ≤ 2 and nonFinite = false and not batchNorm = true');
    expect(describePredicate({ any: [goal, { metric: 'dead', op: 'ge', value: 0.5 }] })).toBe(
      '(0.5 ≤ deltaRatio ≤ 2 and nonFinite = false and not batchNorm = true) or dead ≥ 0.5',
    );
    expect(predicateMetrics(goal)).toEqual(['deltaRatio', 'nonFinite', 'batchNorm']);
  });
});
