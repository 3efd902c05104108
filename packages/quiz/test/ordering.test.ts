import { describe, expect, it } from 'vitest';
import { gradeOrdering, kendallTau } from '../src/index.ts';

/** Independent τ: 1 − 4·(inversions)/(n(n − 1)), inversions counted by bubble sort swaps. */
function tauBySwaps(order: string[], key: string[]): number {
  const ranks = order.map((id) => key.indexOf(id));
  let swaps = 0;
  for (let i = 0; i < ranks.length; i++)
    for (let j = 0; j < ranks.length - 1 - i; j++)
      if (ranks[j] > ranks[j + 1]) {
        [ranks[j], ranks[j + 1]] = [ranks[j + 1], ranks[j]];
        swaps++;
      }
  const n = order.length;
  return 1 - (4 * swaps) / (n * (n - 1));
}

const key = ['sigmoid', 'tanh', 'relu-he', 'relu-1.5he'];

describe('kendallTau', () => {
  it('same order 1, reverse −1, one adjacent swap of 4 items 1 − 2·1/6 = 2/3', () => {
    expect(kendallTau(key, key)).toBe(1);
    expect(kendallTau([...key].reverse(), key)).toBe(-1);
    expect(kendallTau(['tanh', 'sigmoid', 'relu-he', 'relu-1.5he'], key)).toBeCloseTo(2 / 3, 15);
  });

  it('agrees with the swap count on every permutation of 5 items', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const perms = (xs: string[]): string[][] =>
      xs.length <= 1
        ? [xs]
        : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    for (const p of perms(ids)) expect(kendallTau(p, ids)).toBeCloseTo(tauBySwaps(p, ids), 12);
  });
});

describe('gradeOrdering', () => {
  it('partial credit max(0, τ): one swap 2/3 with "1 … out of place" feedback; reverse 0', () => {
    const r = gradeOrdering(['tanh', 'sigmoid', 'relu-he', 'relu-1.5he'], key);
    expect(r.score).toBeCloseTo(2 / 3, 15);
    expect(r.feedback[0].text).toBe('2 of 4 items are out of place (Kendall τ = 0.67).');
    expect(gradeOrdering([...key].reverse(), key)).toMatchObject({ score: 0, correct: false });
    expect(gradeOrdering(key, key)).toEqual({ score: 1, correct: true, feedback: [] });
  });

  it('all or nothing when partial credit is off', () => {
    expect(gradeOrdering(['tanh', 'sigmoid', 'relu-he', 'relu-1.5he'], key, 'off').score).toBe(0);
  });

  it('a missing, repeated or unknown item is invalid', () => {
    expect(gradeOrdering(['tanh', 'sigmoid', 'relu-he'], key).invalid).toBe('Place every item exactly once.');
    expect(gradeOrdering(['tanh', 'tanh', 'relu-he', 'relu-1.5he'], key).invalid).toBeDefined();
    expect(gradeOrdering(['tanh', 'x', 'relu-he', 'relu-1.5he'], key).invalid).toBeDefined();
  });
});
