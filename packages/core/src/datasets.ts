import type { OptionsOf, OptionsSchema } from '@gradlab/plugin-api';
import { math } from '@gradlab/plugin-api';
import type { SeededRng } from './rng.ts';

export type Task = 'regression' | 'binary' | 'multiclass';

/** Rows of inputs and targets. Sequence inputs hold `steps` × `features` values per row, step-major. */
export interface Dataset {
  readonly rows: number;
  readonly features: number;
  /** Time steps per row; 1 for vector data. */
  readonly steps: number;
  readonly outputs: number;
  readonly task: Task;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export interface DatasetDefinition<S extends OptionsSchema = OptionsSchema> {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly options: S;
  /** Sizes and task for these options, without generating anything (spec validation). */
  shape(options: OptionsOf<S>): DataShape;
  generate(options: OptionsOf<S>, rng: SeededRng): Dataset;
}

export type DataShape = Pick<Dataset, 'features' | 'steps' | 'outputs' | 'task'>;
const PLANAR: DataShape = { features: 2, steps: 1, outputs: 1, task: 'binary' };

const samples = (n: number) =>
  ({ type: 'integer', default: n, min: 1, max: 1_000_000, description: 'Number of rows generated.' }) as const;
const noise = (s: number) =>
  ({
    type: 'number',
    default: s,
    min: 0,
    max: 10,
    description: 'Standard deviation of Gaussian noise added to inputs.',
  }) as const;

function define<S extends OptionsSchema>(def: DatasetDefinition<S>): DatasetDefinition<S> {
  return def;
}

/** 2-d points with a binary label; `point` returns [x1, x2, label] for sample i. */
function planar(rows: number, rng: SeededRng, sigma: number, point: (i: number) => [number, number, number]): Dataset {
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const [a, b, label] = point(i);
    x[2 * i] = a + sigma * rng.normal();
    x[2 * i + 1] = b + sigma * rng.normal();
    y[i] = label;
  }
  return { rows, features: 2, steps: 1, outputs: 1, task: 'binary', x, y };
}

export const xor = define({
  id: 'xor',
  shape: () => PLANAR,
  title: 'XOR',
  summary: 'Points in the square [−1, 1]², labelled 1 where x₁·x₂ > 0.',
  options: { samples: samples(200), noise: noise(0) },
  generate: (o, rng) =>
    planar(o.samples, rng, o.noise, () => {
      const a = 2 * rng.next() - 1;
      const b = 2 * rng.next() - 1;
      return [a, b, a * b > 0 ? 1 : 0];
    }),
});

export const circles = define({
  id: 'circles',
  shape: () => PLANAR,
  title: 'Circles',
  summary: 'An inner disc (label 1) inside a ring (label 0).',
  options: {
    samples: samples(200),
    noise: noise(0.05),
    factor: { type: 'number', default: 0.5, min: 0.05, max: 0.95, description: 'Inner radius relative to the outer.' },
  },
  generate: (o, rng) =>
    planar(o.samples, rng, o.noise, (i) => {
      const inner = i % 2 === 0;
      const angle = 2 * Math.PI * rng.next();
      const r = inner ? o.factor * Math.sqrt(rng.next()) : 1 + 0.2 * rng.next();
      return [r * math.cos(angle), r * math.sin(angle), inner ? 1 : 0];
    }),
});

export const spirals = define({
  id: 'spirals',
  shape: () => PLANAR,
  title: 'Two spirals',
  summary: 'Two interleaved spirals, one per class.',
  options: {
    samples: samples(200),
    noise: noise(0),
    turns: { type: 'number', default: 1.75, min: 0.25, max: 5, description: 'Turns of each spiral.' },
  },
  generate: (o, rng) =>
    planar(o.samples, rng, o.noise, (i) => {
      const label = i % 2;
      const t = rng.next();
      const angle = 2 * Math.PI * o.turns * t + label * Math.PI;
      return [t * math.cos(angle), t * math.sin(angle), label];
    }),
});

export const moons = define({
  id: 'moons',
  shape: () => PLANAR,
  title: 'Two moons',
  summary: 'Two interleaving half circles.',
  options: { samples: samples(200), noise: noise(0.1) },
  generate: (o, rng) =>
    planar(o.samples, rng, o.noise, (i) => {
      const label = i % 2;
      const angle = Math.PI * rng.next();
      return label === 0 ? [math.cos(angle), math.sin(angle), 0] : [1 - math.cos(angle), 0.5 - math.sin(angle), 1];
    }),
});

export const clusters = define({
  id: 'clusters',
  shape: (o) => ({ features: o.features, steps: 1, outputs: o.classes, task: 'multiclass' }),
  title: 'Gaussian clusters',
  summary: 'Gaussian blobs around centres on a circle, one class each (one-hot targets).',
  options: {
    samples: samples(300),
    classes: { type: 'integer', default: 3, min: 2, max: 64, description: 'Number of classes.' },
    features: { type: 'integer', default: 2, min: 1, max: 4096, description: 'Input dimension.' },
    spread: { type: 'number', default: 0.5, min: 0, max: 10, description: 'Standard deviation of each blob.' },
  },
  generate: (o, rng) => {
    const centres = Array.from({ length: o.classes }, (_, c) =>
      Array.from({ length: o.features }, (_, f) =>
        f < 2 ? 2 * (f === 0 ? math.cos : math.sin)((2 * Math.PI * c) / o.classes) : rng.normal(),
      ),
    );
    const x = new Float64Array(o.samples * o.features);
    const y = new Float64Array(o.samples * o.classes);
    for (let i = 0; i < o.samples; i++) {
      const c = i % o.classes;
      for (let f = 0; f < o.features; f++) x[i * o.features + f] = centres[c][f] + o.spread * rng.normal();
      y[i * o.classes + c] = 1;
    }
    return { rows: o.samples, features: o.features, steps: 1, outputs: o.classes, task: 'multiclass', x, y };
  },
});

export const teacher = define({
  id: 'teacher',
  shape: (o) => ({ features: o.features, steps: 1, outputs: o.outputs, task: 'regression' }),
  title: 'Teacher network',
  summary: 'Regression targets from a random one-hidden-layer tanh network, plus noise.',
  options: {
    samples: samples(500),
    features: { type: 'integer', default: 4, min: 1, max: 4096, description: 'Input dimension.' },
    hidden: { type: 'integer', default: 16, min: 1, max: 4096, description: 'Hidden units of the teacher.' },
    outputs: { type: 'integer', default: 1, min: 1, max: 4096, description: 'Target dimension.' },
    noise: { type: 'number', default: 0.05, min: 0, max: 10, description: 'Standard deviation of target noise.' },
  },
  generate: (o, rng) => {
    const W1 = Array.from({ length: o.features * o.hidden }, () => rng.normal() / Math.sqrt(o.features));
    const W2 = Array.from({ length: o.hidden * o.outputs }, () => rng.normal() / Math.sqrt(o.hidden));
    const x = new Float64Array(o.samples * o.features);
    const y = new Float64Array(o.samples * o.outputs);
    const h = new Float64Array(o.hidden);
    for (let i = 0; i < o.samples; i++) {
      for (let f = 0; f < o.features; f++) x[i * o.features + f] = rng.normal();
      for (let j = 0; j < o.hidden; j++) {
        let s = 0;
        for (let f = 0; f < o.features; f++) s += x[i * o.features + f] * W1[f * o.hidden + j];
        h[j] = math.tanh(s);
      }
      for (let k = 0; k < o.outputs; k++) {
        let s = 0;
        for (let j = 0; j < o.hidden; j++) s += h[j] * W2[j * o.outputs + k];
        y[i * o.outputs + k] = s + o.noise * rng.normal();
      }
    }
    return { rows: o.samples, features: o.features, steps: 1, outputs: o.outputs, task: 'regression', x, y };
  },
});

export const gaussian = define({
  id: 'gaussian',
  shape: (o) => ({ features: o.features, steps: o.steps, outputs: o.outputs, task: 'regression' }),
  title: 'Gaussian noise (the canonical probe setup)',
  summary:
    'Inputs x ~ N(0, I) and targets y ~ N(0, 1): the setup every probe number on the site uses; with steps > 1, sequences of i.i.d. N(0, I) inputs.',
  options: {
    samples: samples(128),
    features: { type: 'integer', default: 16, min: 1, max: 4096, description: 'Input dimension (per time step).' },
    outputs: { type: 'integer', default: 1, min: 1, max: 4096, description: 'Target dimension.' },
    steps: { type: 'integer', default: 1, min: 1, max: 1000, description: 'Time steps per sequence (1: plain rows).' },
  },
  // x is drawn in row, step, feature order, so steps: 1 gives the same bits as before the option existed.
  generate: (o, rng) => {
    const x = new Float64Array(o.samples * o.steps * o.features);
    const y = new Float64Array(o.samples * o.outputs);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    for (let i = 0; i < y.length; i++) y[i] = rng.normal();
    return { rows: o.samples, features: o.features, steps: o.steps, outputs: o.outputs, task: 'regression', x, y };
  },
});

const steps = (n: number) =>
  ({ type: 'integer', default: n, min: 1, max: 1000, description: 'Time steps per sequence.' }) as const;

export const sine = define({
  id: 'sine',
  shape: (o) => ({ features: 1, steps: o.steps, outputs: 1, task: 'regression' }),
  title: 'Sine continuation',
  summary: 'Sequences of a sine wave with random frequency and phase; the target is the next value.',
  options: { samples: samples(200), steps: steps(20), noise: noise(0) },
  generate: (o, rng) => {
    const x = new Float64Array(o.samples * o.steps);
    const y = new Float64Array(o.samples);
    for (let i = 0; i < o.samples; i++) {
      const omega = 0.1 + 0.4 * rng.next();
      const phase = 2 * Math.PI * rng.next();
      for (let t = 0; t < o.steps; t++) x[i * o.steps + t] = math.sin(omega * t + phase) + o.noise * rng.normal();
      y[i] = math.sin(omega * o.steps + phase);
    }
    return { rows: o.samples, features: 1, steps: o.steps, outputs: 1, task: 'regression', x, y };
  },
});

export const adding = define({
  id: 'adding',
  shape: (o) => ({ features: 2, steps: o.steps, outputs: 1, task: 'regression' }),
  title: 'Adding problem',
  summary: 'Sum the two marked values of a long sequence: one mark in each half, so the lag is long.',
  options: { samples: samples(500), steps: { ...steps(50), min: 2 } },
  generate: (o, rng) => {
    const T = o.steps;
    const x = new Float64Array(o.samples * T * 2);
    const y = new Float64Array(o.samples);
    const half = Math.floor(T / 2);
    for (let i = 0; i < o.samples; i++) {
      for (let t = 0; t < T; t++) x[(i * T + t) * 2] = rng.next();
      const first = rng.int(half);
      const second = half + rng.int(T - half);
      x[(i * T + first) * 2 + 1] = 1;
      x[(i * T + second) * 2 + 1] = 1;
      y[i] = x[(i * T + first) * 2] + x[(i * T + second) * 2];
    }
    return { rows: o.samples, features: 2, steps: T, outputs: 1, task: 'regression', x, y };
  },
});

export const DATASETS: Readonly<Record<string, DatasetDefinition>> = {
  xor,
  circles,
  spirals,
  moons,
  clusters,
  teacher,
  gaussian,
  sine,
  adding,
} as unknown as Record<string, DatasetDefinition>;
