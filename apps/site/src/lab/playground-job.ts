/**
 * The playground job (decision 0046): the training run of train-job.ts on a 2-D data set
 * (playground-spec.ts), plus what the free lab draws beside its curves: the model's output on a grid
 * over the data (the decision boundary), train/test accuracy, and the per-layer dashboard of the
 * standard probes (‖δ‖, ‖∂L/∂W‖, update ratio, dead and saturated shares, findings with their hints).
 * Everything extra is measured in evaluation mode between steps, so the run's numbers stay those of
 * `gradlab run` on the same spec. A module of its own: the worker loads it as the playground's chunk.
 */
import type { Registry, Session } from '@gradlab/core';
import type { Finding } from '@gradlab/plugin-api';
import { math } from '@gradlab/plugin-api';
import type { DeadUnitsReport, GradNormsReport, SaturationReport, UpdateRatioReport } from '@gradlab/probes';
import { playgroundSpec } from './playground-spec.ts';
import type { Num, ProbeResult, Setting, TrainResult } from './protocol.ts';
import { startTraining } from './train-job.ts';

/** Cells per side of the boundary grid. */
export const GRID = 48;
/**
 * Least time between two grid evaluations while training, and the least slice of steps between two
 * progress messages: about 15 a second, as many as the page redraws the map, with pause and cancel
 * still answered within 100 ms (decision 0044). The worker loop's 25 ms slices sent 40 a second, each
 * with every per-step series, and a loaded machine's page thread spent its frames receiving them.
 */
const GRID_EVERY_MS = 60;
/** Per-step series the page does not draw while the playground runs: sent with the result only. */
const AT_THE_END = [
  'deltaFirst',
  'deltaLast',
  'dead',
  'inactive',
  'updateRatio',
  'gradNorm',
  'clipRate',
  'weightNorm',
  'zeroWeights',
  'bnEvalLoss',
] as const;

export interface Boundary {
  /** Cells per side; cell (i, j) is column i (x₁) and row j (x₂, 0 at the bottom), stored at j·size + i. */
  readonly size: number;
  /** The grid's extent: the data's range with a margin. Cell centres are at lo + (k + ½)·(hi − lo)/size. */
  readonly x1: readonly [number, number];
  readonly x2: readonly [number, number];
  readonly classes: number;
  /** Per cell: the predicted class (argmax; two classes: logit > 0). */
  readonly label: number[];
  /** Per cell: the probability of the predicted class (sigmoid or softmax of the logits). */
  readonly confidence: number[];
  /** The step after which the grid was evaluated. */
  readonly step: number;
}

export interface Points {
  /** Inputs, two per row (x₁, x₂), and the class of each row. */
  readonly x: number[];
  readonly label: number[];
}

export interface PlaygroundResult extends Omit<TrainResult, 'kind'> {
  readonly kind: 'playground';
  readonly boundary: Boundary;
  readonly train: Points;
  readonly test: Points;
  /** At the boundary's step: accuracy on each split and the test loss (evaluation mode). */
  readonly accuracy: { readonly train: Num; readonly test: Num; readonly testLoss: Num; readonly step: number };
  /** The standard probes' last record per layer, in the probe result's shape so the probe views draw it. */
  readonly dashboard: ProbeResult;
  /** The findings so far, one per code and layer (the latest), with the probe's hint: what to try. */
  readonly advice: readonly string[];
}

// A finite number or null (JSON has no NaN/±Infinity); null and undefined give null too.
const num = (v: number | null | undefined): Num => (Number.isFinite(v) ? (v as number) : null);

/** The classes of a split: the target itself (two classes) or the hot index of a one-hot row. */
export function labels(y: Float64Array, rows: number, outputs: number): number[] {
  if (outputs === 1) return Array.from(y.subarray(0, rows));
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < outputs; c++) if (y[r * outputs + c] > y[r * outputs + best]) best = c;
    return best;
  });
}

/** The grid's extent over both splits' inputs: each axis's range plus 10 % on each side. */
export function extent(xs: readonly Float64Array[]): { x1: [number, number]; x2: [number, number] } {
  const lo = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const hi = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const x of xs)
    for (let i = 0; i < x.length; i++) {
      const a = i % 2;
      if (x[i] < lo[a]) lo[a] = x[i];
      if (x[i] > hi[a]) hi[a] = x[i];
    }
  const pad = (a: number): [number, number] => {
    const m = Math.max(0.1 * (hi[a] - lo[a]), 0.05);
    return [lo[a] - m, hi[a] + m];
  };
  return { x1: pad(0), x2: pad(1) };
}

/** The grid's inputs, two per cell in storage order (see {@link Boundary}). */
export function gridInputs(size: number, x1: readonly [number, number], x2: readonly [number, number]): Float64Array {
  const out = new Float64Array(2 * size * size);
  for (let j = 0; j < size; j++)
    for (let i = 0; i < size; i++) {
      out[2 * (j * size + i)] = x1[0] + ((i + 0.5) * (x1[1] - x1[0])) / size;
      out[2 * (j * size + i) + 1] = x2[0] + ((j + 0.5) * (x2[1] - x2[0])) / size;
    }
  return out;
}

/**
 * Predicted class and its probability from the logits of `rows` rows (`outputs` per row), written into
 * `label` and `confidence`. One logit: σ(s) is class 1's probability. Several: softmax, max-subtracted.
 * `math.exp` (plugin-api), not Math.exp, so Node and Chromium agree to the bit.
 */
export function classify(logits: Float64Array, rows: number, outputs: number, label: number[], confidence: number[]) {
  for (let r = 0; r < rows; r++) {
    if (outputs === 1) {
      const s = logits[r];
      const p = 1 / (1 + math.exp(-s));
      label[r] = s > 0 ? 1 : 0;
      confidence[r] = s > 0 ? p : 1 - p;
      continue;
    }
    let best = 0;
    for (let c = 1; c < outputs; c++) if (logits[r * outputs + c] > logits[r * outputs + best]) best = c;
    let sum = 0;
    for (let c = 0; c < outputs; c++) sum += math.exp(logits[r * outputs + c] - logits[r * outputs + best]);
    label[r] = best;
    confidence[r] = 1 / sum;
  }
}

/** The dashboard in the probe result's shape, from the spec's probes (window 1: their last record). */
function dashboard(session: Session): ProbeResult {
  const reports = session.reports();
  const g = (reports['grad-norms'] as GradNormsReport | undefined)?.history.at(-1);
  const sat = (reports.saturation as SaturationReport | undefined)?.history.at(-1);
  const dead = (reports['dead-units'] as DeadUnitsReport | undefined)?.history.at(-1);
  const up = (reports['update-ratio'] as UpdateRatioReport | undefined)?.history.at(-1);
  const none: Num[] = [];
  return {
    kind: 'probe',
    deltaNorm: (g?.deltaNorm ?? none).map(num),
    gradNorm: (g?.gradNorm ?? none).map(num),
    predicted: null,
    ratio: num(g?.ratios.delta),
    predictedRatio: null,
    gradRatio: num(g?.ratios.grad),
    saturation: (sat?.fraction ?? none).map(num),
    dead: (dead?.dead ?? none).map(num),
    preactivationStd: [],
    predictedStd: null,
    updateRatio: (up?.ratio ?? none).map(num),
    // The views print these after "Findings:": each with its hint, the fix to try.
    findings: advice(session.findings),
    spec: session.spec,
  };
}

/**
 * The latest finding of each code, as "CODE: message Fix: hint" (the message names the layer), without
 * its final full stop: the dashboard's summary lists them after "Findings:", separated by commas.
 * Messages count layers from 0, as the terminal does; the charts beside them count from 1, so a
 * finding with a layer says where that layer is on the charts.
 */
export function advice(findings: readonly Finding[]): string[] {
  const latest = new Map<string, Finding>();
  for (const f of findings) latest.set(f.code, f);
  return [...latest.values()].map((f) => {
    const where =
      f.layer === undefined
        ? ''
        : ` (layer ${f.layer} counted from 0, as in the terminal: ${f.layer + 1} on the charts)`;
    return `${f.code}${where}: ${f.message}${f.hint ? ` Fix: ${f.hint}` : ''}`.replace(/\.$/, '');
  });
}

/** A playground run: train-job.ts's run on the playground spec, with the grid evaluated between slices. */
export function startPlayground(registry: Registry, s: Setting) {
  const spec = playgroundSpec(registry, s);
  const run = startTraining(registry, s, spec);
  const session0 = run.session;
  const outputs = session0.model.outputSize;
  const { trainData, testData } = session0;
  const { x1, x2 } = extent([trainData.x, testData.x]);
  const cells = GRID * GRID;
  const inputs = gridInputs(GRID, x1, x2);
  const train: Points = { x: Array.from(trainData.x), label: labels(trainData.y, trainData.rows, outputs) };
  const test: Points = { x: Array.from(testData.x), label: labels(testData.y, testData.rows, outputs) };
  let boundary: Boundary | undefined;
  let accuracy: PlaygroundResult['accuracy'] = { train: null, test: null, testLoss: null, step: 0 };
  let evaluatedAt = Number.NEGATIVE_INFINITY;

  /** The grid and the splits in evaluation mode: no statistics, weights or optimizer state change. */
  function evaluate() {
    const session = run.session;
    const label = new Array<number>(cells);
    const confidence = new Array<number>(cells);
    classify(session.model.forward(inputs, cells, false), cells, outputs, label, confidence);
    boundary = { size: GRID, x1, x2, classes: Math.max(2, outputs), label, confidence, step: session.stepCount };
    const tr = session.evaluate('train');
    const te = session.evaluate('test');
    accuracy = { train: num(tr.accuracy), test: num(te.accuracy), testLoss: num(te.loss), step: session.stepCount };
  }
  evaluate();

  /** While running, the loss curve without the other per-step series (AT_THE_END); at the end, all. */
  const snapshot = (): PlaygroundResult => ({
    ...run.snapshot(),
    ...(!run.done && Object.fromEntries(AT_THE_END.map((k) => [k, []]))),
    kind: 'playground',
    boundary: boundary!,
    train,
    test,
    accuracy,
    dashboard: dashboard(run.session),
    advice: advice(run.session.findings),
  });
  return {
    get done() {
      return run.done;
    },
    /** Steps for `budgetMs` but at least 60 ms (train-job.ts), then the grid when 60 ms have passed since the last one or the run ended. */
    advance(budgetMs: number, now: () => number = () => performance.now()): void {
      run.advance(Math.max(budgetMs, GRID_EVERY_MS), now);
      const t = now();
      if (run.done || t - evaluatedAt >= GRID_EVERY_MS) {
        evaluate();
        evaluatedAt = t;
      }
    },
    snapshot,
    /** Runs to the end (Node, build time). */
    finish(): PlaygroundResult {
      while (!run.done) run.advance(Number.POSITIVE_INFINITY);
      evaluate();
      return snapshot();
    },
  };
}
