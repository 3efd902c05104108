/** The colours and number format every view shares (views.ts, train-views.ts). */
import type { Num } from './protocol.ts';

export const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00'] as const;

export const fmt = (v: Num | undefined): string =>
  v === null || v === undefined
    ? '–'
    : Number.isInteger(v) && Math.abs(v) < 1e4
      ? String(v)
      : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4
        ? v.toPrecision(3)
        : v.toExponential(2);

/**
 * The formatter for one table column. `fmt` writes whole numbers without decimals (steps, layer
 * numbers), but in a column of measured fractions a cosine of exactly 1 then read "1" between rows of
 * "1.00" and "0.999": where a column holds any fractional entry, its whole numbers get three significant
 * digits too.
 */
export function columnFmt(values: readonly (Num | undefined)[]): (v: Num | undefined) => string {
  const fractional = values.some((v) => typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v));
  if (!fractional) return fmt;
  return (v) => (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e4 ? v.toPrecision(3) : fmt(v));
}
