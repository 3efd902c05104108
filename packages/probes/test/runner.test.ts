import { describe, expect, it } from 'vitest';
import { type CanonicalOptions, createProbeRunner, type ProbeReport, runProbe } from '../src/index.ts';
import { registry } from './helpers.ts';

/** Every number of a report, path by path, compared with Object.is (so −0 ≠ 0 and NaN = NaN). */
function bitDiffs(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (typeof a === 'number' || typeof b === 'number') {
    if (!Object.is(a, b)) out.push(`${path}: ${String(a)} vs ${String(b)}`);
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) bitDiffs((a as never)[k], (b as never)[k], `${path}.${k}`, out);
  } else if (a !== b) out.push(`${path}: ${String(a)} vs ${String(b)}`);
  return out;
}

const small = { depth: 4, width: 8, batch: 16 } as const;

/**
 * A session in the lab: controls moving one at a time, back and forth, so that every cache is
 * both missed and hit, with the odd options (bias, alpha, training steps, optimizers, checks off,
 * a diverging run) mixed in.
 */
const SEQUENCE: Partial<CanonicalOptions>[] = [
  { ...small, activation: 'tanh', initializer: 'glorot' },
  { ...small, activation: 'tanh', initializer: 'glorot', gain: 1.1 },
  { ...small, activation: 'tanh', initializer: 'glorot', gain: 1.2 },
  { ...small, activation: 'tanh', initializer: 'glorot', gain: 1.1 },
  { ...small, activation: 'relu', initializer: 'glorot', gain: 1.1 },
  { ...small, activation: 'relu', initializer: 'he', gain: 1.1 },
  { ...small, activation: 'relu', initializer: 'he' },
  { ...small, depth: 6, activation: 'relu', initializer: 'he' },
  { ...small, depth: 2, activation: 'relu', initializer: 'he' },
  { ...small, depth: 1, activation: 'sigmoid', initializer: 'glorot' },
  { ...small, seed: 3, activation: 'sigmoid', initializer: 'glorot' },
  { ...small, seed: 3, batch: 5, activation: 'sigmoid', initializer: 'glorot' },
  { ...small, seed: 3, width: 5, activation: 'gelu', initializer: 'lecun' },
  { ...small, activation: 'leaky-relu', initializer: 'he', alpha: 0.2 },
  { ...small, activation: 'elu', initializer: 'he', alpha: 0.5, biasInit: 0.1 },
  { ...small, activation: 'relu', initializer: 'he', biasInit: 0.5 },
  { ...small, activation: 'relu', initializer: 'orthogonal' },
  { ...small, activation: 'relu', initializer: 'identity' },
  { ...small, activation: 'tanh', initializer: 'zeros' },
  { ...small, activation: ['leaky-relu', { alpha: 0.3 }], initializer: ['he', { distribution: 'uniform' }] },
  { ...small, activation: 'relu', initializer: 'he', steps: 3, optimizer: 'adam', lr: 0.01 },
  { ...small, activation: 'relu', initializer: 'he', steps: 3, optimizer: 'momentum', lr: 0.01 },
  { ...small, activation: 'relu', initializer: 'he', steps: 2, optimizer: 'sgd', lr: 0.1, checks: 'off' },
  // Diverges: the loss overflows and the run stops early with a NonFiniteLoss.
  { ...small, depth: 30, activation: 'relu', initializer: 'he', gain: 30, steps: 2, lr: 10 },
  { ...small, activation: 'tanh', initializer: 'glorot', gain: 1.2 },
  { depth: 20, width: 64, batch: 64, activation: 'tanh', initializer: 'glorot' },
  { depth: 20, width: 64, batch: 64, activation: 'tanh', initializer: 'glorot', gain: 1.05 },
  { depth: 20, width: 64, batch: 64, activation: 'relu', initializer: 'he', gain: 1.05 },
];

describe('createProbeRunner', () => {
  it('gives runProbe’s report bit for bit over a session of changing options, caches used', () => {
    const reg = registry();
    const runner = createProbeRunner({ registry: reg });
    const stopped: ProbeReport[] = [];
    for (const options of SEQUENCE) {
      const expected = runProbe(options, { registry: registry() });
      const actual = runner.run(options);
      expect(bitDiffs(actual, expected), JSON.stringify(options)).toEqual([]);
      expect(actual).toStrictEqual(expected);
      if (actual.stopped) stopped.push(actual);
    }
    expect(stopped.length).toBeGreaterThan(0);
    // Both caches were hit, so the comparisons above covered the cached paths too.
    expect(runner.stats.runs).toBe(SEQUENCE.length);
    expect(runner.stats.dataHits).toBeGreaterThan(SEQUENCE.length / 2);
    expect(runner.stats.theoryHits).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('gives the same report when a cached prediction is reused after a caller mutated an earlier report', () => {
    const runner = createProbeRunner({ registry: registry() });
    const options = { ...small, activation: 'tanh', initializer: 'glorot', gain: 1.3 } as const;
    const first = runner.run(options);
    (first.theory.chi as number[]).fill(0);
    (first.theory.q as number[]).length = 0;
    expect(runner.run(options)).toStrictEqual(runProbe(options, { registry: registry() }));
    expect(runner.stats.theoryHits).toBe(1);
  });

  it('throws what runProbe throws for bad options, and keeps working afterwards', () => {
    const runner = createProbeRunner({ registry: registry() });
    const bad: Partial<CanonicalOptions>[] = [
      { ...small, activation: 'rleu' },
      { ...small, width: 0 },
      { ...small, initializer: 'hee' },
      { ...small, optimizer: 'adamm' as never },
      { ...small, batch: 2.5 },
      { ...small, initializer: 'identity', gain: 1.5 },
    ];
    for (const options of bad) {
      let expected: unknown;
      try {
        runProbe(options, { registry: registry() });
      } catch (e) {
        expected = e;
      }
      expect(expected, JSON.stringify(options)).toBeInstanceOf(Error);
      const message = (expected as Error).message.replace(/^runProbe\(\)/, 'createProbeRunner().run()');
      expect(message).not.toBe((expected as Error).message);
      expect(() => runner.run(options)).toThrow(message);
    }
    const ok = { ...small, activation: 'relu', initializer: 'he' } as const;
    expect(runner.run(ok)).toStrictEqual(runProbe(ok, { registry: registry() }));
  });

  it('forgets its least recently used entries past cacheSize, and clear() empties it', () => {
    const runner = createProbeRunner({ registry: registry(), cacheSize: 2 });
    for (const seed of [1, 2, 3, 1]) runner.run({ ...small, seed });
    expect(runner.stats.dataHits).toBe(0); // seed 1 was evicted by seeds 2 and 3
    runner.run({ ...small, seed: 1 });
    expect(runner.stats.dataHits).toBe(1);
    runner.clear();
    runner.run({ ...small, seed: 1 });
    expect(runner.stats.dataHits).toBe(1);
    expect(() => createProbeRunner({ registry: registry(), cacheSize: 0 })).toThrow(/cacheSize/);
  });
});
