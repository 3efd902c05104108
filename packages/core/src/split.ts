import type { Dataset } from './datasets.ts';
import type { SeededRng } from './rng.ts';

/** A seeded train/test split: the last `fraction` of a random permutation is held out. */
export function splitRows(data: Dataset, fraction: number, rng: SeededRng): [Dataset, Dataset] {
  const order = Uint32Array.from({ length: data.rows }, (_, i) => i);
  const testRows = Math.round(data.rows * fraction);
  if (testRows === 0) return [data, subset(data, order, 0, 0)];
  rng.shuffle(order);
  return [subset(data, order, 0, data.rows - testRows), subset(data, order, data.rows - testRows, testRows)];
}

function subset(data: Dataset, order: Uint32Array, start: number, rows: number): Dataset {
  const width = data.features * data.steps;
  const x = new Float64Array(rows * width);
  const y = new Float64Array(rows * data.outputs);
  takeRows(data, order, start, rows, x, y);
  return { ...data, rows, x, y };
}

/** Copy rows order[start … start+rows) of `data` into the front of x and y. */
export function takeRows(
  data: Dataset,
  order: Uint32Array,
  start: number,
  rows: number,
  x: Float64Array,
  y: Float64Array,
): void {
  const width = data.features * data.steps;
  const outs = data.outputs;
  for (let r = 0; r < rows; r++) {
    const src = order[start + r];
    // Plain loops: subarray() would allocate a view per row on the hot path.
    for (let j = 0; j < width; j++) x[r * width + j] = data.x[src * width + j];
    for (let j = 0; j < outs; j++) y[r * outs + j] = data.y[src * outs + j];
  }
}
