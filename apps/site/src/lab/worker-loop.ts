/// <reference lib="webworker" />
/**
 * The message loop of a lab worker (worker.ts, playground-worker.ts) over the jobs its loader gives:
 * probe-like jobs answer in one message; a training run advances in slices of 25 ms of steps, posts
 * progress after each and yields to the event loop between slices, which is when cancel, pause and
 * resume arrive. 25 ms, not 40: a slice ends after the step that crosses the budget, and with 40 ms the
 * gap between progress messages reached 120 ms on a busy machine (target ≤ 100 ms, decision 0044).
 * Errors, including a failed chunk load, come back as messages.
 */
import type { JobKind, LabRequest, LabResponse } from './protocol.ts';
import type { Training, WorkerJob } from './worker-jobs.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: LabResponse) => self.postMessage(m);
const SLICE_MS = 25;

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

async function train(id: number, run: Run, start: () => Training) {
  const t0 = performance.now();
  const t = start();
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

async function handle(loadJob: (kind: JobKind) => Promise<WorkerJob>, req: LabRequest & { type: 'run' }) {
  // Registered before the job's module loads, so a cancel or pause sent meanwhile is not lost.
  const run: Run = { paused: false, cancelled: false };
  runs.set(req.id, run);
  try {
    const job = await loadJob(req.job);
    if (job.streams) {
      await train(req.id, run, () => job.start(req.setting));
      return;
    }
    const t0 = performance.now();
    const result = job.run(req.setting);
    post({ type: 'result', id: req.id, computeMs: performance.now() - t0, result });
  } catch (err) {
    fail(req.id, err);
  } finally {
    runs.delete(req.id);
  }
}

/** Answers the page's requests with the jobs `loadJob` gives (the lab worker's, or the playground's own). */
export function serve(loadJob: (kind: JobKind) => Promise<WorkerJob>): void {
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
    void handle(loadJob, req);
  });
}
