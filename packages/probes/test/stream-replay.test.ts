import { createRng } from '@gradlab/core';
import type { Rng } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { createStreamReplay } from '../src/stream-replay.ts';
import { registry } from './helpers.ts';

/** The values a stream gives for a sequence of calls ('n' next, 'z' normal). */
const draw = (rng: Rng, calls: string) => [...calls].map((c) => (c === 'n' ? rng.next() : rng.normal()));
/** The same calls on a fresh, unreplayed stream of that key: the reference. */
const fresh = (key: string, calls: string) => draw(createRng(42).fork(key), calls);
const fresh1 = (key: string, calls: string) => draw(createRng(1).fork(key), calls);
const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('createStreamReplay', () => {
  it('answers a stream of a taped key with the bits of a fresh stream, whatever calls follow', () => {
    const replay = createStreamReplay();
    const key = 'init/dense_0.W';
    // Records, then replays in full, a prefix, longer (past the tape's end), and another method midway;
    // normals come in Box–Muller pairs, so the spare's state must be replayed too.
    for (const calls of [
      'nnnnnzzn',
      'nnnnnzzn',
      'nnn',
      'nnnnnzznnnzzzn',
      'nnnnz',
      'nnnnnzzzzzn',
      'zzznn',
      'nnnnnzzzzzn',
    ]) {
      expect(same(draw(replay.rng(createRng(42).fork(key)), calls), fresh(key, calls))).toBe(true);
    }
    // Another key has its own tape; a stream without a key is passed through.
    expect(same(draw(replay.rng(createRng(42).fork('other')), 'nnz'), fresh('other', 'nnz'))).toBe(true);
    const keyless: Rng = { next: () => 0.5, normal: () => 0, fork: () => keyless };
    expect(replay.rng(keyless)).toBe(keyless);
  });

  it('answers from the tape without drawing from the real stream while the calls match', () => {
    const replay = createStreamReplay();
    const counting = () => {
      const real = createRng(7).fork('w');
      let drawn = 0;
      const rng = Object.assign(Object.create(real) as Rng, {
        key: 'w',
        next: () => {
          drawn++;
          return real.next();
        },
        normal: () => {
          drawn++;
          return real.normal();
        },
      });
      return { rng, drawn: () => drawn };
    };
    const a = counting();
    const first = draw(replay.rng(a.rng), 'nnzn');
    expect(a.drawn()).toBe(4);
    const b = counting();
    expect(same(draw(replay.rng(b.rng), 'nnzn'), first)).toBe(true);
    expect(b.drawn()).toBe(0);
    // Past the tape: the real stream catches up on the 4 taped calls, then draws the 2 new ones.
    const c = counting();
    expect(same(draw(replay.rng(c.rng), 'nnznnz'), draw(createRng(7).fork('w'), 'nnznnz'))).toBe(true);
    expect(c.drawn()).toBe(6);
  });

  it('drops the least recently used tapes past its size, keeping the newest', () => {
    const replay = createStreamReplay(10);
    for (const key of ['a', 'b']) draw(replay.rng(createRng(1).fork(key)), 'nnnnnn');
    const reg = replay.registry(registry(), (n) => new Float64Array(n));
    // Glorot-uniform on 2 × 2 takes 4 uniforms on tape 'c', then trims: 6 + 6 + 4 > 10 drops 'a' only.
    reg
      .resolve('initializer', 'glorot')
      .init({ shape: [2, 2], fanIn: 2, fanOut: 2, role: 'weight', rng: createRng(1).fork('c') });
    const drawnFrom = (key: string) => {
      const real = createRng(1).fork(key);
      let drawn = 0;
      const counted = Object.assign(Object.create(real) as Rng, {
        next: () => {
          drawn++;
          return real.next();
        },
      });
      expect(same(draw(replay.rng(counted), 'nn'), fresh1(key, 'nn'))).toBe(true);
      return drawn;
    };
    expect(drawnFrom('b')).toBe(0);
    expect(drawnFrom('a')).toBe(2);
  });

  it('lends the initializer the given buffer and gives the values of the plain initializer', () => {
    const replay = createStreamReplay();
    const lent = new Float64Array(12);
    const reg = replay.registry(registry(), (n) => (n === 12 ? lent : new Float64Array(n)));
    const ctx = { shape: [3, 4] as const, fanIn: 3, fanOut: 4, role: 'weight' as const };
    for (const ref of ['glorot', ['he', { gain: 1.3 }], ['lecun', { distribution: 'normal' }]]) {
      const got = reg.resolve('initializer', ref).init({ ...ctx, rng: createRng(5).fork('init/w') });
      const want = registry()
        .resolve('initializer', ref)
        .init({ ...ctx, rng: createRng(5).fork('init/w') });
      expect(got).toBe(lent);
      expect(same([...got], [...want])).toBe(true);
    }
  });
});
