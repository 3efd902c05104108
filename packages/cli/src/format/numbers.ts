/**
 * Compact numbers for tables: 3 significant digits, plain between 1e-3 and 1e5, otherwise
 * `1.23e-9`. Non-finite values print as `NaN`, `Infinity`, `-Infinity`.
 */
export function formatNumber(value: number, digits = 3): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e5) return String(Number(value.toPrecision(digits)));
  return value.toExponential(digits - 1).replace('e+', 'e');
}

/** A fraction in [0, 1] as a percentage with one decimal: 0.4817 → `48.2`. */
export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? (fraction * 100).toFixed(1) : 'NaN';
}

/** Seconds as `42 s`, `3 min 20 s` or `1 h 05 min`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
