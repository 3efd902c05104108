import { withBuffers } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { createBufferPool } from '../src/buffer-pool.ts';
import { createProbeRunner, runProbe } from '../src/index.ts';
import { registry } from './helpers.ts';

describe('createBufferPool', () => {
  it('hands out distinct zeroed buffers within a run and the same ones, by position, in the next run', () => {
    const pool = createBufferPool();
    const first = pool.run(() => [pool.take(4), pool.take(4), pool.take(2), pool.take(4)]);
    expect(new Set(first).size).toBe(4);
    for (const b of first) b.fill(7);
    const second = pool.run(() => [pool.take(4), pool.take(4), pool.take(3), pool.take(4), pool.take(5)]);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(second[2]).not.toBe(first[2]); // another length at that position: a new buffer
    expect(second[3]).toBe(first[3]);
    expect(new Set(second).size).toBe(5);
    for (const b of second) expect([...b].every((v) => v === 0)).toBe(true);
    // A shorter run leaves the rest held for a longer one.
    pool.run(() => pool.take(4));
    const after = pool.run(() => [pool.take(4), pool.take(4)]);
    expect(after[0]).toBe(first[0]);
    expect(after[1]).toBe(first[1]);
  });
});

describe('createProbeRunner with its buffer pool', () => {
  it('takes the engine’s buffers from its own pool and still gives runProbe’s bits, run after run', () => {
    const runner = createProbeRunner({ registry: registry() });
    const base = { depth: 6, width: 16, batch: 8, activation: 'sigmoid', initializer: 'glorot' } as const;
    // An outer lender sees every buffer the engine takes unless the runner lends its own (the pool).
    const outer: number[] = [];
    const lend = (n: number) => {
      outer.push(n);
      return new Float64Array(n);
    };
    for (const gain of [1, 1.3, 0.7]) {
      // A dirty previous run must not leak into this one: compare with a fresh runProbe each time.
      const report = withBuffers(lend, () => runner.run({ ...base, gain }));
      expect(report).toStrictEqual(runProbe({ ...base, gain }, { registry: registry() }));
    }
    expect(outer).toEqual([]);
    withBuffers(lend, () => runProbe(base, { registry: registry() }));
    expect(outer.length).toBeGreaterThan(6 * 4); // runProbe, without a pool, takes them from the lender
  });
});
