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
