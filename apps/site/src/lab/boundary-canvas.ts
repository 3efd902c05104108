/**
 * The live decision-boundary drawing: the grid's cells into a size × size ImageData (one pixel per
 * cell, one buffer reused across draws), scaled up without smoothing, then the points on top. A draw
 * is a few hundred canvas calls, well inside a frame; the widget calls it at most once per animation
 * frame. `data-draws` on the host counts draws (the budget script reads it for the redraw rate).
 */
import { type BoundaryDrawing, CLASS_COLORS, cellColor, markerPath, toPixel } from './boundary-view.ts';
import type { Chart } from './chart.ts';
import type { ViewData } from './views.ts';

/** Largest side of the square drawing, CSS pixels. */
const MAX = 420;

export function createBoundaryChart(host: HTMLElement): Chart {
  const canvas = document.createElement('canvas');
  canvas.className = 'boundary-canvas';
  const cells = document.createElement('canvas');
  let image: ImageData | null = null;
  let last: BoundaryDrawing | null = null;
  let draws = 0;
  let side = 0;

  function layout(width: number) {
    side = Math.max(120, Math.min(MAX, Math.floor(width)));
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(side * ratio);
    canvas.height = Math.round(side * ratio);
    canvas.style.width = `${side}px`;
    canvas.style.height = `${side}px`;
  }

  function paint(d: BoundaryDrawing) {
    if (!canvas.isConnected) host.append(canvas); // on the first draw, when the build-time figure goes
    const b = d.boundary;
    if (!image || image.width !== b.size) {
      cells.width = b.size;
      cells.height = b.size;
      image = new ImageData(b.size, b.size);
    }
    const px = image.data;
    for (let j = 0; j < b.size; j++)
      for (let i = 0; i < b.size; i++) {
        const [r, g, bl] = cellColor(b.label[j * b.size + i], b.confidence[j * b.size + i], b.classes);
        const o = 4 * ((b.size - 1 - j) * b.size + i); // row 0 of the image is the top of the plane
        px[o] = r;
        px[o + 1] = g;
        px[o + 2] = bl;
        px[o + 3] = 255;
      }
    cells.getContext('2d')!.putImageData(image, 0, 0);
    const ctx = canvas.getContext('2d')!;
    const ratio = canvas.width / side;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, 0, 0, side, side);
    const points = (p: BoundaryDrawing['train'], test: boolean) => {
      ctx.lineWidth = test ? 1.5 : 0.75;
      for (let r = 0; r < p.label.length; r++) {
        const [cx, cy] = toPixel(b, side, p.x[2 * r], p.x[2 * r + 1]);
        const k = p.label[r];
        const color = CLASS_COLORS[k % CLASS_COLORS.length];
        const path = new Path2D(markerPath(k, cx, cy, side < 240 ? 2.5 : 3.5));
        ctx.fillStyle = test ? '#fff' : color;
        ctx.strokeStyle = test ? color : '#222';
        ctx.fill(path);
        ctx.stroke(path);
      }
    };
    points(d.train, false);
    points(d.test, true);
    host.dataset.draws = String(++draws);
    host.dataset.step = String(b.step);
  }

  layout(host.clientWidth || MAX);
  return {
    draw(d: ViewData) {
      if (d.boundary) {
        last = d.boundary;
        paint(d.boundary);
      }
      return Promise.resolve();
    },
    resize(width: number) {
      if (Math.max(120, Math.min(MAX, Math.floor(width))) === side) return;
      layout(width);
      if (last) paint(last);
    },
  };
}
