import type { GradeResult } from './types.ts';

/**
 * Kendall's τ between two orders of the same ids: (concordant − discordant) / (n(n − 1)/2),
 * counting every pair once. 1 for the same order, −1 for the reverse. O(n²), fine for a quiz.
 */
export function kendallTau(order: readonly string[], key: readonly string[]): number {
  const n = key.length;
  if (n < 2) return 1;
  const rank = new Map(key.map((id, i) => [id, i]));
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) sum += Math.sign((rank.get(order[j]) as number) - (rank.get(order[i]) as number));
  }
  return sum / ((n * (n - 1)) / 2);
}

/** Ordering: max(0, τ) with `kendall` partial credit (default), else all or nothing. */
export function gradeOrdering(
  order: readonly string[],
  key: readonly string[],
  partialCredit: 'kendall' | 'off' = 'kendall',
): GradeResult {
  const same =
    order.length === key.length && new Set(order).size === order.length && order.every((id) => key.includes(id));
  if (!same) return { score: 0, correct: false, feedback: [], invalid: 'Place every item exactly once.' };
  const tau = kendallTau(order, key);
  const score = tau === 1 ? 1 : partialCredit === 'off' ? 0 : Math.max(0, tau);
  const misplaced = order.filter((id, i) => key[i] !== id).length;
  const feedback =
    score === 1
      ? []
      : [
          {
            tone: 'wrong' as const,
            text:
              tau <= 0
                ? 'Your order is closer to the reverse of the right one than to the right one.'
                : `${misplaced} of ${key.length} items are out of place (Kendall τ = ${tau.toFixed(2)}).`,
          },
        ];
  return { score, correct: score === 1, feedback };
}
