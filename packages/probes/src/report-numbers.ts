/** Numbers in reports and messages: JSON-safe (no NaN or Infinity) and short. */

/** A finite number, or `null` (JSON has no NaN or Infinity; reports use null for "not finite"). */
export type Num = number | null;
export const num = (x: number): Num => (Number.isFinite(x) ? x : null);

/** Numbers for messages: 3 significant digits, exponent form for very large or small values. */
export function fmt(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : String(Number(x.toPrecision(3)));
}
