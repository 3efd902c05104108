import { formatNumber, gradeQuestion } from './grade.ts';
import { describeTolerance } from './numeric.ts';
import { describePredicate } from './predicate.ts';
import type { GradeResult, Instantiated, Observation, Question, Response } from './types.ts';

/**
 * The state of one question on a page. `best` is what counts in the score: the best score of
 * any submission made before the solution was shown (showing it freezes `best`).
 */
export interface QuestionState {
  /** The learner's current input (also what is restored after a reload). */
  readonly draft?: Response;
  /** Predict: the prediction is locked, the run may start. */
  readonly committed: boolean;
  /** Predict and goal: what the run gave. */
  readonly observation?: Observation;
  /** The last grading; inputs are locked while there is one (until `retry`). */
  readonly result?: GradeResult;
  /** Why the last submission could not be graded (e.g. `1,5`); inputs stay open. */
  readonly invalid?: string;
  readonly attempts: number;
  readonly best: number;
  readonly hintsShown: number;
  readonly solutionShown: boolean;
}

export type QuizAction =
  | { readonly type: 'edit'; readonly response: Response }
  | { readonly type: 'submit' }
  | { readonly type: 'commit' }
  | { readonly type: 'observe'; readonly observation: Observation }
  | { readonly type: 'hint' }
  | { readonly type: 'retry' }
  | { readonly type: 'reset' }
  | { readonly type: 'show-solution' };

/** A diagnose question whose fix is graded on a re-run (`fixed`), not chosen from a list. */
export const fixedByRerun = (q: Instantiated): boolean => q.type === 'diagnose' && q.fixed !== undefined;

export function initialState(
  restored: Partial<Pick<QuestionState, 'draft' | 'attempts' | 'best' | 'hintsShown' | 'solutionShown'>> = {},
): QuestionState {
  return { committed: false, attempts: 0, best: 0, hintsShown: 0, solutionShown: false, ...restored };
}

function graded(state: QuestionState, result: GradeResult, extra: Partial<QuestionState> = {}): QuestionState {
  if (result.invalid) return { ...state, ...extra, invalid: result.invalid };
  const best = state.solutionShown ? state.best : Math.max(state.best, result.score);
  return { ...state, ...extra, result, invalid: undefined, attempts: state.attempts + 1, best };
}

/**
 * The quiz state machine: pure, so the site, a test or another UI drive it the same way.
 * Actions that make no sense in the current state return the state unchanged (e.g. editing a
 * graded answer before `retry`, or observing a run before the prediction was committed).
 */
export function reduce(question: Instantiated, state: QuestionState, action: QuizAction): QuestionState {
  const hints = question.hints?.length ?? 0;
  switch (action.type) {
    case 'edit':
      if (state.result || state.committed || action.response.type !== question.type) return state;
      return { ...state, draft: action.response, invalid: undefined };
    case 'submit':
      if (state.result || question.type === 'predict' || question.type === 'goal' || fixedByRerun(question))
        return state;
      if (!state.draft) return { ...state, invalid: 'Answer first.' };
      return graded(state, gradeQuestion(question, state.draft));
    case 'commit':
      if (question.type !== 'predict' || state.committed || state.result) return state;
      if (!state.draft) return { ...state, invalid: 'Make a prediction first.' };
      return { ...state, committed: true, invalid: undefined };
    case 'observe':
      if (question.type === 'predict') {
        if (!state.committed || state.result || !state.draft) return state;
        return graded(state, gradeQuestion(question, state.draft, action.observation), {
          observation: action.observation,
        });
      }
      if (fixedByRerun(question)) {
        if (state.result) return state;
        if (!state.draft) return { ...state, invalid: 'Choose what is wrong first.' };
        return graded(state, gradeQuestion(question, state.draft, action.observation), {
          observation: action.observation,
        });
      }
      if (question.type === 'goal') {
        return graded(state, gradeQuestion(question, { type: 'goal' }, action.observation), {
          observation: action.observation,
        });
      }
      return state;
    case 'hint':
      return state.hintsShown < hints ? { ...state, hintsShown: state.hintsShown + 1 } : state;
    case 'retry':
      return { ...state, result: undefined, invalid: undefined, committed: false, observation: undefined };
    case 'reset':
      return initialState();
    case 'show-solution':
      return { ...state, solutionShown: true };
  }
}

/** What to show as the solution, per type, in words and ids. */
export interface SolutionView {
  readonly text: string;
  /** Option ids (choice, diagnose), item ids in order (ordering) or prompt → choice (matching). */
  readonly ids?: readonly string[] | Readonly<Record<string, string>>;
}

export function solutionOf(question: Instantiated, observation?: Observation): SolutionView {
  const q = question;
  switch (q.type) {
    case 'single':
    case 'multiple': {
      const right = q.options.filter((o) => o.correct);
      return { text: right.map((o) => o.label).join('; '), ids: right.map((o) => o.id) };
    }
    case 'numeric':
      return {
        text: `${formatNumber(q.key as number)}${q.unit ? ` ${q.unit}` : ''} (${describeTolerance(q.tolerance)})`,
      };
    case 'ordering': {
      const order = q.key as readonly string[];
      return { text: order.map((id) => q.items.find((i) => i.id === id)?.label ?? id).join(' → '), ids: order };
    }
    case 'matching':
      return {
        text: q.prompts.map((p) => `${p.label} → ${q.choices.find((c) => c.id === q.pairs[p.id])?.label}`).join('; '),
        ids: q.pairs,
      };
    case 'predict': {
      const value = observation?.actual ?? (q.key as number);
      return {
        text: `${q.metric} = ${formatNumber(value)}${observation?.actual === undefined ? ' (computed at build time)' : ''}`,
      };
    }
    case 'goal':
      return { text: `Reach ${describePredicate(q.goal)}.` };
    case 'diagnose': {
      const parts = [q.options, ...(q.fixes ? [q.fixes] : [])].map((list) => list.find((o) => o.correct));
      const text = parts.map((o) => o?.label).join('; fix: ');
      const fixed = q.fixed ? `; a fix counts when the re-run reaches ${describePredicate(q.fixed)}` : '';
      return { text: `${text}${fixed}`, ids: parts.map((o) => o?.id as string) };
    }
  }
}

export type QuestionStatus = 'unanswered' | 'correct' | 'partial' | 'wrong';

/** Everything a UI needs to render a question in its state; no DOM, no framework. */
export interface QuestionView {
  readonly id: string;
  readonly type: Question['type'];
  readonly prompt: string;
  readonly points: number;
  readonly status: QuestionStatus;
  /** The hints revealed so far, in order. */
  readonly hints: readonly string[];
  readonly hintsLeft: number;
  readonly locked: boolean;
  readonly canSubmit: boolean;
  readonly canCommit: boolean;
  readonly canRun: boolean;
  readonly canRetry: boolean;
  readonly result?: GradeResult;
  readonly invalid?: string;
  /** After the first graded submission or with the solution. */
  readonly explanation?: string;
  readonly solution?: SolutionView;
  readonly best: number;
  readonly attempts: number;
}

export function viewQuestion(question: Instantiated, state: QuestionState): QuestionView {
  const all = question.hints ?? [];
  const r = state.result;
  const status: QuestionStatus = !r ? 'unanswered' : r.score === 1 ? 'correct' : r.score > 0 ? 'partial' : 'wrong';
  const isPredict = question.type === 'predict';
  return {
    id: question.id,
    type: question.type,
    prompt: question.prompt,
    points: question.points ?? 1,
    status,
    hints: all.slice(0, state.hintsShown),
    hintsLeft: all.length - state.hintsShown,
    locked: Boolean(r) || state.committed,
    canSubmit: !r && !isPredict && question.type !== 'goal' && !fixedByRerun(question) && state.draft !== undefined,
    canCommit: isPredict && !state.committed && !r && state.draft !== undefined,
    canRun:
      (isPredict && state.committed && !r) ||
      question.type === 'goal' ||
      (fixedByRerun(question) && !r && !!state.draft),
    canRetry: Boolean(r),
    result: r,
    invalid: state.invalid,
    explanation: r || state.solutionShown ? question.explanation : undefined,
    solution: state.solutionShown ? solutionOf(question, state.observation) : undefined,
    best: state.best,
    attempts: state.attempts,
  };
}
