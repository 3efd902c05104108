import type { Metrics, Predicate } from './types.ts';

const SYMBOL = { lt: '<', le: '≤', gt: '>', ge: '≥', eq: '=', ne: '≠' } as const;

/** Every metric name a predicate reads, for validation against the metrics a caller can measure. */
export function predicateMetrics(p: Predicate): string[] {
  if ('all' in p) return p.all.flatMap(predicateMetrics);
  if ('any' in p) return p.any.flatMap(predicateMetrics);
  if ('not' in p) return predicateMetrics(p.not);
  return [p.metric];
}

/**
 * Evaluates a predicate on engine state. A metric missing from the state, or NaN, makes its
 * comparison false (never true by accident), so a run that produced no number fails the goal.
 */
export function evaluatePredicate(p: Predicate, state: Metrics): boolean {
  if ('all' in p) return p.all.every((q) => evaluatePredicate(q, state));
  if ('any' in p) return p.any.some((q) => evaluatePredicate(q, state));
  if ('not' in p) return !evaluatePredicate(p.not, state);
  const x = state[p.metric];
  if (x === undefined || (typeof x === 'number' && Number.isNaN(x))) return false;
  if (p.op === 'between') {
    const [lo, hi] = p.value as readonly [number, number];
    return typeof x === 'number' && x >= lo && x <= hi;
  }
  const v = p.value as number | boolean;
  switch (p.op) {
    case 'eq':
      return x === v;
    case 'ne':
      return x !== v;
    case 'lt':
      return x < v;
    case 'le':
      return x <= v;
    case 'gt':
      return x > v;
    case 'ge':
      return x >= v;
  }
  return false;
}

/** The predicate in words, shown after grading: `0.5 ≤ deltaRatio ≤ 2 and nonFinite = false`. */
export function describePredicate(p: Predicate, label: (metric: string) => string = (m) => m): string {
  const group = (q: Predicate) =>
    'all' in q || 'any' in q ? `(${describePredicate(q, label)})` : describePredicate(q, label);
  if ('all' in p) return p.all.map(group).join(' and ');
  if ('any' in p) return p.any.map(group).join(' or ');
  if ('not' in p) return `not ${group(p.not)}`;
  if (p.op === 'between') {
    const [lo, hi] = p.value as readonly [number, number];
    return `${lo} ≤ ${label(p.metric)} ≤ ${hi}`;
  }
  return `${label(p.metric)} ${SYMBOL[p.op as keyof typeof SYMBOL]} ${String(p.value)}`;
}

/** The leaf comparisons and whether each held, for "what you reached" feedback. */
export function explainPredicate(p: Predicate, state: Metrics): { text: string; held: boolean; value: unknown }[] {
  if ('all' in p) return p.all.flatMap((q) => explainPredicate(q, state));
  if ('any' in p) return p.any.flatMap((q) => explainPredicate(q, state));
  if ('not' in p) return [{ text: describePredicate(p), held: evaluatePredicate(p, state), value: undefined }];
  return [{ text: describePredicate(p), held: evaluatePredicate(p, state), value: state[p.metric] }];
}
