/// <reference lib="webworker" />
/**
 * The lab worker: the message loop of worker-loop.ts over the jobs of worker-jobs.ts, each loaded on its
 * first request (one registry for the worker's lifetime, frozen on the first run). The playground has a
 * worker of its own (playground-worker.ts, decision 0046).
 */
import { loadJob } from './worker-jobs.ts';
import { serve } from './worker-loop.ts';

serve(loadJob);
