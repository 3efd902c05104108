/**
 * The lab's jobs as pure functions of (registry, setting): the worker runs them for the page, the
 * build runs them for the figures a page shows before (or without) JavaScript, and the browser tests
 * run them in Node to compare bit for bit. Same spec and seed, same bits. The worker loads every job
 * but the probe's lazily (worker-jobs.ts): new job kinds go in modules of their own (`<name>-job.ts`).
 */
import type { Registry } from '@gradlab/core';
import { clipJob } from './clip-job.ts';
import { histogramJob } from './histogram-job.ts';
import { createProbeJobs } from './probe-jobs.ts';
import type { ClipResult, HistogramResult, JobKind, JobResult, SeparateJobKind, Setting } from './protocol.ts';
import { startTraining } from './train-job.ts';
import { trainSpec } from './train-spec.ts';

export { canonicalOptions } from './canonical-options.ts';
export { summarize } from './probe-jobs.ts';

export { startTraining, trainSpec };

/** Jobs bound to one registry (and one probe runner, which may cache across calls). */
export function createJobs(registry: Registry) {
  const probeJobs = createProbeJobs(registry);
  const { probe } = probeJobs;
  /** The probe plus the first step's pre-activation histograms (histogram-job.ts). */
  const histogram = (s: Setting): HistogramResult => histogramJob(registry, probeJobs, s);

  /** The first step's raw gradient under the four clipping rules (clip-job.ts). */
  const clip = (s: Setting): ClipResult => clipJob(registry, s);

  return {
    probe,
    histogram,
    clip,
    train: (s: Setting) => startTraining(registry, s),
  };
}

export type Jobs = ReturnType<typeof createJobs>;

/** One job to completion (training runs to the end): the build and the worker's one-shot jobs (lazy ones: lazy-jobs.ts). */
export function runJob(jobs: Jobs, job: Exclude<JobKind, SeparateJobKind>, s: Setting): JobResult {
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
