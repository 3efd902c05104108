/**
 * The lab's jobs as pure functions of (registry, setting): the worker runs them for the page, the
 * build runs them for the figures a page shows before (or without) JavaScript, and the browser tests
 * run them in Node to compare bit for bit. Same spec and seed, same bits.
 */
import { createSession, type ExperimentSpec, norm2, type Registry } from '@gradlab/core';
import type { LayerTrace, Probe, StepTrace } from '@gradlab/plugin-api';
import { canonicalSpec, type ProbeReport } from '@gradlab/probes';
import { canonicalOptions } from './canonical-options.ts';
import { clipJob } from './clip-job.ts';
import { createRunner } from './probe-runner.ts';
import { createTrainExtras } from './train-extras.ts';
import type {
  ClipResult,
  HistogramResult,
  JobKind,
  JobResult,
  Num,
  ProbeResult,
  Setting,
  TrainResult,
} from './protocol.ts';
import { trainSpec } from './train-spec.ts';

const num = (v: number | null | undefined): Num => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** Mean-field ‖δ_l‖ walked down from the last hidden layer with √χ(q_l) (report.theory.chi). */
function prediction(report: ProbeReport): Num[] | null {
  const chi = report.theory.applicable ? report.theory.chi : undefined;
  if (!chi) return null;
  const last = report.ratios.last;
  const out: Num[] = report.deltaNorm.map(() => null);
  let v = num(report.deltaNorm[last]);
  out[last] = v;
  for (let l = last - 1; l >= 0; l--) {
    const c = chi[l];
    v = v !== null && c !== null && c !== undefined ? num(v * Math.sqrt(c)) : null;
    out[l] = v;
  }
  return out;
}

export function summarize(report: ProbeReport, spec: ExperimentSpec): ProbeResult {
  return {
    kind: 'probe',
    deltaNorm: report.deltaNorm.map(num),
    gradNorm: report.gradNorm.map(num),
    predicted: prediction(report),
    ratio: num(report.ratios.deltaFirstLast),
    predictedRatio: num(report.theory.predicted?.deltaFirstLast),
    gradRatio: num(report.ratios.gradFirstLast),
    saturation: report.layers.map((l) => num(l.saturation)),
    dead: report.layers.map((l) => num(l.dead)),
    preactivationStd: report.layers.map((l) => num(l.preactivationStd)),
    findings: report.findings.map((f) => f.code),
    spec,
  };
}

export { canonicalOptions } from './canonical-options.ts';
export { trainSpec };

/** Jobs bound to one registry (and one probe runner, which may cache across calls). */
export function createJobs(registry: Registry) {
  const runner = createRunner(registry);

  function probe(s: Setting): ProbeResult {
    const options = canonicalOptions(s);
    return summarize(runner.run(options), canonicalSpec(options, { registry }));
  }

  /** The probe plus a histogram of every hidden layer's pre-activations z at initialization. */
  function histogram(s: Setting): HistogramResult {
    const base = probe(s);
    const options = canonicalOptions(s);
    const spec = canonicalSpec({ ...options, steps: 0 }, { registry });
    const bins = typeof s.bins === 'number' ? s.bins : 48;
    const lo = -(typeof s.range === 'number' ? s.range : 6);
    const hi = -lo;
    const counts: number[][] = [];
    const depth = options.depth ?? 10;
    const capture: Probe = {
      id: 'site-z-histogram',
      options: {},
      onStep(trace: StepTrace) {
        if (counts.length) return;
        for (const layer of trace.layers.slice(0, depth)) {
          const c = new Array<number>(bins).fill(0);
          const scale = bins / (hi - lo);
          for (const z of layer.z) {
            if (z >= lo && z < hi) c[Math.floor((z - lo) * scale)]++;
          }
          counts.push(c);
        }
      },
      report: () => null,
    };
    createSession(spec, { registry, probes: [capture] }).step();
    const act = registry.resolve('activation', options.activation ?? 'relu', 'activation');
    const derivative = Array.from({ length: bins }, (_, i) => {
      const x = lo + ((i + 0.5) * (hi - lo)) / bins;
      return act.derivative(x, act.forward(x));
    });
    return { ...base, kind: 'histogram', hist: { lo, hi, counts }, derivative };
  }

  /** The first step's raw gradient under the four clipping rules (clip-job.ts). */
  const clip = (s: Setting): ClipResult => clipJob(registry, s);

  return { probe, histogram, clip, train: (s: Setting) => startTraining(registry, s) };
}

export type Jobs = ReturnType<typeof createJobs>;

const sqrtSum = (a: Float64Array) => Math.sqrt(norm2(a));

/** A training run that advances in slices, so the worker can stream progress and honour cancel/pause. */
export function startTraining(registry: Registry, s: Setting) {
  const spec = trainSpec(registry, s);
  const rec = {
    loss: [] as Num[],
    deltaFirst: [] as Num[],
    deltaLast: [] as Num[],
    dead: [] as Num[],
    updateRatio: [] as Num[],
  };
  let hidden: LayerTrace[] = [];
  const capture: Probe = {
    id: 'site-train-trace',
    options: {},
    needs: ['updates'],
    onStep(trace: StepTrace) {
      const all = trace.layers.slice(0, -1);
      // With batch norm the activation sits on the batchnorm layers (the dense ones are linear).
      hidden = all.some((l) => l.type === 'batchnorm') ? all.filter((l) => l.type === 'batchnorm') : all;
      rec.loss.push(num(trace.loss));
      rec.deltaFirst.push(num(sqrtSum(hidden[0].delta)));
      rec.deltaLast.push(num(sqrtSum(hidden[hidden.length - 1].delta)));
      let dead = 0;
      let units = 0;
      for (const l of hidden) {
        units += l.units;
        for (let u = 0; u < l.units; u++) {
          let zero = true;
          for (let r = 0; r < l.rows && zero; r++) zero = l.dadz[r * l.units + u] === 0;
          if (zero) dead++;
        }
      }
      rec.dead.push(dead / units);
      const first = trace.layers[0];
      rec.updateRatio.push(first.updateW ? num(sqrtSum(first.updateW) / sqrtSum(first.W)) : null);
      extras.onStep(trace);
    },
    report: () => null,
  };
  const session = createSession(spec, { registry, probes: [capture] });
  const extras = createTrainExtras(session.model.params);
  let stopped: TrainResult['stopped'] = null;
  const snapshot = (): TrainResult => ({
    kind: 'train',
    loss: rec.loss.slice(),
    deltaFirst: rec.deltaFirst.slice(),
    deltaLast: rec.deltaLast.slice(),
    dead: rec.dead.slice(),
    updateRatio: rec.updateRatio.slice(),
    ...extras.snapshot(),
    totalSteps: session.totalSteps,
    stopped,
    findings: session.findings.map((f) => f.code),
    spec,
  });
  return {
    get done() {
      return stopped !== null || session.stepCount >= session.totalSteps;
    },
    /** Steps until `budgetMs` has passed (at least one), the end, or a stop. */
    advance(budgetMs: number, now: () => number = () => performance.now()): void {
      const t0 = now();
      do {
        extras.beforeStep(session);
        const r = session.step();
        if (r.stopped) stopped = { step: r.stopped.step, message: r.stopped.message };
      } while (!this.done && now() - t0 < budgetMs);
    },
    snapshot,
    /** Runs to the end (Node, build time). */
    finish(): TrainResult {
      while (!this.done) this.advance(Number.POSITIVE_INFINITY);
      return snapshot();
    },
  };
}

/** One job to completion (training runs to the end): the build and the worker's one-shot jobs. */
export function runJob(jobs: Jobs, job: JobKind, s: Setting): JobResult {
  switch (job) {
    case 'train':
      return jobs.train(s).finish();
    case 'histogram':
      return jobs.histogram(s);
    case 'clip':
      return jobs.clip(s);
    case 'probe':
      return jobs.probe(s);
  }
}
