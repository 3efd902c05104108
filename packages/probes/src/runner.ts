/**
 * A probe runner for interactive use: the site's lab asks for a new report every time a control
 * moves. It returns exactly what {@link runProbe} returns for the same options (bit for bit; the
 * tests compare them over many option combinations), but keeps what the next request can reuse:
 *
 * - the data set, per (seed, width, batch): x ~ N(0, I) and y ~ N(0, 1) do not depend on the
 *   network, so changing depth, activation, initializer or gain skips generating them;
 * - the mean-field prediction, per setting it depends on (activation, initializer, width, gain,
 *   bias, depth): moving a slider back to a value it had costs no quadrature.
 *
 * - the engine's working buffers (gradients, activations, the trainer's copies; buffer-pool.ts) and
 *   the initializers' weight arrays: each run reuses the memory of the one before instead of
 *   allocating megabytes, which in Chromium cost more than the arithmetic (decisions 0012, 0013);
 * - the initializers' random draws, per stream key (stream-replay.ts): a gain or activation change
 *   redraws the same numbers, so they are replayed from a tape, the same bits (decision 0013).
 *
 * Everything else (weights from those draws, the step, the probes) is computed afresh, through the engine, so the
 * runner gets faster with it. Caches are bounded (least recently used entries go first) and live as
 * long as the runner. It uses no Node API, so it runs in a browser worker.
 */
import type { Dataset, Registry } from '@gradlab/core';
import { createBufferPool } from './buffer-pool.ts';
import {
  type CanonicalOptions,
  canonicalSetup,
  type MeanFieldPrediction,
  meanFieldKey,
  meanFieldPrediction,
  measure,
  startSession,
} from './canonical.ts';
import { standardRegistry } from './canonical-options.ts';
import type { ProbeReport } from './report.ts';
import { createStreamReplay } from './stream-replay.ts';

export interface ProbeRunnerOptions {
  /** Default: core's built-ins and the standard preset, like runProbe. */
  readonly registry?: Registry;
  /** Entries per cache (data sets, mean-field predictions). Default 64. */
  readonly cacheSize?: number;
}

export interface ProbeRunnerStats {
  readonly runs: number;
  readonly dataHits: number;
  readonly theoryHits: number;
}

export interface ProbeRunner {
  /** The report {@link runProbe} gives for these options; it throws the same errors (named `createProbeRunner().run`). */
  run(options: Partial<CanonicalOptions>): ProbeReport;
  /** How often the caches were used, for tests and benchmarks. */
  readonly stats: ProbeRunnerStats;
  /** Forget every cached data set, prediction and taped random stream. */
  clear(): void;
}

/** A map that forgets its least recently used entry past `size` entries (a closure: it minifies smaller in the worker). */
function lru<V>(size: number) {
  const map = new Map<string, V>();
  return {
    get(key: string): V | undefined {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key: string, value: V): void {
      map.delete(key);
      map.set(key, value);
      if (map.size > size) map.delete(map.keys().next().value as string);
    },
    clear: () => map.clear(),
  };
}

/**
 * ```ts
 * const runner = createProbeRunner({ registry });
 * runner.run({ activation: 'tanh', initializer: 'glorot', depth: 20, gain: 1.1 }); // same as runProbe
 * ```
 */
export function createProbeRunner(options: ProbeRunnerOptions = {}): ProbeRunner {
  const registry = options.registry ?? standardRegistry();
  const cacheSize = options.cacheSize ?? 64;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) {
    throw new TypeError(`createProbeRunner: cacheSize must be a whole number ≥ 1 (received ${cacheSize}).`);
  }
  const data = lru<Dataset>(cacheSize);
  const theory = lru<MeanFieldPrediction>(cacheSize);
  const buffers = createBufferPool();
  const streams = createStreamReplay();
  // The session's registry: initializers draw through the tapes and fill pool buffers (the model's
  // weights live only inside `buffers.run`, like every other pool buffer).
  const sessionRegistry = streams.registry(registry, buffers.take);
  const stats = { runs: 0, dataHits: 0, theoryHits: 0 };

  return {
    stats,
    clear() {
      data.clear();
      theory.clear();
      streams.clear();
    },
    run(runOptions) {
      const setup = canonicalSetup('createProbeRunner().run', runOptions, registry);
      const o = setup.options;
      const dataKey = JSON.stringify([o.seed, o.width, o.batch]);
      const cached = data.get(dataKey);
      // On a miss the session validates the spec's data ref and generates the data from the
      // seed's own stream; with testFraction 0 its training rows are that data set, unchanged.
      // The session lives only inside the pool's run (the report holds plain numbers); its training rows
      // are copied by the engine's split, not pool buffers, so the data cache never points into the pool.
      const report = buffers.run(() => {
        const { session, probes } = startSession(setup, sessionRegistry, cached);
        if (cached) stats.dataHits++;
        else data.set(dataKey, session.trainData);
        return measure(setup, session, probes, () => {
          const key = meanFieldKey(o);
          let prediction = theory.get(key);
          if (prediction) stats.theoryHits++;
          else {
            prediction = meanFieldPrediction(setup, registry);
            theory.set(key, prediction);
          }
          return prediction;
        });
      });
      stats.runs++;
      return report;
    },
  };
}
