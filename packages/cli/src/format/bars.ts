const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `cells` character cells (fractions drawn with eighth blocks). */
export function blocks(cells: number): string {
  const clamped = Math.max(0, cells);
  const whole = Math.floor(clamped);
  return '█'.repeat(whole) + EIGHTHS[Math.floor((clamped - whole) * 8)];
}

/** Whole decades [lo, hi] of a log₁₀ bar and how many cells one decade gets. */
export interface LogScale {
  /** log₁₀ of the value drawn as an empty bar. */
  readonly lo: number;
  /** log₁₀ of the value drawn as a full bar. */
  readonly hi: number;
  /** Bar length in cells at `hi`. */
  readonly width: number;
}

/**
 * The smallest whole-decade range holding every positive finite value, drawn in at most
 * `maxWidth` cells with a whole number of cells per decade (or decades per cell).
 */
export function logScale(values: readonly number[], maxWidth = 24): LogScale {
  const logs = values.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log10);
  if (logs.length === 0) return { lo: 0, hi: 1, width: maxWidth };
  let lo = Math.floor(Math.min(...logs)) || 0;
  let hi = Math.ceil(Math.max(...logs)) || 0;
  if (hi === lo) hi = lo + 1;
  // Give the smallest value a visible sliver rather than an empty bar.
  if (Math.min(...logs) - lo < 0.05) lo -= 1;
  const decades = hi - lo;
  if (decades <= maxWidth) return { lo, hi, width: decades * Math.floor(maxWidth / decades) };
  const perCell = Math.ceil(decades / maxWidth);
  const cells = Math.ceil(decades / perCell);
  return { lo, hi: lo + cells * perCell, width: cells };
}

/** The bar of one value on a log scale; zero draws nothing, NaN and ±Infinity a marker. */
export function logBar(value: number, scale: LogScale): string {
  if (Number.isNaN(value)) return '? (NaN)';
  if (value === Number.POSITIVE_INFINITY) return `${blocks(scale.width)}▶`;
  if (!(value > 0)) return '';
  const fraction = (Math.log10(value) - scale.lo) / (scale.hi - scale.lo);
  if (fraction > 1) return `${blocks(scale.width)}▶`;
  return blocks(Math.max(fraction, 0) * scale.width);
}

/** One line naming the scale: `bar: log scale, empty = 1e-5, full = 1e1, 4 cells per decade`. */
export function describeLogScale(scale: LogScale, what: string): string {
  const decades = scale.hi - scale.lo;
  const density =
    scale.width >= decades
      ? `${scale.width / decades} cell${scale.width / decades === 1 ? '' : 's'} per decade`
      : `1 cell per ${decades / scale.width} decades`;
  return `bar: ${what} on a log scale, empty = 1e${scale.lo}, full = 1e${scale.hi} (${scale.width} cells, ${density})`;
}

/** `[██████▌        ]` for a fraction of work done. */
export function progressBar(fraction: number, width = 24): string {
  const f = Math.min(Math.max(fraction, 0), 1);
  const bar = blocks(f * width);
  return `[${bar}${' '.repeat(width - [...bar].length)}]`;
}
