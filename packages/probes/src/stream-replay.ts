/**
 * Replays the initializers' random draws across runs of the probe runner (decision 0013). A seeded
 * stream's numbers depend only on its key ("42/init/dense_3.W") and on the sequence of calls made on
 * it, not on the setting: a gain, activation or initializer change redraws the very same uniforms or
 * normals. So each stream's calls are taped (which method, which value) and the next run's stream with
 * that key answers from the tape while its calls match, which gives the same bits without the work of
 * drawing (82k uniforms for 20 × 64 weights, ~3 ms in Chromium).
 *
 * Exact by construction: on the first call that leaves the tape (another method, or past its end) the
 * real stream (the initializer's fresh fork) is advanced by the tape's calls before that point, so its
 * state is what it would have been, and it answers from there on (taped for the next run). `fork` is the
 * real stream's: children derive from the key, not the state.
 *
 * The same wrapper lends the initializer the pool's buffer for its weights (`InitContext.buffer`).
 */
import type { Registry } from '@gradlab/core';
import type { InitContext, Rng } from '@gradlab/plugin-api';

/** One stream's calls: `methods[i]` is 0 for next(), 1 for normal(); `values[i]` what it returned. */
interface Tape {
  methods: number[];
  values: number[];
}

export interface StreamReplay {
  /** A registry whose initializers draw through {@link StreamReplay.rng} and take their array from `buffer`. */
  registry(base: Registry, buffer: (length: number) => Float64Array): Registry;
  /** `real` (a fresh stream) with its calls answered from, and recorded on, the tape of its key. */
  rng(real: Rng): Rng;
  /** Forget every tape. */
  clear(): void;
}

/**
 * Tapes kept by key, the least recently used dropped first once they hold more than `maxValues`
 * numbers together (a tape of 20 × 64 × 64 weights holds 82k).
 */
export function createStreamReplay(maxValues = 1 << 21): StreamReplay {
  const tapes = new Map<string, Tape>();
  function tapeFor(key: string): Tape {
    const tape = tapes.get(key) ?? { methods: [], values: [] };
    tapes.delete(key); // re-inserted: the most recently used last
    tapes.set(key, tape);
    return tape;
  }
  /** After a stream is done: drop the least recently used tapes past `maxValues` (never the newest). */
  function trim() {
    let held = 0;
    for (const t of tapes.values()) held += t.values.length;
    for (const [key, t] of tapes) {
      if (held <= maxValues || tapes.size === 1) break;
      tapes.delete(key);
      held -= t.values.length;
    }
  }

  function rng(real: Rng): Rng {
    const key = (real as { key?: unknown }).key;
    if (typeof key !== 'string') return real;
    return new TapedRng(real, tapeFor(key));
  }

  return {
    rng,
    clear: () => tapes.clear(),
    registry(base, buffer) {
      const resolve: Registry['resolve'] = (kind, ref, path) => {
        const plugin = base.resolve(kind, ref, path);
        if (kind !== 'initializer') return plugin;
        const init = plugin as ReturnType<Registry['resolve']> & { init(ctx: InitContext): Float64Array };
        return {
          ...init,
          init: (ctx: InitContext) => {
            try {
              return init.init({ ...ctx, rng: rng(ctx.rng), buffer });
            } finally {
              trim();
            }
          },
        } as typeof plugin;
      };
      // A view of `base` (its closures keep their state, `frozen` included) that resolves initializers wrapped.
      return Object.assign(Object.create(base) as Registry, { resolve });
    },
  };
}

/**
 * A stream answered from its tape while the calls match, then from `real`. A class, not closures made per
 * stream: its methods are the same functions for every stream and run, so an initializer's per-weight
 * `rng.normal()` stays one call target the optimizer inlines. Closures made afresh each run were a new
 * target every time: not inlined, each returned double became a heap number (~2.6 MB of garbage per run of
 * the canonical 20 × 64 probe, in Node's allocation sampling).
 */
class TapedRng implements Rng {
  #at = 0; // calls made so far
  #live = false; // true once `real` answers (it has been advanced to `at`)
  readonly #real: Rng;
  readonly #methods: number[]; // the tape's arrays, mutated in place, never replaced
  readonly #values: number[];

  constructor(real: Rng, tape: Tape) {
    this.#real = real;
    this.#methods = tape.methods;
    this.#values = tape.values;
  }

  next(): number {
    return this.#call(0);
  }

  normal(): number {
    return this.#call(1);
  }

  /** Call `method` (0 next, 1 normal): from the tape while it holds that call here, else from `real`. */
  #call(method: number): number {
    const at = this.#at;
    if (!this.#live && at < this.#methods.length && this.#methods[at] === method) {
      this.#at = at + 1;
      return this.#values[at];
    }
    return this.#record(method);
  }

  fork(label: string): Rng {
    return this.#real.fork(label);
  }

  /** Leaves the tape at call `at` (another method, or past its end) and answers from the real stream. */
  #record(method: number): number {
    const real = this.#real;
    if (!this.#live) {
      // Bring the real stream to this point, drop the tape's rest, record from here.
      for (let i = 0; i < this.#at; i++) void (this.#methods[i] === 0 ? real.next() : real.normal());
      this.#methods.length = this.#at;
      this.#values.length = this.#at;
      this.#live = true;
    }
    const v = method === 0 ? real.next() : real.normal();
    this.#methods.push(method);
    this.#values.push(v);
    this.#at++;
    return v;
  }
}
