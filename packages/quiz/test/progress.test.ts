import { describe, expect, it } from 'vitest';
import {
  createProgressStore,
  emptyProgress,
  fromRecord,
  initialState,
  mergeProgress,
  PROGRESS_FORMAT,
  type ProgressData,
  parseProgress,
  type StorageLike,
  scorePage,
  scoreSite,
  toRecord,
} from '../src/index.ts';

/** A Map-backed Web Storage, optionally failing like a full or disabled localStorage. */
function memoryStorage(
  init: Record<string, string> = {},
  fail?: 'set' | 'all',
): StorageLike & { map: Map<string, string> } {
  const map = new Map(Object.entries(init));
  const quota = () => {
    throw new DOMException('quota', 'QuotaExceededError');
  };
  return {
    map,
    getItem: (k) => (fail === 'all' ? quota() : (map.get(k) ?? null)),
    setItem: (k, v) => (fail ? quota() : map.set(k, v)) as never,
    removeItem: (k) => (fail === 'all' ? quota() : map.delete(k)) as never,
  };
}

const KEY = 'gradlab:quiz-progress';
const rec = { best: 1, attempts: 2, hints: 1, revealed: false };

describe('progress store', () => {
  it('saves, and a new store on the same storage finds the progress (a reload)', () => {
    const storage = memoryStorage();
    const a = createProgressStore({ storage, now: () => 1000 });
    a.record('saturation', 'max-slope', rec);
    const b = createProgressStore({ storage });
    expect(b.data.pages.saturation['max-slope']).toEqual({ ...rec, at: 1000 });
    expect(b.notices).toEqual([]);
  });

  it('corrupt JSON is set aside with a notice and the page starts fresh', () => {
    const storage = memoryStorage({ [KEY]: '{"format": "gradlab/quiz-prog' });
    const s = createProgressStore({ storage });
    expect(s.data).toEqual(emptyProgress());
    expect(s.notices).toMatchInlineSnapshot(`
      [
        {
          "kind": "corrupt",
          "message": "Your saved quiz progress could not be read (it is not JSON). It was set aside under "gradlab:quiz-progress:set-aside". Your scores start again from here.",
          "setAside": "gradlab:quiz-progress:set-aside",
        },
      ]
    `);
    expect(storage.map.get(`${KEY}:set-aside`)).toBe('{"format": "gradlab/quiz-prog');
    expect(storage.map.has(KEY)).toBe(false);
  });

  it('valid JSON with bad fields is corrupt too (best 7, attempts −1)', () => {
    const bad = {
      format: PROGRESS_FORMAT,
      version: 1,
      pages: { p: { q: { best: 7, attempts: -1, hints: 0, revealed: false } } },
    };
    const s = createProgressStore({ storage: memoryStorage({ [KEY]: JSON.stringify(bad) }) });
    expect(s.notices[0].kind).toBe('corrupt');
    expect(s.notices[0].message).toContain('pages.p.q.best must be a number from 0 to 1 (received 7)');
  });

  it('another version is "outdated", set aside, not called corrupt', () => {
    const old = JSON.stringify({ format: PROGRESS_FORMAT, version: 0, scores: {} });
    const s = createProgressStore({ storage: memoryStorage({ [KEY]: old }) });
    expect(s.notices.map((n) => n.kind)).toEqual(['outdated']);
    expect(s.notices[0].message).toContain('format version 0');
  });

  it('storage that throws (private mode, quota) keeps progress in memory with one notice', () => {
    const s = createProgressStore({ storage: memoryStorage({}, 'all') });
    s.record('p', 'a', rec);
    s.record('p', 'b', rec);
    expect(Object.keys(s.data.pages.p)).toEqual(['a', 'b']);
    expect(s.notices.map((n) => n.kind)).toEqual(['unavailable']);
    expect(s.notices[0].message).toContain('QuotaExceededError');
  });

  it('no storage at all works in memory, silently', () => {
    const s = createProgressStore();
    s.record('p', 'a', rec);
    expect(s.data.pages.p.a.best).toBe(1);
    expect(s.notices).toEqual([]);
  });

  it('size cap: drops saved responses oldest first and keeps scores; refuses when even scores do not fit', () => {
    const storage = memoryStorage();
    let t = 0;
    const s = createProgressStore({ storage, maxChars: 600, now: () => ++t });
    const long = { type: 'numeric' as const, text: 'x'.repeat(150) };
    for (const id of ['a', 'b', 'c', 'd']) s.record('p', id, { ...rec, response: long });
    const saved = JSON.parse(storage.map.get(KEY) as string) as ProgressData;
    expect(storage.map.get(KEY)?.length).toBeLessThanOrEqual(600);
    expect(Object.keys(saved.pages.p)).toEqual(['a', 'b', 'c', 'd']);
    expect(saved.pages.p.a.response).toBeUndefined(); // oldest dropped
    expect(saved.pages.p.d.response).toEqual(long); // newest kept
    expect(s.notices.some((n) => n.kind === 'trimmed')).toBe(true);
    const tiny = createProgressStore({ storage: memoryStorage(), maxChars: 50 });
    tiny.record('p', 'a', rec);
    expect(tiny.notices.map((n) => n.kind)).toEqual(['too-large']);
    expect(tiny.data.pages.p.a.best).toBe(1);
  });

  it('export → import round-trips; import validates and merges by default', () => {
    const a = createProgressStore({ now: () => Date.UTC(2026, 11, 6) });
    a.record('p', 'q1', { best: 0.5, attempts: 1, hints: 0, revealed: false });
    const text = a.exportText();
    expect(JSON.parse(text).exportedAt).toBe('2026-12-06T00:00:00.000Z');
    const b = createProgressStore();
    b.record('p', 'q1', { best: 1, attempts: 3, hints: 2, revealed: false });
    b.record('p', 'q2', rec);
    expect(b.importText(text)).toEqual({ ok: true });
    expect(b.data.pages.p.q1).toMatchObject({ best: 1, attempts: 3, hints: 2 });
    expect(b.importText(text, 'replace')).toEqual({ ok: true });
    expect(Object.keys(b.data.pages.p)).toEqual(['q1']);
    expect(b.importText('{"format":"something-else"}')).toEqual({
      ok: false,
      problems: ['format must be "gradlab/quiz-progress" (received "something-else")'],
    });
    expect(b.importText('not json')).toEqual({ ok: false, problems: ['it is not JSON'] });
  });

  it('clearPage and clearAll', () => {
    const s = createProgressStore();
    s.record('p', 'a', rec);
    s.record('r', 'a', rec);
    s.clearPage('p');
    expect(Object.keys(s.data.pages)).toEqual(['r']);
    s.clearAll();
    expect(s.data).toEqual(emptyProgress());
  });
});

describe('records and states', () => {
  it('toRecord/fromRecord keep best, attempts, hints, solution and the last input, unlocked', () => {
    const state = {
      ...initialState(),
      best: 0.5,
      attempts: 2,
      hintsShown: 1,
      solutionShown: true,
      draft: { type: 'single' as const, choice: 'a' },
    };
    const back = fromRecord(toRecord(state, 5));
    expect(back).toEqual({
      ...initialState(),
      best: 0.5,
      attempts: 2,
      hintsShown: 1,
      solutionShown: true,
      draft: state.draft,
    });
    expect(fromRecord(undefined)).toEqual(initialState());
  });

  it('mergeProgress keeps the max of each count and the newer response', () => {
    const a: ProgressData = {
      ...emptyProgress(),
      pages: { p: { q: { best: 1, attempts: 1, hints: 0, revealed: false, at: 1 } } },
    };
    const b: ProgressData = {
      ...emptyProgress(),
      pages: { p: { q: { best: 0, attempts: 4, hints: 2, revealed: true, at: 2, response: { type: 'goal' } } } },
    };
    expect(mergeProgress(a, b).pages.p.q).toEqual({
      best: 1,
      attempts: 4,
      hints: 2,
      revealed: true,
      at: 2,
      response: { type: 'goal' },
    });
  });

  it('parseProgress names unknown fields', () => {
    const r = parseProgress(JSON.stringify({ ...emptyProgress(), extra: 1 }));
    expect(r).toEqual({ ok: false, problems: ['extra is not a progress field'] });
  });
});

describe('scores', () => {
  const data: ProgressData = {
    ...emptyProgress(),
    pages: {
      sat: {
        a: { best: 1, attempts: 1, hints: 0, revealed: false },
        b: { best: 0.5, attempts: 2, hints: 0, revealed: false },
        gone: rec,
      },
      relu: { x: { best: 0, attempts: 1, hints: 0, revealed: true } },
    },
  };
  it('scorePage: 1·1 + 0.5·2 of 1 + 2 + 1 points; a removed question is ignored', () => {
    expect(scorePage(data, 'sat', [{ id: 'a' }, { id: 'b', points: 2 }, { id: 'c' }])).toEqual({
      page: 'sat',
      earned: 2,
      possible: 4,
      answered: 2,
      total: 3,
      correct: 1,
    });
  });

  it('scoreSite sums the pages', () => {
    const s = scoreSite(data, [
      { page: 'sat', questions: [{ id: 'a' }, { id: 'b', points: 2 }, { id: 'c' }] },
      { page: 'relu', questions: [{ id: 'x' }, { id: 'y' }] },
      { page: 'empty', questions: [{ id: 'z' }] },
    ]);
    expect(s).toMatchObject({ earned: 2, possible: 7, answered: 3, total: 6, correct: 1 });
    expect(s.pages.map((p) => p.page)).toEqual(['sat', 'relu', 'empty']);
  });
});
