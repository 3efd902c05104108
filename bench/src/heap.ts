/**
 * Heap growth: a 50-layer, 256-wide network trains 1,000 steps through Session.step(); the live
 * heap is measured after full garbage collections before and after (needs `node --expose-gc`).
 */
import v8 from 'node:v8';
import { getLoss, sgd } from '@gradlab/core';
import { benchData, gradlabSession, LEARNING_RATE, type Shape } from './gradlab.ts';

export const HEAP_SHAPE: Shape = { depth: 50, width: 256, batch: 4 };
/** Steps per window of the allocation-rate measurement (the windows are n and 4n steps). */
const ALLOCATION_STEPS = 10;

export interface HeapResult {
  readonly shape: Shape;
  readonly activation: 'relu';
  readonly warmupSteps: number;
  readonly steps: number;
  /** Live heap after − before, bytes. */
  readonly growth: number;
  /** The same split by V8 heap space: JIT code and its metadata (code, trusted) vs objects (old, new, …). */
  readonly growthBySpace: { readonly jit: number; readonly objects: number };
  /** What the session keeps by design: its loss history, one number per step (bytes, estimated). */
  readonly lossHistoryBytes: number;
  /** Heap allocated per step (garbage or not): least of three slopes of the heap counter between windows. */
  readonly bytesPerStep: { readonly engine: number; readonly session: number };
  readonly msPerStep: number;
  readonly finalLoss: number;
}

function collect(): void {
  const gc = globalThis.gc!;
  gc();
  gc();
}

function spaces(): Map<string, number> {
  return new Map(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
}

/** Heap counter increase over `n` calls of `step` right after a collection, or NaN if a GC ran meanwhile. */
function allocated(step: () => void, n: number): number {
  collect();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) step();
  const delta = process.memoryUsage().heapUsed - before;
  return delta < 0 ? Number.NaN : delta;
}

/**
 * Bytes allocated per step: the slope between runs of n and 4n steps, which cancels the few
 * kilobytes the measurement itself moves the heap counter by; the least of three tries, since
 * stray allocations (V8 re-optimizing a function) only ever add.
 */
function allocatedPerStep(step: () => void, n: number): number {
  let least = Number.POSITIVE_INFINITY;
  for (let t = 0; t < 3; t++) least = Math.min(least, (allocated(step, 4 * n) - allocated(step, n)) / (3 * n));
  return Math.max(0, least);
}

export function heapGrowth(steps: number, warmupSteps: number, log: (line: string) => void): HeapResult {
  if (!globalThis.gc) throw new Error('run with node --expose-gc');
  const shape = HEAP_SHAPE;
  const rows = shape.batch;
  // Enough rows that no epoch ends during the run (an epoch end records a summary, by design).
  const stepsTotal = warmupSteps + steps + 20 * ALLOCATION_STEPS;
  const data = benchData(shape.width, rows * (stepsTotal + 10));
  const session = gradlabSession(shape, 'relu', { data });
  let lastLoss = Number.NaN;
  const sessionStep = () => {
    lastLoss = session.step().loss;
  };

  log(`heap growth: ${warmupSteps} warm-up steps, then ${steps} Session.step() calls…`);
  for (let i = 0; i < warmupSteps; i++) sessionStep();
  collect();
  const before = process.memoryUsage().heapUsed;
  const spacesBefore = spaces();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) sessionStep();
  const msPerStep = (performance.now() - t0) / steps;
  collect();
  const growth = process.memoryUsage().heapUsed - before;
  let jit = 0;
  let objects = 0;
  for (const [name, used] of spaces()) {
    const d = used - (spacesBefore.get(name) ?? 0);
    if (name.startsWith('code') || name.includes('trusted')) jit += d;
    else objects += d;
  }

  // The engine alone (what Session.step() runs between bookkeeping), on the same model.
  const { model } = session;
  const x = data.x.subarray(0, rows * shape.width);
  const y = data.y.subarray(0, rows * shape.width);
  const dOut = new Float64Array(rows * shape.width);
  const loss = getLoss('mse');
  const optimizer = sgd.create({ lr: LEARNING_RATE, weightDecay: 0 }, model.params);
  const engineStep = () => {
    model.zeroGrads();
    const out = model.forward(x, rows, true);
    loss.gradient(out, y, rows, shape.width, dOut);
    model.backward(dOut, rows);
    optimizer.step(model.params, model.grads);
  };
  for (let i = 0; i < 2 * ALLOCATION_STEPS; i++) engineStep();

  return {
    shape,
    activation: 'relu',
    warmupSteps,
    steps,
    growth,
    growthBySpace: { jit, objects },
    // A packed double array: 8 bytes per entry, capacity grown by 1.5× + 16.
    lossHistoryBytes: 8 * (warmupSteps + steps),
    bytesPerStep: {
      engine: allocatedPerStep(engineStep, ALLOCATION_STEPS),
      session: allocatedPerStep(sessionStep, ALLOCATION_STEPS),
    },
    msPerStep,
    finalLoss: lastLoss,
  };
}
