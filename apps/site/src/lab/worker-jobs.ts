/**
 * The worker's jobs, each loaded on first use: a dynamic import per job module, which Vite (module
 * worker, format 'es') emits as its own chunk, so a page downloads the worker entry (engine, registry,
 * probe jobs) and only the other job code its widgets run (`pnpm budget` counts exactly that per page, decision
 * 0043). The job modules are the ones jobs.ts binds for the build and Node, so both paths run the same
 * code. A new JobKind must get a loader here (the mapped type makes a missing one a type error).
 */
import { createProbeJobs } from './probe-jobs.ts';
import type { JobKind, JobResult, PlaygroundResult, Setting, TrainResult } from './protocol.ts';
import { createWorkerRegistry } from './registry.ts';

/** A training run in progress (train-job.ts `startTraining`, playground-job.ts `startPlayground`). */
export interface Training {
  readonly done: boolean;
  advance(budgetMs: number): void;
  snapshot(): TrainResult | PlaygroundResult;
}

export type WorkerJob =
  | { readonly streams: false; run(s: Setting): JobResult }
  | { readonly streams: true; start(s: Setting): Training };

/**
 * One registry for the worker's life, shared by every job (it freezes on the first run). It and the
 * probe job are in the entry chunk: nearly every page runs a probe, and one chunk compresses better
 * than the same code in several (measured: splitting them out cost the probe pages ~2 KB gzip). The
 * histogram job shares the clip job's chunk (clip-histogram-jobs.ts, decision 0012).
 */
const registry = createWorkerRegistry();
let probes: ReturnType<typeof createProbeJobs> | undefined;
const probeJobs = () => (probes ??= createProbeJobs(registry));

/**
 * Loaders by job kind; the keys are read by scripts/sizes.mjs to count each page's worker bytes. The
 * playground runs in its own worker (playground-worker.ts), not here.
 */
export const WORKER_JOBS: { readonly [K in Exclude<JobKind, 'playground'>]: () => Promise<WorkerJob> } = {
  probe: async () => ({ streams: false, run: probeJobs().probe }),
  histogram: async () => {
    const { histogramJob } = await import('./clip-histogram-jobs.ts');
    return { streams: false, run: (s) => histogramJob(registry, probeJobs(), s) };
  },
  clip: async () => {
    const { clipJob } = await import('./clip-histogram-jobs.ts');
    return { streams: false, run: (s) => clipJob(registry, s) };
  },
  train: async () => {
    const { startTraining } = await import('./train-job.ts');
    return { streams: true, start: (s) => startTraining(registry, s) };
  },
  'rnn-time': async () => {
    const { rnnTime } = await import('./rnn-job.ts');
    return { streams: false, run: (s) => rnnTime(registry, s) };
  },
  gradcheck: async () => {
    const { gradcheck } = await import('./debug-jobs.ts');
    return { streams: false, run: (s) => gradcheck(registry, s) };
  },
  sanity: async () => {
    const { sanity } = await import('./sanity-job.ts');
    return { streams: false, run: (s) => sanity(registry, s) };
  },
  doctor: async () => {
    const { doctorJob } = await import('./debug-jobs.ts');
    return { streams: false, run: (s) => doctorJob(registry, s) };
  },
};

const loaded = new Map<JobKind, Promise<WorkerJob>>();
/** The job of `kind`, loading its module on the first request. */
export function loadJob(kind: JobKind): Promise<WorkerJob> {
  let job = loaded.get(kind);
  if (!job) {
    const loader = WORKER_JOBS[kind as Exclude<JobKind, 'playground'>]; // the playground: playground-worker.ts
    if (!loader) return Promise.reject(new TypeError(`lab worker: unknown job "${String(kind)}".`));
    job = loader();
    loaded.set(kind, job);
  }
  return job;
}
