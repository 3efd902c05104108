/**
 * Part-2 jobs the worker loads on first use. Each is a dynamic import, so Vite emits it as its own
 * chunk and the worker's first load (its 50 KB gzip budget) does not grow with every page's job. The
 * build (build.ts) and the Node side of the tests import the same modules statically: same code, same
 * bits. A new job kind goes here (and in `LazyJobKind`, protocol.ts) instead of jobs.ts's `runJob`.
 */
import type { Registry } from '@gradlab/core';
import type { JobResult, LazyJobKind, Setting } from './protocol.ts';

export type JobFn = (registry: Registry, s: Setting) => JobResult;

export const LAZY_JOBS: Readonly<Record<LazyJobKind, () => Promise<JobFn>>> = {
  'rnn-time': () => import('./rnn-job.ts').then((m) => m.rnnTime),
};

export const isLazyJob = (job: string): job is LazyJobKind => Object.hasOwn(LAZY_JOBS, job);
