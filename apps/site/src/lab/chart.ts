/**
 * uPlot behind one small interface: draw(ViewData) resolves once the frame is drawn. The plot is
 * rebuilt only when the series change shape (labels, log/linear); otherwise setData redraws in place.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Num } from './protocol.ts';
import { COLORS, decadeLabel } from './view-format.ts';
import type { ViewData } from './views.ts';

export const HEIGHT = 280;

/** A log axis cannot show 0, negatives or non-finite values: they become gaps. */
const forAxis = (values: Num[], log: boolean) =>
  values.map((v) => (v === null || !Number.isFinite(v) || (log && v <= 0) ? null : v));

/**
 * Log-axis ticks as powers of ten ("1e-12"): uPlot's default prints decades below 0.001 as "0", which a
 * learner reads as a zero gradient. Decades from 0.001 to 1,000 stay plain numbers.
 */
const logTicks = (_u: uPlot, splits: number[]) => splits.map((v) => (v == null ? '' : decadeLabel(v)));

/**
 * Decade ticks for a log axis, at most 8 of them. uPlot's own log splits threw `RangeError: Invalid array
 * length` when ‖δ‖ spanned ~25 decades (page 0's sigmoid net at gain ≤ 0.3), which left the widget busy.
 */
export function logSplits(_u: unknown, _axis: number, min: number, max: number): number[] {
  if (!(min > 0 && max >= min && Number.isFinite(max))) return [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const every = Math.max(1, Math.ceil((hi - lo) / 8));
  const out: number[] = [];
  for (let e = lo; e <= hi; e += every) {
    const v = 10 ** e;
    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
  }
  return out;
}

/**
 * Lets the browser run other tasks (input, worker messages, painting) before a plot is built: building
 * one lays out the page, and doing it inside the task that received the result was the main thread's
 * longest task after load (decision 0044).
 */
export const yieldToMain = () => new Promise<void>((ok) => setTimeout(ok, 0));

/** uPlot's label font, at a chosen size. */
const labelFont = (px: number) =>
  `bold ${px}px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif`;
/** Width the y axis takes (ticks `size` 64 + uPlot's 30 px label band) plus a small margin. */
const Y_AXIS = 64 + 30 + 8;
let measureCtx: CanvasRenderingContext2D | null | undefined;
/** Height the x axis takes (ticks and label bands) plus a small margin. */
const X_AXIS = 50 + 30 + 8;
/**
 * The largest label size (12 px down to 9 px) at which an axis label fits along the plot: uPlot centres
 * it on the plot area and draws it on the canvas, which clips; at 360 px the x label "layer (1 = first
 * hidden, 21 = output)" lost its end at 12 px, and page 1's y label lost both ends at every width. The
 * full texts are also the table's column headers.
 */
function labelSize(text: string, room: number): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return 12;
  for (let px = 12; px > 9; px--) {
    measureCtx.font = labelFont(px);
    if (measureCtx.measureText(text).width <= room) return px;
  }
  return 9;
}
const xLabelSize = (text: string, chartWidth: number) => labelSize(text, chartWidth - Y_AXIS);

const shapeOf = (d: ViewData) => JSON.stringify([d.log, d.xLabel, d.yLabel, d.series.map((s) => s.label)]);

export interface Chart {
  draw(d: ViewData): Promise<void>;
  resize(width: number): void;
}

/** Tick spacings for an x axis of integers (uPlot picks the smallest that keeps labels apart). */
const INTEGER_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000];

const dataOf = (d: ViewData): uPlot.AlignedData => [d.x, ...d.series.map((s) => forAxis(s.values, d.log))];

/** uPlot's options for a view: scales, axes and series from the data, the x label at `labelPx`. */
function plotOptions(d: ViewData, plotWidth: number, labelPx: number, onDraw: () => void): uPlot.Options {
  const bars = uPlot.paths.bars?.({ size: [0.9, 40] });
  return {
    width: plotWidth,
    height: HEIGHT,
    scales: {
      x: { time: false },
      y: d.log ? { distr: 3, log: 10 } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max : 1] },
    },
    axes: [
      {
        label: d.xLabel,
        labelFont: labelFont(labelPx),
        // Layers, steps and page 12's numbered fixes are integers: no "layer 1.25" ticks.
        ...(d.x.every(Number.isInteger) && { incrs: INTEGER_STEPS }),
      },
      {
        label: d.yLabel,
        labelFont: labelFont(labelSize(d.yLabel, HEIGHT - X_AXIS)),
        size: 64,
        ...(d.log && { values: logTicks, splits: logSplits }),
      },
    ],
    series: [
      { label: d.xLabel },
      ...d.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        dash: s.dash ? [...s.dash] : undefined,
        fill: s.bars ? `${s.color}55` : undefined,
        paths: s.bars ? bars : undefined,
        points: { show: !!s.points, size: 6 },
      })),
    ],
    legend: { live: false },
    cursor: { show: false },
    hooks: { draw: [onDraw] },
  };
}

let warmed = false;

/**
 * Builds and draws one throwaway chart, off screen, while the page loads (decision 0048). The first
 * chart a page builds pays for compiling uPlot's code and for resolving its fonts; paid after load, in
 * the task that draws the first result, that made the page's one long task. Called by the first widget
 * to connect, which runs before the load event; the chart is removed in the same task.
 */
export function warmCharts(): void {
  if (warmed) return;
  warmed = true;
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = 'position:absolute;left:-10000px;top:0;width:480px;visibility:hidden';
  document.body.append(host);
  const d: ViewData = {
    x: [1, 2, 3],
    xLabel: 'layer',
    yLabel: 'norm',
    log: true,
    summary: '',
    caption: '',
    series: [
      { label: 'measured', color: COLORS[0], values: [1e-6, 1e-3, 1] },
      { label: 'predicted', color: COLORS[1], values: [2e-6, 2e-3, 1], dash: [6, 4], points: true },
    ],
  };
  const plot = new uPlot(
    plotOptions(d, 480, xLabelSize(d.xLabel, 480), () => {}),
    dataOf(d),
    host,
  );
  // uPlot draws in a microtask (queued above); this one runs after it.
  queueMicrotask(() => {
    plot.destroy();
    host.remove();
  });
}

export function createChart(host: HTMLElement): Chart {
  let plot: uPlot | null = null;
  let shape = '';
  let onDrawn: (() => void) | null = null;
  const width = () => Math.max(200, host.clientWidth);
  /** Draws run one after another, so a draw that waits to build a plot is never overtaken. */
  let queue: Promise<void> = Promise.resolve();

  let last: ViewData | null = null;
  let labelPx = 12;
  const drawn = () => {
    onDrawn?.();
    onDrawn = null;
  };

  /** Same shape as the plot on screen: new values, redrawn in this task. */
  function update(d: ViewData): Promise<void> {
    last = d;
    return new Promise<void>((resolve) => {
      onDrawn = resolve;
      plot!.setData(dataOf(d));
    });
  }

  /**
   * A new plot, built in two tasks of its own (decision 0048): the first measures the labels and the
   * width and runs uPlot's constructor without attaching it (its third argument defers `init`); the
   * second swaps it into the page and draws. Built in one task, the first chart after load was the
   * page's one long task (70–110 ms on this machine), which also held back training progress.
   */
  async function build(d: ViewData): Promise<void> {
    await yieldToMain();
    last = d;
    labelPx = xLabelSize(d.xLabel, width());
    let init: () => void = () => {};
    const next = new uPlot(plotOptions(d, width(), labelPx, drawn), dataOf(d), (_u, later) => {
      init = later as () => void; // uPlot types it as Function
    });
    await yieldToMain();
    plot?.destroy();
    plot = next;
    shape = shapeOf(d);
    host.replaceChildren(next.root);
    return new Promise<void>((resolve) => {
      onDrawn = resolve;
      init();
    });
  }

  return {
    draw(d) {
      queue = queue.then(() => (plot && shapeOf(d) === shape ? update(d) : build(d)));
      return queue;
    },
    resize(w) {
      // The widget's ResizeObserver fires on height changes too (a figure or table appearing); uPlot
      // redraws on every setSize, even to the same size, so only a new width reaches it.
      if (!plot || plot.width === Math.max(200, w)) return;
      plot.setSize({ width: Math.max(200, w), height: HEIGHT });
      // A width that needs another label size rebuilds the plot (uPlot sets fonts when it is built).
      if (last && xLabelSize(last.xLabel, Math.max(200, w)) !== labelPx) {
        shape = '';
        void this.draw(last);
      }
    },
  };
}
