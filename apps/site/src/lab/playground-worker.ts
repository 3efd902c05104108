/// <reference lib="webworker" />
/**
 * The playground's own worker (decision 0046): the engine, the plugins the playground offers, the
 * standard probes and the training job, without the canonical probe runner and its mean-field theory
 * that the lab worker's entry holds for every other page. That entry alone (about 46 KB gzip) plus the
 * training and playground code passed the 50 KB a page may load; this worker is about ten KB lighter.
 * The same job modules as in Node and the build, so the same bits.
 */
import { startPlayground } from './playground-job.ts';
import type { JobKind } from './protocol.ts';
import { createWorkerRegistry } from './registry.ts';
import type { WorkerJob } from './worker-jobs.ts';
import { serve } from './worker-loop.ts';

const registry = createWorkerRegistry();
const playground: WorkerJob = { streams: true, start: (s) => startPlayground(registry, s) };

serve((kind: JobKind) =>
  kind === 'playground'
    ? Promise.resolve(playground)
    : Promise.reject(new TypeError(`playground worker: it runs the playground only, not "${kind}".`)),
);
