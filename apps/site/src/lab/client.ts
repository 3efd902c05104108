/**
 * The page side of the lab: one module worker per page shared by every widget, with
 * latest-request-wins per widget (one request in flight plus the newest pending one; stale results
 * are never drawn), errors as values, and training runs that can be paused and cancelled.
 */
import type {
  JobKind,
  JobResult,
  LabRequest,
  LabResponse,
  PlaygroundResult,
  Setting,
  TrainResult,
} from './protocol.ts';

export type Outcome =
  | { readonly status: 'ok'; readonly id: number; readonly computeMs: number; readonly result: JobResult }
  | { readonly status: 'error'; readonly id: number; readonly name: string; readonly message: string }
  | { readonly status: 'superseded'; readonly id: number }
  | { readonly status: 'cancelled'; readonly id: number };

interface Waiter {
  resolve(o: Outcome): void;
  onProgress?: (r: TrainResult | PlaygroundResult) => void;
}

interface Queued {
  id: number;
  job: JobKind;
  setting: Setting;
  waiter: Waiter;
}

export interface TrainingHandle {
  readonly id: number;
  readonly done: Promise<Outcome>;
  cancel(): void;
  pause(): void;
  resume(): void;
}

export class LabClient {
  readonly #worker: Worker;
  #seq = 0;
  readonly #waiting = new Map<number, Waiter>();
  /** Per widget key: the id in flight and the newest request waiting behind it. */
  readonly #inFlight = new Map<string, number>();
  readonly #pending = new Map<string, Queued>();

  constructor(worker?: Worker) {
    this.#worker =
      worker ?? new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'gradlab-lab' });
    this.#worker.addEventListener('message', (e: MessageEvent<LabResponse>) => this.#onMessage(e.data));
    this.#worker.addEventListener('error', (e) => {
      for (const [id, w] of this.#waiting) w.resolve({ status: 'error', id, name: 'WorkerError', message: e.message });
      this.#waiting.clear();
    });
  }

  /** The next request id; callers mark performance entries with it before calling {@link run}. */
  nextId(): number {
    return this.#seq + 1;
  }

  /** Runs a probe or histogram job for `key`; resolves 'superseded' when a newer request for `key` replaced it. */
  run(key: string, job: Exclude<JobKind, 'train' | 'playground'>, setting: Setting): Promise<Outcome> {
    const id = ++this.#seq;
    return new Promise<Outcome>((resolve) => {
      const q: Queued = { id, job, setting, waiter: { resolve } };
      if (this.#inFlight.has(key)) {
        this.#pending.get(key)?.waiter.resolve({ status: 'superseded', id: this.#pending.get(key)!.id });
        this.#pending.set(key, q);
      } else this.#post(key, q);
    });
  }

  /** Starts a streaming job (`train`, or `playground`, which trains too); progress arrives in `onProgress`. */
  train(
    setting: Setting,
    onProgress: (r: TrainResult | PlaygroundResult) => void,
    job: 'train' | 'playground' = 'train',
  ): TrainingHandle {
    const id = ++this.#seq;
    const done = new Promise<Outcome>((resolve) => this.#waiting.set(id, { resolve, onProgress }));
    this.#send({ type: 'run', id, job, setting });
    return {
      id,
      done,
      cancel: () => this.#send({ type: 'cancel', id }),
      pause: () => this.#send({ type: 'pause', id }),
      resume: () => this.#send({ type: 'resume', id }),
    };
  }

  #send(m: LabRequest) {
    this.#worker.postMessage(m);
  }

  #post(key: string, q: Queued) {
    this.#inFlight.set(key, q.id);
    this.#waiting.set(q.id, {
      onProgress: undefined,
      resolve: (o) => {
        this.#inFlight.delete(key);
        const next = this.#pending.get(key);
        if (next) {
          // A newer request arrived while this one ran: skip the stale numbers, run the newest.
          this.#pending.delete(key);
          q.waiter.resolve({ status: 'superseded', id: q.id });
          this.#post(key, next);
        } else q.waiter.resolve(o);
      },
    });
    this.#send({ type: 'run', id: q.id, job: q.job, setting: q.setting });
  }

  #onMessage(m: LabResponse) {
    const w = this.#waiting.get(m.id);
    if (!w) return;
    if (m.type === 'progress') {
      w.onProgress?.(m.result);
      return;
    }
    this.#waiting.delete(m.id);
    if (m.type === 'result') w.resolve({ status: 'ok', id: m.id, computeMs: m.computeMs, result: m.result });
    else if (m.type === 'error') w.resolve({ status: 'error', id: m.id, name: m.name, message: m.message });
    else w.resolve({ status: 'cancelled', id: m.id });
  }
}

let shared: LabClient | undefined;
/** The page's one client (and worker), created on first use. */
export const labClient = (): LabClient => (shared ??= new LabClient());

let playground: LabClient | undefined;
/** The playground's client, over its own lighter worker (playground-worker.ts), created on first use. */
export const playgroundClient = (): LabClient =>
  (playground ??= new LabClient(
    new Worker(new URL('./playground-worker.ts', import.meta.url), { type: 'module', name: 'gradlab-playground' }),
  ));
