/**
 * Build-time SVG of a ViewData: the figure a page shows before the worker answers, or with
 * JavaScript off. Plain polylines and bars with labelled axes (decades on a log axis).
 */
import { boundarySvg } from './boundary-view.ts';
import { fmt, type ViewData } from './views.ts';

const H = 280;
const M = { left: 64, right: 12, top: 12, bottom: 44 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderSvg(d: ViewData, title: string, W = 640, className?: string): string {
  if (d.boundary) return boundarySvg(d.boundary, title);
  const ys = d.series
    .flatMap((s) => s.values)
    .filter((v): v is number => v !== null && Number.isFinite(v) && (!d.log || v > 0));
  const tf = (v: number) => (d.log ? Math.log10(v) : v);
  let lo = ys.length ? Math.min(...ys.map(tf)) : 0;
  let hi = ys.length ? Math.max(...ys.map(tf)) : 1;
  if (!d.log) lo = Math.min(lo, 0);
  if (d.log) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
  }
  if (hi === lo) hi = lo + 1;
  const fx = (x: number) => (d.xLog ? Math.log10(x) : x);
  const xs = d.x.map(fx);
  // Bars are centred on their x: widen the axis by half a bin each side so the end bars stay inside.
  const half =
    d.series.some((s) => s.bars) && xs.length > 1 ? (Math.max(...xs) - Math.min(...xs)) / (xs.length - 1) / 2 : 0;
  const x0 = Math.min(...xs) - half;
  const x1 = Math.max(...xs) + half;
  const px = (x: number) => M.left + ((fx(x) - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (v: number) => H - M.bottom - ((tf(v) - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const parts: string[] = [];
  // y ticks: decades on a log axis (at most 8), five steps on a linear one.
  const ticks: number[] = [];
  if (d.log) {
    const every = Math.max(1, Math.ceil((hi - lo) / 8));
    for (let e = lo; e <= hi; e += every) ticks.push(10 ** e);
  } else for (let i = 0; i <= 4; i++) ticks.push(lo + ((hi - lo) * i) / 4);
  for (const t of ticks) {
    const y = py(t).toFixed(1);
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(fmt(t))}</text>`);
  }
  // A narrow figure (phones) keeps its labels legible by drawing fewer of them.
  const maxTicks = W < 500 ? 5 : 8;
  const xticks = d.x.length <= 1.5 * maxTicks ? d.x : d.x.filter((_, i) => i % Math.ceil(d.x.length / maxTicks) === 0);
  for (const x of xticks) {
    parts.push(`<text x="${px(x).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${esc(fmt(x))}</text>`);
  }
  d.series.forEach((s) => {
    const pts = s.values.map((v, i) =>
      v === null || !Number.isFinite(v) || (d.log && v <= 0) ? null : [px(d.x[i]), py(v)],
    );
    if (s.bars) {
      const bw = ((W - M.left - M.right) / d.x.length) * 0.9;
      for (const p of pts) {
        if (p)
          parts.push(
            `<rect x="${(p[0] - bw / 2).toFixed(1)}" y="${p[1].toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - M.bottom - p[1]).toFixed(1)}" fill="${s.color}55" stroke="${s.color}"/>`,
          );
      }
      return;
    }
    let path = '';
    let pen = false;
    for (const p of pts) {
      if (!p) {
        pen = false;
        continue;
      }
      path += `${pen ? 'L' : 'M'}${p[0].toFixed(1)} ${p[1].toFixed(1)}`;
      pen = true;
    }
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : '';
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    if (s.points)
      for (const p of pts)
        if (p) parts.push(`<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3" fill="${s.color}"/>`);
  });
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">${esc(d.xLabel)}</text>`);
  const legend = d.series
    .map(
      (s, i) =>
        `<text x="${M.left + 8}" y="${M.top + 12 + 14 * i}" fill="${s.color}">${s.dash ? '- - ' : '—— '}${esc(s.label)}</text>`,
    )
    .join('');
  const cls = className ? ` class="${className}"` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg"${cls} viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" font-size="11" font-family="system-ui, sans-serif">${parts.join('')}${legend}</svg>`;
}

/**
 * The figure twice: 640 units wide for the page's column, 340 for a phone. Scaled down to a 360 px
 * screen, the wide one's 11-unit labels shrank to ~5 px and its height to ~130 px; CSS shows the one
 * that fits (`svg.wide` / `svg.narrow`, see LabWidget.astro and StaticFigure.astro).
 */
export function renderSvgPair(d: ViewData, title: string): string {
  if (d.boundary) return boundarySvg(d.boundary, title); // a square map: one size serves both
  return renderSvg(d, title, 640, 'wide') + renderSvg(d, title, 340, 'narrow');
}
