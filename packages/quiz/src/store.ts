import {
  emptyProgress,
  fitProgress,
  mergeProgress,
  PROGRESS_FORMAT,
  type ProgressData,
  parseProgress,
  type QuestionRecord,
} from './progress.ts';

/** The part of the Web Storage API the store uses; `localStorage` fits, and so does a Map-backed fake. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Something the learner should be told; the page keeps working either way. */
export interface ProgressNotice {
  readonly kind: 'corrupt' | 'outdated' | 'unavailable' | 'too-large' | 'trimmed';
  readonly message: string;
  /** Where unreadable data was put aside, when it could be. */
  readonly setAside?: string;
}

export interface ProgressStoreOptions {
  /** `localStorage`, or nothing (progress then lasts as long as the page). */
  readonly storage?: StorageLike;
  /** Default `gradlab:quiz-progress`. */
  readonly key?: string;
  /** Size cap of the stored text in characters (default 100,000, well inside every browser's quota). */
  readonly maxChars?: number;
  /** Clock for record times (default `Date.now`). */
  readonly now?: () => number;
}

export interface ProgressStore {
  /** The current progress (valid by construction). */
  readonly data: ProgressData;
  /** Notices since the store was created: corrupt or outdated data set aside, storage unavailable, … */
  readonly notices: readonly ProgressNotice[];
  record(page: string, question: string, record: QuestionRecord): void;
  clearPage(page: string): void;
  clearAll(): void;
  /** The progress as a file's text (pretty JSON with `exportedAt`). */
  exportText(): string;
  /** Reads an exported file; `merge` (default) keeps the best of both, `replace` takes the file's. */
  importText(text: string, mode?: 'merge' | 'replace'): { ok: true } | { ok: false; problems: string[] };
}

/**
 * Progress kept in injected storage: versioned, validated on every read, and size-capped.
 * Corrupt or outdated data is copied to `<key>:set-aside` and replaced by a fresh record, with
 * a notice; storage that throws (private mode, quota) leaves progress in memory, with a notice.
 * Nothing here throws into the page.
 */
export function createProgressStore(options: ProgressStoreOptions = {}): ProgressStore {
  const key = options.key ?? 'gradlab:quiz-progress';
  const aside = `${key}:set-aside`;
  const maxChars = options.maxChars ?? 100_000;
  const now = options.now ?? Date.now;
  const storage = options.storage;
  const notices: ProgressNotice[] = [];
  let warnedUnavailable = false;

  const unavailable = (error: unknown) => {
    if (warnedUnavailable) return;
    warnedUnavailable = true;
    notices.push({
      kind: 'unavailable',
      message: `Progress cannot be saved in this browser (${error instanceof Error ? error.name : 'storage error'}); it is kept until you leave the page. Export it to keep it.`,
    });
  };

  function load(): ProgressData {
    let text: string | null = null;
    try {
      text = storage?.getItem(key) ?? null;
    } catch (error) {
      unavailable(error);
    }
    if (text === null) return emptyProgress();
    const parsed = parseProgress(text);
    if (parsed.ok) return parsed.data;
    let setAside: string | undefined;
    try {
      storage?.setItem(aside, text);
      setAside = aside;
    } catch {
      // No room to keep a copy: the fresh record below still lets the page work.
    }
    const outdated = parsed.outdated !== undefined;
    const kept = setAside ? ` It was set aside under "${aside}".` : '';
    notices.push({
      kind: outdated ? 'outdated' : 'corrupt',
      message: outdated
        ? `Your saved quiz progress is from another version of this site (format version ${parsed.outdated}) and could not be used.${kept} Your scores start again from here.`
        : `Your saved quiz progress could not be read (${parsed.problems.slice(0, 2).join('; ')}).${kept} Your scores start again from here.`,
      ...(setAside ? { setAside } : {}),
    });
    try {
      storage?.removeItem(key);
    } catch (error) {
      unavailable(error);
    }
    return emptyProgress();
  }

  let data = load();

  function save(next: ProgressData): void {
    const fitted = fitProgress(next, maxChars);
    if (!fitted) {
      notices.push({
        kind: 'too-large',
        message: 'Progress is too large to save; the newest scores were kept in memory only.',
      });
      data = next;
      return;
    }
    if (fitted.dropped) {
      notices.push({
        kind: 'trimmed',
        message: `Saved answers of ${fitted.dropped} older questions were dropped to stay under the size cap; scores are kept.`,
      });
    }
    data = fitted.data;
    try {
      storage?.setItem(key, fitted.text);
    } catch (error) {
      unavailable(error);
    }
  }

  return {
    get data() {
      return data;
    },
    get notices() {
      return notices;
    },
    record(page, question, record) {
      const pages = {
        ...data.pages,
        [page]: { ...data.pages[page], [question]: { ...record, at: record.at ?? now() } },
      };
      save({ ...data, pages });
    },
    clearPage(page) {
      const { [page]: _gone, ...pages } = data.pages;
      save({ ...data, pages });
    },
    clearAll() {
      save(emptyProgress());
    },
    exportText() {
      return `${JSON.stringify({ format: PROGRESS_FORMAT, version: data.version, exportedAt: new Date(now()).toISOString(), pages: data.pages }, null, 2)}\n`;
    },
    importText(text, mode = 'merge') {
      const parsed = parseProgress(text);
      if (!parsed.ok) return { ok: false, problems: parsed.problems };
      save(mode === 'replace' ? parsed.data : mergeProgress(data, parsed.data));
      return { ok: true };
    },
  };
}
