import type { OptionsSchema } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { DATASETS, type Dataset, type DatasetDefinition } from '../src/datasets.ts';
import { createRng } from '../src/rng.ts';
import { bytes } from './helpers.ts';

const defaults = (schema: OptionsSchema) => Object.fromEntries(Object.entries(schema).map(([k, o]) => [k, o.default]));

function generate(id: string, options: Record<string, unknown> = {}, seed: number | string = 1): Dataset {
  const def = DATASETS[id] as DatasetDefinition;
  return def.generate({ ...defaults(def.options), samples: 60, ...options } as never, createRng(seed).fork('data'));
}

const ids = Object.keys(DATASETS);

describe('every dataset', () => {
  it('is listed', () => {
    expect(ids).toEqual(['xor', 'circles', 'spirals', 'moons', 'clusters', 'teacher', 'gaussian', 'sine', 'adding']);
  });

  it.each(ids)('%s agrees with its shape(), is finite and is deterministic per seed', (id) => {
    const def = DATASETS[id];
    const options = { ...defaults(def.options), samples: 60 };
    const shape = def.shape(options as never);
    const d = generate(id);
    expect({ features: d.features, steps: d.steps, outputs: d.outputs, task: d.task }).toEqual(shape);
    expect(d.rows).toBe(60);
    expect(d.x).toHaveLength(60 * d.features * d.steps);
    expect(d.y).toHaveLength(60 * d.outputs);
    expect(d.x.every(Number.isFinite) && d.y.every(Number.isFinite)).toBe(true);
    if (d.task === 'binary') expect(d.y.every((v) => v === 0 || v === 1)).toBe(true);
    if (d.task === 'multiclass') {
      for (let r = 0; r < d.rows; r++) {
        const row = Array.from(d.y.subarray(r * d.outputs, (r + 1) * d.outputs));
        expect(row.filter((v) => v === 1)).toHaveLength(1);
        expect(row.filter((v) => v === 0)).toHaveLength(d.outputs - 1);
      }
    }
    const again = generate(id);
    expect(bytes(again.x)).toEqual(bytes(d.x));
    expect(bytes(again.y)).toEqual(bytes(d.y));
    const other = generate(id, {}, 2);
    expect(bytes(other.x)).not.toEqual(bytes(d.x));
  });

  it.each(ids)('%s follows shape() for non-default options', (id) => {
    const def = DATASETS[id];
    const bigger = Object.fromEntries(
      Object.entries(def.options).flatMap(([k, o]) =>
        o.type === 'integer' && k !== 'samples'
          ? [[k, Math.min(o.default + 1, o.max ?? Number.POSITIVE_INFINITY)]]
          : [],
      ),
    );
    const options = { ...defaults(def.options), samples: 7, ...bigger };
    const d = def.generate(options as never, createRng(3));
    expect({ features: d.features, steps: d.steps, outputs: d.outputs, task: d.task }).toEqual(
      def.shape(options as never),
    );
    expect(d.x).toHaveLength(7 * d.features * d.steps);
    expect(d.y).toHaveLength(7 * d.outputs);
  });
});

describe('planar datasets without noise', () => {
  it('xor labels 1 exactly where x₁·x₂ > 0, inside [−1, 1]²', () => {
    const d = generate('xor', { samples: 200 });
    for (let i = 0; i < d.rows; i++) {
      const [a, b] = [d.x[2 * i], d.x[2 * i + 1]];
      expect(Math.max(Math.abs(a), Math.abs(b))).toBeLessThanOrEqual(1);
      expect(d.y[i]).toBe(a * b > 0 ? 1 : 0);
    }
  });

  it('circles puts label 1 inside radius `factor` and label 0 on the ring 1 ≤ r ≤ 1.2', () => {
    const d = generate('circles', { samples: 200, noise: 0, factor: 0.4 });
    for (let i = 0; i < d.rows; i++) {
      const r = Math.hypot(d.x[2 * i], d.x[2 * i + 1]);
      if (d.y[i] === 1) expect(r).toBeLessThanOrEqual(0.4 + 1e-12);
      else expect(r >= 1 - 1e-12 && r <= 1.2 + 1e-12).toBe(true);
    }
    expect(d.y.reduce((s, v) => s + v, 0)).toBe(100);
  });

  it('moons lie on two unit half circles, the second shifted by (1, 0.5) and flipped', () => {
    const d = generate('moons', { samples: 100, noise: 0 });
    for (let i = 0; i < d.rows; i++) {
      const [a, b] = [d.x[2 * i], d.x[2 * i + 1]];
      if (d.y[i] === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 12);
        expect(b).toBeGreaterThanOrEqual(0);
      } else {
        expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 12);
        expect(b).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('spirals keep both classes within the unit disc, half each', () => {
    const d = generate('spirals', { samples: 100 });
    for (let i = 0; i < d.rows; i++) expect(Math.hypot(d.x[2 * i], d.x[2 * i + 1])).toBeLessThanOrEqual(1);
    expect(d.y.reduce((s, v) => s + v, 0)).toBe(50);
  });

  it('noise moves the points but not the labels', () => {
    const clean = generate('xor', { noise: 0 });
    const noisy = generate('xor', { noise: 0.3 });
    expect(bytes(noisy.y)).toEqual(bytes(clean.y));
    expect(bytes(noisy.x)).not.toEqual(bytes(clean.x));
  });
});

describe('gaussian (the canonical probe setup)', () => {
  it('has standard normal inputs and targets', () => {
    const d = generate('gaussian', { samples: 4000, features: 4 });
    const moments = (a: Float64Array) => {
      const mean = a.reduce((s, v) => s + v, 0) / a.length;
      return [mean, a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length];
    };
    const [mx, vx] = moments(d.x);
    const [my, vy] = moments(d.y);
    expect(Math.abs(mx)).toBeLessThan(5 / Math.sqrt(d.x.length));
    expect(Math.abs(vx - 1)).toBeLessThan(5 * Math.sqrt(2 / d.x.length));
    expect(Math.abs(my)).toBeLessThan(5 / Math.sqrt(d.y.length));
    expect(Math.abs(vy - 1)).toBeLessThan(5 * Math.sqrt(2 / d.y.length));
  });
});

describe('gaussian with steps (sequences of noise)', () => {
  it('draws rows × steps × features values; steps 1 keeps the bits of the plain dataset', () => {
    const seq = generate('gaussian', { samples: 5, features: 3, steps: 4 });
    expect([seq.rows, seq.steps, seq.features, seq.x.length, seq.y.length]).toEqual([5, 4, 3, 60, 5]);
    const plain = generate('gaussian', { samples: 5, features: 3 });
    const one = generate('gaussian', { samples: 5, features: 3, steps: 1 });
    expect(bytes(one.x)).toEqual(bytes(plain.x));
    expect(plain.steps).toBe(1);
    // Same stream: the first 15 draws of x are the plain dataset's x (row, step, feature order).
    expect(Array.from(seq.x.subarray(0, 15))).toEqual(Array.from(plain.x));
  });
});

describe('sequence datasets', () => {
  it('adding: two marks per row, one in each half, and the target is the sum of the marked values', () => {
    for (const T of [2, 3, 7, 50]) {
      const d = generate('adding', { samples: 80, steps: T });
      const half = Math.floor(T / 2);
      for (let i = 0; i < d.rows; i++) {
        const value = (t: number) => d.x[(i * T + t) * 2];
        const mark = (t: number) => d.x[(i * T + t) * 2 + 1];
        const marked = Array.from({ length: T }, (_, t) => t).filter((t) => mark(t) !== 0);
        expect(marked).toHaveLength(2);
        expect(marked.map(mark)).toEqual([1, 1]);
        expect(marked[0]).toBeLessThan(half);
        expect(marked[1]).toBeGreaterThanOrEqual(half);
        expect(d.y[i]).toBe(value(marked[0]) + value(marked[1]));
        for (let t = 0; t < T; t++) expect(value(t) >= 0 && value(t) < 1).toBe(true);
      }
    }
  });

  it('sine: the target is the next value of the same sinusoid', () => {
    const T = 12;
    const d = generate('sine', { samples: 50, steps: T, noise: 0 });
    let checked = 0;
    for (let i = 0; i < d.rows; i++) {
      const x = d.x.subarray(i * T, (i + 1) * T);
      // A sampled sinusoid obeys x_{t+1} = 2cos(ω)·x_t − x_{t−1}; recover 2cos ω from the start.
      if (Math.abs(x[1]) < 0.1) continue;
      const twoCos = (x[2] + x[0]) / x[1];
      for (let t = 2; t < T; t++) expect(x[t]).toBeCloseTo(twoCos * x[t - 1] - x[t - 2], 9);
      expect(d.y[i]).toBeCloseTo(twoCos * x[T - 1] - x[T - 2], 9);
      // ω ∈ [0.1, 0.5]
      expect(twoCos).toBeLessThanOrEqual(2 * Math.cos(0.1) + 1e-9);
      expect(twoCos).toBeGreaterThanOrEqual(2 * Math.cos(0.5) - 1e-9);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('store inputs step-major: row r, step t, feature f at (r·steps + t)·features + f', () => {
    const d = generate('adding', { samples: 3, steps: 4 });
    expect(d.features).toBe(2);
    // Mark channel values are 0 or 1 only at odd positions.
    for (let k = 1; k < d.x.length; k += 2) expect(d.x[k] === 0 || d.x[k] === 1).toBe(true);
  });
});

describe('clusters and teacher', () => {
  it('clusters assigns classes round-robin with one-hot targets', () => {
    const d = generate('clusters', { samples: 12, classes: 4, spread: 0 });
    for (let i = 0; i < 12; i++) expect(d.y[i * 4 + (i % 4)]).toBe(1);
    // Without spread, every point sits on its class centre at radius 2.
    for (let i = 0; i < 12; i++) expect(Math.hypot(d.x[i * 2], d.x[i * 2 + 1])).toBeCloseTo(2, 12);
  });

  it('teacher targets come from a tanh network: with one input and one hidden unit, y = w₂·tanh(w₁·x)', () => {
    const d = generate('teacher', { samples: 100, noise: 0, features: 1, hidden: 1, outputs: 1 });
    // Such a y is odd and strictly monotone in x: sorted by x, y is sorted too, and x·y has one sign.
    const order = Array.from({ length: d.rows }, (_, i) => i).sort((i, j) => d.x[i] - d.x[j]);
    const ys = order.map((i) => d.y[i]);
    const increasing = ys.at(-1)! > ys[0];
    for (let k = 1; k < ys.length; k++) expect(increasing ? ys[k] >= ys[k - 1] : ys[k] <= ys[k - 1]).toBe(true);
    const signs = new Set(Array.from(d.x, (x, i) => Math.sign(x * d.y[i])));
    expect(signs.size).toBe(1);
    // With noise, the same inputs get different targets.
    const noisy = generate('teacher', { samples: 100, noise: 0.5, features: 1, hidden: 1, outputs: 1 });
    expect(bytes(noisy.x)).toEqual(bytes(d.x));
    expect(bytes(noisy.y)).not.toEqual(bytes(d.y));
  });
});
