import { describeValue } from '@gradlab/plugin-api';
import { initialState, type QuestionState } from './machine.ts';
import { QUESTION_TYPES, type Response } from './types.ts';

export const PROGRESS_FORMAT = 'gradlab/quiz-progress';
export const PROGRESS_VERSION = 1;

/** What is kept per question: small, so hundreds fit under the size cap. */
export interface QuestionRecord {
  /** Best score 0 … 1 (see `QuestionState.best`). */
  readonly best: number;
  readonly attempts: number;
  readonly hints: number;
  readonly revealed: boolean;
  /** The last response, to restore the inputs; the first thing dropped when space runs out. */
  readonly response?: Response;
  /** When it was last saved (ms since 1970), to drop the oldest responses first. */
  readonly at?: number;
}

export interface ProgressData {
  readonly format: typeof PROGRESS_FORMAT;
  readonly version: typeof PROGRESS_VERSION;
  /** page id → question id → record. */
  readonly pages: Readonly<Record<string, Readonly<Record<string, QuestionRecord>>>>;
}

export const emptyProgress = (): ProgressData => ({ format: PROGRESS_FORMAT, version: PROGRESS_VERSION, pages: {} });

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function recordProblems(path: string, r: unknown): string[] {
  if (!isObj(r)) return [`${path} must be an object (received ${describeValue(r)})`];
  const p: string[] = [];
  const num = (k: string, ok: (x: number) => boolean, what: string) => {
    const x = r[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || !ok(x))
      p.push(`${path}.${k} must be ${what} (received ${describeValue(x)})`);
  };
  num('best', (x) => x >= 0 && x <= 1, 'a number from 0 to 1');
  num('attempts', (x) => Number.isInteger(x) && x >= 0, 'a whole number ≥ 0');
  num('hints', (x) => Number.isInteger(x) && x >= 0, 'a whole number ≥ 0');
  if (typeof r.revealed !== 'boolean') p.push(`${path}.revealed must be true or false`);
  if (r.at !== undefined) num('at', (x) => x >= 0, 'a time in ms');
  if (
    r.response !== undefined &&
    !(isObj(r.response) && (QUESTION_TYPES as readonly unknown[]).includes(r.response.type))
  )
    p.push(`${path}.response must be a response object with a question type`);
  for (const k of Object.keys(r))
    if (!['best', 'attempts', 'hints', 'revealed', 'response', 'at'].includes(k))
      p.push(`${path}.${k} is not a progress field`);
  return p;
}

/**
 * Problems of a parsed progress object (empty when valid). `outdated` is set when it is a
 * gradlab progress record of another version, which is set aside rather than called corrupt.
 */
export function validateProgress(json: unknown): { problems: string[]; outdated?: number } {
  if (!isObj(json)) return { problems: [`progress must be an object (received ${describeValue(json)})`] };
  if (json.format !== PROGRESS_FORMAT)
    return { problems: [`format must be "${PROGRESS_FORMAT}" (received ${describeValue(json.format)})`] };
  if (json.version !== PROGRESS_VERSION)
    return {
      problems: [`version ${describeValue(json.version)} is not ${PROGRESS_VERSION}`],
      outdated: Number(json.version),
    };
  if (!isObj(json.pages)) return { problems: ['pages must be an object of page id → questions'] };
  const problems: string[] = [];
  for (const [page, questions] of Object.entries(json.pages)) {
    if (!isObj(questions)) problems.push(`pages.${page} must be an object of question id → record`);
    else for (const [id, r] of Object.entries(questions)) problems.push(...recordProblems(`pages.${page}.${id}`, r));
  }
  for (const k of Object.keys(json))
    if (!['format', 'version', 'pages', 'exportedAt'].includes(k)) problems.push(`${k} is not a progress field`);
  return { problems };
}

/** Reads progress text (from storage or an imported file). */
export function parseProgress(
  text: string,
): { ok: true; data: ProgressData } | { ok: false; problems: string[]; outdated?: number } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problems: ['it is not JSON'] };
  }
  const { problems, outdated } = validateProgress(json);
  if (problems.length) return { ok: false, problems, ...(outdated === undefined ? {} : { outdated }) };
  const { exportedAt: _e, ...data } = json as ProgressData & { exportedAt?: string };
  return { ok: true, data };
}

/** A copy of the page and question maps; records are replaced, never mutated, so they are shared. */
const copyPages = (pages: ProgressData['pages']): Record<string, Record<string, QuestionRecord>> =>
  Object.fromEntries(Object.entries(pages).map(([page, qs]) => [page, { ...qs }]));

/** The per-question best of two progress records (attempts and hints too), for importing on a second device. */
export function mergeProgress(a: ProgressData, b: ProgressData): ProgressData {
  const pages = copyPages(a.pages);
  for (const [page, questions] of Object.entries(b.pages)) {
    const into = (pages[page] ??= {});
    for (const [id, r] of Object.entries(questions)) {
      const old = into[id];
      if (!old) into[id] = r;
      else {
        const newer = (r.at ?? 0) >= (old.at ?? 0) ? r : old;
        into[id] = {
          best: Math.max(old.best, r.best),
          attempts: Math.max(old.attempts, r.attempts),
          hints: Math.max(old.hints, r.hints),
          revealed: old.revealed || r.revealed,
          ...(newer.response ? { response: newer.response } : {}),
          ...(newer.at === undefined ? {} : { at: newer.at }),
        };
      }
    }
  }
  return { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, pages };
}

/** The record to save for a question state. */
export function toRecord(state: QuestionState, at?: number): QuestionRecord {
  return {
    best: state.best,
    attempts: state.attempts,
    hints: state.hintsShown,
    revealed: state.solutionShown,
    ...(state.draft ? { response: state.draft } : {}),
    ...(at === undefined ? {} : { at }),
  };
}

/** The state to start from after a reload: score, attempts, hints and the last inputs (not locked). */
export function fromRecord(record: QuestionRecord | undefined): QuestionState {
  if (!record) return initialState();
  return initialState({
    best: record.best,
    attempts: record.attempts,
    hintsShown: record.hints,
    solutionShown: record.revealed,
    ...(record.response ? { draft: record.response } : {}),
  });
}

/**
 * Drops saved responses, oldest first, until the text fits `maxChars`; `undefined` when even
 * the scores alone do not fit.
 */
export function fitProgress(
  data: ProgressData,
  maxChars: number,
): { data: ProgressData; text: string; dropped: number } | undefined {
  let text = JSON.stringify(data);
  if (text.length <= maxChars) return { data, text, dropped: 0 };
  const pages = copyPages(data.pages);
  const withResponse = Object.entries(pages)
    .flatMap(([page, qs]) =>
      Object.entries(qs).map(([id, r]) => ({ page, id, at: r.at ?? 0, has: r.response !== undefined })),
    )
    .filter((x) => x.has)
    .sort((x, y) => x.at - y.at);
  let dropped = 0;
  for (const { page, id } of withResponse) {
    const { response: _r, ...rest } = pages[page][id];
    pages[page][id] = rest;
    dropped++;
    // Re-serialising after every drop is quadratic, but only runs past the cap, on a few hundred records.
    text = JSON.stringify({ ...data, pages });
    if (text.length <= maxChars) return { data: { ...data, pages }, text, dropped };
  }
  return undefined;
}
