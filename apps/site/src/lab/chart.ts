/**
 * uPlot behind one small interface: draw(ViewData) resolves once the frame is drawn. The plot is
 * rebuilt only when the series change shape (labels, log/linear); otherwise setData redraws in place.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Num } from './protocol.ts';
import { decadeLabel } from './view-format.ts';
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

export function createChart(host: HTMLElement): Chart {
  let plot: uPlot | null = null;
  let shape = '';
  let onDrawn: (() => void) | null = null;
  const width = () => Math.max(200, host.clientWidth);
  /** Draws run one after another, so a draw that waits to build a plot is never overtaken. */
  let queue: Promise<void> = Promise.resolve();

  let last: ViewData | null = null;
  let labelPx = 12;

  function render(d: ViewData): Promise<void> {
    last = d;
    const data: uPlot.AlignedData = [d.x, ...d.series.map((s) => forAxis(s.values, d.log))];
    const key = shapeOf(d);
    return new Promise<void>((resolve) => {
      onDrawn = resolve;
      if (plot && key === shape) {
        plot.setData(data);
        return;
      }
      plot?.destroy();
      shape = key;
      host.replaceChildren();
      labelPx = xLabelSize(d.xLabel, width());
      const bars = uPlot.paths.bars?.({ size: [0.9, 40] });
      plot = new uPlot(
        {
          width: width(),
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
          hooks: {
            draw: [
              () => {
                onDrawn?.();
                onDrawn = null;
              },
            ],
          },
        },
        data,
        host,
      );
    });
  }

  return {
    draw(d) {
      queue = queue.then(async () => {
        if (!(plot && shapeOf(d) === shape)) await yieldToMain();
        await render(d);
      });
      return queue;
    },
    resize(w) {
      plot?.setSize({ width: Math.max(200, w), height: HEIGHT });
      // A width that needs another label size rebuilds the plot (uPlot sets fonts when it is built).
      if (last && plot && xLabelSize(last.xLabel, Math.max(200, w)) !== labelPx) {
        shape = '';
        void this.draw(last);
      }
    },
  };
}
