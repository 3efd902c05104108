/**
 * The playground's decision-boundary view as data (the TensorFlow Playground picture): the predicted
 * class over the input plane, paler where the model is unsure, with the training points (filled) and
 * test points (rings) on top. Its table counts each class's points and share of the map; its summary
 * says the accuracies, the test loss and what the colours mean. Shared by the build-time SVG below and
 * the live canvas (boundary-canvas.ts), so both draw the same thing.
 */
import type { Boundary, PlaygroundResult, Points } from './playground-job.ts';
import { COLORS, fmt } from './view-format.ts';
import type { ViewData } from './views.ts';

/** What the canvas and the SVG draw. */
export interface BoundaryDrawing {
  readonly boundary: Boundary;
  readonly train: Points;
  readonly test: Points;
}

/** Okabe–Ito blue, orange, bluish green: told apart with colour blindness, and by marker shape too. */
export const CLASS_COLORS = [COLORS[0], COLORS[1], COLORS[2]] as const;
const CLASS_WORDS = ['blue circles', 'orange squares', 'green diamonds'];

const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)} %`);

/** Cell colour: white blended towards the class colour, more the surer the model (0.12 … 0.55 of it). */
const CLASS_RGB = CLASS_COLORS.map((hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)));

export function cellColor(label: number, confidence: number, classes: number): [number, number, number] {
  const rgb = CLASS_RGB[label % CLASS_RGB.length];
  const sure = Math.min(1, Math.max(0, (confidence - 1 / classes) / (1 - 1 / classes)));
  const t = 0.12 + 0.43 * sure;
  return rgb.map((c) => Math.round(255 + t * (c - 255))) as [number, number, number];
}

const countOf = (labels: readonly number[], k: number) => labels.reduce((n, l) => n + (l === k ? 1 : 0), 0);

export function boundaryView(r: PlaygroundResult): ViewData {
  const b = r.boundary;
  const classes = b.classes;
  const x = Array.from({ length: classes }, (_, k) => k);
  const cells = b.label.length;
  const a = r.accuracy;
  const loss = classes > 2 ? 'softmax cross-entropy' : 'binary cross-entropy';
  let summary = `After ${a.step} of ${r.totalSteps} steps: training accuracy ${pct(a.train)}, test accuracy ${pct(a.test)}, test loss ${fmt(a.testLoss)} (${loss}, evaluation mode).`;
  summary += ` The map shows the class the network predicts at each of ${b.size} × ${b.size} points of the plane, paler where it is less sure; ${CLASS_WORDS.slice(0, classes).join(', ')} are the training points of each class, rings the held-out test points.`;
  if (r.stopped) summary += ` The non-finite sentinel stopped the run: ${r.stopped.message}`;
  return {
    x,
    xLabel: 'class',
    yLabel: 'points',
    log: false,
    rowLabels: x.map((k) => `class ${k} (${CLASS_WORDS[k]})`),
    series: [
      { label: 'training points', values: x.map((k) => countOf(r.train.label, k)), color: COLORS[0] },
      { label: 'test points', values: x.map((k) => countOf(r.test.label, k)), color: COLORS[1] },
      {
        label: 'share of the map predicted as this class',
        values: x.map((k) => countOf(b.label, k) / cells),
        color: COLORS[2],
      },
    ],
    summary,
    caption: `Decision boundary after step ${b.step}: the predicted class over the input plane (x₁ across, x₂ up), with the training and test points.`,
    boundary: { boundary: b, train: r.train, test: r.test },
  };
}

/** Marker path of class k at (cx, cy) with radius s: circle, square, diamond (shape, not only colour). */
export function markerPath(k: number, cx: number, cy: number, s: number): string {
  if (k % 3 === 1) return `M${cx - s} ${cy - s}h${2 * s}v${2 * s}h${-2 * s}Z`;
  if (k % 3 === 2) return `M${cx} ${cy - 1.3 * s}L${cx + 1.3 * s} ${cy}L${cx} ${cy + 1.3 * s}L${cx - 1.3 * s} ${cy}Z`;
  return `M${cx - s} ${cy}a${s} ${s} 0 1 0 ${2 * s} 0a${s} ${s} 0 1 0 ${-2 * s} 0Z`;
}

/** Pixel position of input (a, b) in a square of `size` pixels. */
export const toPixel = (bd: Boundary, size: number, a: number, b: number): [number, number] => [
  ((a - bd.x1[0]) / (bd.x1[1] - bd.x1[0])) * size,
  size - ((b - bd.x2[0]) / (bd.x2[1] - bd.x2[0])) * size,
];

/**
 * Build-time SVG (no JavaScript yet): the map as runs of equal cells per row (colour quantized to
 * four levels), then the points. A few hundred elements instead of 48 × 48 rectangles.
 */
export function boundarySvg(d: BoundaryDrawing, title: string): string {
  const { boundary: b } = d;
  const S = 360;
  const cell = S / b.size;
  const parts: string[] = [];
  const colorOf = (i: number) => {
    const level = Math.round(3 * Math.min(1, Math.max(0, (b.confidence[i] - 1 / b.classes) / (1 - 1 / b.classes))));
    const [r, g, bl] = cellColor(b.label[i], 1 / b.classes + (level / 3) * (1 - 1 / b.classes), b.classes);
    return `rgb(${r},${g},${bl})`;
  };
  for (let j = 0; j < b.size; j++) {
    let start = 0;
    for (let i = 1; i <= b.size; i++) {
      const at = j * b.size;
      if (i < b.size && colorOf(at + i) === colorOf(at + start)) continue;
      const y = S - (j + 1) * cell;
      parts.push(
        `<rect x="${(start * cell).toFixed(1)}" y="${y.toFixed(1)}" width="${((i - start) * cell + 0.3).toFixed(1)}" height="${(cell + 0.3).toFixed(1)}" fill="${colorOf(at + start)}"/>`,
      );
      start = i;
    }
  }
  const points = (p: Points, test: boolean) => {
    for (let r = 0; r < p.label.length; r++) {
      const [cx, cy] = toPixel(b, S, p.x[2 * r], p.x[2 * r + 1]);
      const k = p.label[r];
      const color = CLASS_COLORS[k % CLASS_COLORS.length];
      const style = test
        ? `fill="#fff" stroke="${color}" stroke-width="1.5"`
        : `fill="${color}" stroke="#222" stroke-width="0.6"`;
      parts.push(`<path d="${markerPath(k, Number(cx.toFixed(1)), Number(cy.toFixed(1)), 3)}" ${style}/>`);
    }
  };
  points(d.train, false);
  points(d.test, true);
  const esc = title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${S} ${S}" role="img" aria-label="${esc.replace(/"/g, '&quot;')}" class="boundary-svg"><title>${esc}</title>${parts.join('')}</svg>`;
}
