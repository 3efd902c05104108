import { parseNumber } from './parse-number.ts';
import type { FeedbackItem, GradeResult, RangeFeedback, Tolerance } from './types.ts';

/** Decimal exponent of x ≠ 0, read from its shortest decimal form, so 1000 → 3 and 9.99e-4 → −4 exactly. */
export function decimalExponent(x: number): number {
  return Number(Math.abs(x).toExponential().split('e')[1]);
}

/**
 * log10(value / key), the answer's distance from the key in decades (positive: too high), or
 * `undefined` when they differ in sign or either is 0.
 */
export function decadesOff(value: number, key: number): number | undefined {
  if (value === 0 || key === 0 || Math.sign(value) !== Math.sign(key)) return undefined;
  return Math.log10(value / key);
}

/** Is `value` an acceptable answer for `key` under `tolerance` (see {@link Tolerance})? */
export function withinTolerance(value: number, key: number, tolerance: Tolerance): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(key)) return false;
  if ('sigfigs' in tolerance) {
    // PrairieLearn's sigfig comparison: within 0.51 units of the last significant place of the key.
    const place = key === 0 ? -(tolerance.sigfigs - 1) : decimalExponent(key) - (tolerance.sigfigs - 1);
    const eps = Number(`0.51e${place}`);
    return value > key - eps && value < key + eps;
  }
  if ('decdigits' in tolerance) {
    const eps = Number(`0.51e${-tolerance.decdigits}`);
    return value > key - eps && value < key + eps;
  }
  if ('decades' in tolerance) {
    if (key === 0) return value === 0;
    const off = decadesOff(value, key);
    // 1e-12 absorbs the rounding of log10 at an exact boundary such as 10^0.5.
    return off !== undefined && Math.abs(off) <= tolerance.decades + 1e-12;
  }
  const abs = tolerance.abs ?? 0;
  const rel = tolerance.rel ?? 0;
  return Math.abs(value - key) <= abs + rel * Math.abs(key);
}

/** The tolerance in words, for the question's instructions. */
export function describeTolerance(tolerance: Tolerance): string {
  if ('sigfigs' in tolerance) return `to ${tolerance.sigfigs} significant figure${tolerance.sigfigs === 1 ? '' : 's'}`;
  if ('decdigits' in tolerance) return `to ${tolerance.decdigits} decimal place${tolerance.decdigits === 1 ? '' : 's'}`;
  if ('decades' in tolerance) {
    const d = tolerance.decades;
    return d === 0.5 ? 'within half a decade (a factor of about 3)' : `within ${d} decade${d === 1 ? '' : 's'}`;
  }
  const parts: string[] = [];
  if (tolerance.rel) parts.push(`${Number((tolerance.rel * 100).toPrecision(3))}%`);
  if (tolerance.abs) parts.push(`±${tolerance.abs}`);
  return parts.length ? `within ${parts.join(' or ')}` : 'exactly';
}

const inside = (x: number | undefined, range: readonly [number | null, number | null] | undefined): boolean =>
  range === undefined ||
  (x !== undefined && (range[0] === null || x >= range[0]) && (range[1] === null || x <= range[1]));

/** The first range whose every given bound holds for `value` against `key`. */
export function matchRange(
  value: number,
  key: number,
  ranges: readonly RangeFeedback[] | undefined,
): RangeFeedback | undefined {
  const decades = decadesOff(value, key);
  const ratio = key === 0 ? undefined : value / key;
  return ranges?.find((r) => inside(decades, r.decades) && inside(ratio, r.ratio) && inside(value, r.value));
}

const trim = (x: number, digits: number) => String(Number(x.toFixed(digits)));

/** Default feedback for a wrong value when no authored range matched: how far off, and which way. */
export function distanceFeedback(value: number, key: number): string {
  if (key !== 0 && value === 0) return 'Your answer is 0; the answer is not.';
  if (key === 0) return 'The answer is 0.';
  if (Math.sign(value) !== Math.sign(key)) return 'Your answer has the wrong sign.';
  const off = decadesOff(value, key) as number;
  const way = off > 0 ? 'high' : 'low';
  if (Math.abs(off) >= 0.5) {
    const n = trim(Math.abs(off), 1);
    return `Your answer is about ${n} decade${n === '1' ? '' : 's'} too ${way} (a factor of ${formatFactor(10 ** Math.abs(off))}).`;
  }
  return `Your answer is ${trim(Math.abs(value / key - 1) * 100, 1)}% too ${way}.`;
}

function formatFactor(f: number): string {
  return f < 1000 ? trim(f, f < 10 ? 1 : 0) : `10^${trim(Math.log10(f), 1)}`;
}

export interface NumericGradeOptions {
  readonly tolerance: Tolerance;
  readonly ranges?: readonly RangeFeedback[];
  readonly percent?: boolean;
}

/** Grades a typed number (or an already numeric value) against `key`. */
export function gradeNumber(input: string | number, key: number, options: NumericGradeOptions): GradeResult {
  let value: number;
  if (typeof input === 'number') value = input;
  else {
    const parsed = parseNumber(input, { percent: options.percent });
    if (!parsed.ok) return { score: 0, correct: false, feedback: [], invalid: parsed.reason, key };
    value = parsed.value;
  }
  if (!Number.isFinite(value))
    return { score: 0, correct: false, feedback: [], invalid: 'Enter a finite number.', key };
  if (withinTolerance(value, key, options.tolerance)) return { score: 1, correct: true, feedback: [], key, value };
  const range = matchRange(value, key, options.ranges);
  const feedback: FeedbackItem[] = [{ tone: 'wrong', text: range ? range.feedback : distanceFeedback(value, key) }];
  return { score: 0, correct: false, feedback, key, value };
}
