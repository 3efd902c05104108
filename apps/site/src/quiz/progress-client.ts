/**
 * The browser's one progress store (per page load), over localStorage when the browser allows it.
 * Merely reading `window.localStorage` throws in some privacy modes; then the store runs in memory and
 * says so. The learner's variant seed lives next to it.
 */
import { createProgressStore, type ProgressStore, type StorageLike } from '@gradlab/quiz';

export const PROGRESS_KEY = 'gradlab:quiz-progress';
const SEED_KEY = 'gradlab:quiz-seed';

function storage(): StorageLike | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

let store: ProgressStore | undefined;
export function progressStore(): ProgressStore {
  if (!store) {
    const s = storage();
    store = createProgressStore({ storage: s, key: PROGRESS_KEY });
    if (!s)
      (store.notices as { kind: string; message: string }[]).push({
        kind: 'unavailable',
        message:
          'This browser does not let the site store anything; progress lasts until you leave the page. Export it to keep it.',
      });
  }
  return store;
}

/**
 * The learner's variant seed: `?quiz-seed=N` in the URL (a teacher's link), else a random seed kept
 * in storage, else 0. The same seed gives the same variant of every question.
 */
export function variantSeed(): number {
  const fromUrl = new URLSearchParams(location.search).get('quiz-seed');
  if (fromUrl !== null && /^\d{1,9}$/.test(fromUrl)) return Number(fromUrl);
  const s = storage();
  try {
    const kept = s?.getItem(SEED_KEY);
    if (kept && /^\d{1,9}$/.test(kept)) return Number(kept);
    const seed = crypto.getRandomValues(new Uint32Array(1))[0] % 1_000_000_000;
    s?.setItem(SEED_KEY, String(seed));
    return seed;
  } catch {
    return 0;
  }
}

/** Tell every score display on the page that progress changed. */
export const announceChange = () => document.dispatchEvent(new CustomEvent('gradlab:quiz-change'));
