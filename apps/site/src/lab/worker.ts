/// <reference lib="webworker" />
/**
 * The lab worker: one registry for its lifetime (it freezes on the first run), the jobs of jobs.ts,
 * and a message loop. Probe and histogram jobs answer in one message; a training run advances in
 * slices of ≤ 40 ms, posts progress after each (so at least every 100 ms) and yields to the event
 * loop between slices, which is when cancel, pause and resume arrive. Errors come back as messages.
 */
import { createJobs, runJob } from './jobs.ts';
import { isLazyJob, LAZY_JOBS } from './lazy-jobs.ts';
import type { LabRequest, LabResponse } from './protocol.ts';
import { createWorkerRegistry } from './registry.ts';

declare const self: DedicatedWorkerGlobalScope;

const registry = createWorkerRegistry();
const jobs = createJobs(registry);
const post = (m: LabResponse) => self.postMessage(m);
const SLICE_MS = 40;

interface Run {
  paused: boolean;
  cancelled: boolean;
  resume?: () => void;
}
const runs = new Map<number, Run>();

const tick = () => new Promise<void>((ok) => setTimeout(ok, 0));

function fail(id: number, err: unknown) {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ type: 'error', id, name: e.name, message: e.message });
}

async function train(id: number, run: Run, setting: LabRequest & { type: 'run' }) {
  const t0 = performance.now();
  const t = jobs.train(setting.setting);
  while (!t.done) {
    t.advance(SLICE_MS);
    post({ type: 'progress', id, result: t.snapshot() });
    await tick();
    if (run.paused) await new Promise<void>((ok) => (run.resume = ok));
    if (run.cancelled) {
      post({ type: 'cancelled', id });
      return;
    }
  }
  post({ type: 'result', id, computeMs: performance.now() - t0, result: t.snapshot() });
}

self.addEventListener('message', (event: MessageEvent<LabRequest>) => {
  const req = event.data;
  if (req.type !== 'run') {
    const run = runs.get(req.id);
    if (!run) return;
    if (req.type === 'cancel') run.cancelled = true;
    run.paused = req.type === 'pause';
    if (req.type !== 'pause') run.resume?.();
    return;
  }
  const t0 = performance.now();
  try {
    if (req.job === 'train') {
      const run: Run = { paused: false, cancelled: false };
      runs.set(req.id, run);
      train(req.id, run, req)
        .catch((err) => fail(req.id, err))
        .finally(() => runs.delete(req.id));
      return;
    }
    if (isLazyJob(req.job)) {
      LAZY_JOBS[req.job]()
        .then((run) =>
          post({ type: 'result', id: req.id, computeMs: performance.now() - t0, result: run(registry, req.setting) }),
        )
        .catch((err) => fail(req.id, err));
      return;
    }
    const result = runJob(jobs, req.job, req.setting);
    post({ type: 'result', id: req.id, computeMs: performance.now() - t0, result });
  } catch (err) {
    fail(req.id, err);
  }
});
