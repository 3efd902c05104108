import type { ProgressData } from './progress.ts';

export interface ScoredQuestion {
  readonly id: string;
  readonly points?: number;
}

export interface PageScore {
  readonly page: string;
  /** Σ best × points over the page's questions. */
  readonly earned: number;
  /** Σ points. */
  readonly possible: number;
  /** Questions with at least one graded attempt. */
  readonly answered: number;
  readonly total: number;
  /** Questions with best = 1. */
  readonly correct: number;
}

/** A page's score from stored progress; records of questions no longer on the page are ignored. */
export function scorePage(progress: ProgressData, page: string, questions: readonly ScoredQuestion[]): PageScore {
  const records = progress.pages[page] ?? {};
  let earned = 0;
  let possible = 0;
  let answered = 0;
  let correct = 0;
  for (const q of questions) {
    const points = q.points ?? 1;
    const r = records[q.id];
    possible += points;
    if (!r) continue;
    earned += Math.min(1, Math.max(0, r.best)) * points;
    if (r.attempts > 0) answered++;
    if (r.best === 1) correct++;
  }
  return { page, earned, possible, answered, total: questions.length, correct };
}

export interface SiteScore extends Omit<PageScore, 'page'> {
  readonly pages: readonly PageScore[];
}

/** Every page's score and the site's total. */
export function scoreSite(
  progress: ProgressData,
  pages: readonly { readonly page: string; readonly questions: readonly ScoredQuestion[] }[],
): SiteScore {
  const scores = pages.map((p) => scorePage(progress, p.page, p.questions));
  const sum = (k: 'earned' | 'possible' | 'answered' | 'total' | 'correct') => scores.reduce((s, p) => s + p[k], 0);
  return {
    pages: scores,
    earned: sum('earned'),
    possible: sum('possible'),
    answered: sum('answered'),
    total: sum('total'),
    correct: sum('correct'),
  };
}
