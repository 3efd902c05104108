/**
 * uPlot behind one small interface: draw(ViewData) resolves once the frame is drawn. The plot is
 * rebuilt only when the series change shape (labels, log/linear); otherwise setData redraws in place.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Num } from './protocol.ts';
import type { ViewData } from './views.ts';

export const HEIGHT = 280;

/** A log axis cannot show 0, negatives or non-finite values: they become gaps. */
const forAxis = (values: Num[], log: boolean) =>
  values.map((v) => (v === null || !Number.isFinite(v) || (log && v <= 0) ? null : v));

/**
 * Log-axis ticks as powers of ten ("1e-12"): uPlot's default prints decades below 0.001 as "0", which a
 * learner reads as a zero gradient. Decades from 0.001 to 1,000 stay plain numbers.
 */
const logTicks = (_u: uPlot, splits: number[]) =>
  splits.map((v) => (v == null ? '' : v >= 1e-3 && v <= 1e3 ? String(Number(v.toPrecision(1))) : v.toExponential(0)));

export interface Chart {
  draw(d: ViewData): Promise<void>;
  resize(width: number): void;
}

export function createChart(host: HTMLElement): Chart {
  let plot: uPlot | null = null;
  let shape = '';
  let onDrawn: (() => void) | null = null;
  const width = () => Math.max(200, host.clientWidth);
  return {
    draw(d) {
      const data: uPlot.AlignedData = [d.x, ...d.series.map((s) => forAxis(s.values, d.log))];
      const key = JSON.stringify([d.log, d.xLabel, d.yLabel, d.series.map((s) => s.label)]);
      return new Promise<void>((resolve) => {
        onDrawn = resolve;
        if (plot && key === shape) {
          plot.setData(data);
          return;
        }
        plot?.destroy();
        shape = key;
        host.replaceChildren();
        const bars = uPlot.paths.bars?.({ size: [0.9, 40] });
        plot = new uPlot(
          {
            width: width(),
            height: HEIGHT,
            scales: {
              x: { time: false },
              y: d.log ? { distr: 3, log: 10 } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max : 1] },
            },
            axes: [{ label: d.xLabel }, { label: d.yLabel, size: 64, ...(d.log && { values: logTicks }) }],
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
    },
    resize(w) {
      plot?.setSize({ width: Math.max(200, w), height: HEIGHT });
    },
  };
}
