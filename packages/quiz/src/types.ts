/**
 * The question schema, as TypeScript types. A quiz file is JSON of type {@link QuizFile};
 * `assertQuiz` checks it at build time and names the file, question, field and fix of every
 * problem. Text fields may hold `{param}` placeholders filled in by a variant.
 */

/** Format marker of a quiz file; bumped only by a breaking change to the schema. */
export const QUIZ_FORMAT = 'gradlab/quiz@1';

export interface QuizFile {
  readonly format: typeof QUIZ_FORMAT;
  /** Page id, e.g. `relu-explodes`; progress is stored per page. */
  readonly page: string;
  readonly title?: string;
  readonly questions: readonly Question[];
}

export type Question =
  | SingleChoiceQuestion
  | MultipleChoiceQuestion
  | NumericQuestion
  | OrderingQuestion
  | MatchingQuestion
  | PredictQuestion
  | GoalQuestion
  | DiagnoseQuestion;

export type QuestionType = Question['type'];

export const QUESTION_TYPES: readonly QuestionType[] = [
  'single',
  'multiple',
  'numeric',
  'ordering',
  'matching',
  'predict',
  'goal',
  'diagnose',
];

/** A parameter value of a seeded variant. */
export type ParamValue = string | number | boolean;
export type Params = Readonly<Record<string, ParamValue>>;

/**
 * Seeded variants: every combination of `params` (a cartesian product, names sorted), or an
 * explicit `list`. The variant is chosen from a seed; its keys are computed by the caller.
 */
export type VariantSpec =
  | { readonly params: Readonly<Record<string, readonly ParamValue[]>> }
  | { readonly list: readonly Params[] };

export interface QuestionBase {
  /** Unique within the file, kebab-case; progress is keyed by it, so keep it stable. */
  readonly id: string;
  readonly prompt: string;
  /** Revealed one at a time, in order. */
  readonly hints?: readonly string[];
  /** Shown after the first submission and with the solution. */
  readonly explanation?: string;
  /** Weight in the page score (default 1). */
  readonly points?: number;
  readonly variants?: VariantSpec;
  /** Free tags, e.g. the myth a question targets. */
  readonly tags?: readonly string[];
}

export interface ChoiceOption {
  readonly id: string;
  readonly label: string;
  readonly correct?: boolean;
  /** Shown when this option is chosen (or, for a correct option, missed). */
  readonly feedback?: string;
}

export interface SingleChoiceQuestion extends QuestionBase {
  readonly type: 'single';
  /** Exactly one option has `correct: true`. */
  readonly options: readonly ChoiceOption[];
}

/**
 * Partial credit of a multiple-choice question, PrairieLearn's `pl-checkbox` methods:
 * `off` all or nothing; `net-correct` (PC) max(0, (right picks − wrong picks) / #correct);
 * `each-answer` (EDC) 1 − (wrong decisions / #options); `coverage` (COV)
 * (right picks / #correct) × (right picks / #picks).
 */
export type PartialCreditMethod = 'off' | 'net-correct' | 'each-answer' | 'coverage';
export const PARTIAL_CREDIT_METHODS: readonly PartialCreditMethod[] = ['off', 'net-correct', 'each-answer', 'coverage'];

export interface MultipleChoiceQuestion extends QuestionBase {
  readonly type: 'multiple';
  /** At least one option has `correct: true`. */
  readonly options: readonly ChoiceOption[];
  /** Default `net-correct`. */
  readonly partialCredit?: PartialCreditMethod;
}

/**
 * Where a key comes from. `compute` names a key function the caller (the site's build) runs
 * with `args` (strings `$name` are replaced by the variant's parameter); `value` is a literal,
 * which a caller can forbid (`assertQuiz(…, { literalKeys: false })`).
 */
export type KeySource =
  | { readonly compute: string; readonly args?: Readonly<Record<string, ParamValue>> }
  | { readonly value: number | readonly string[] };

/**
 * Tolerance of a numeric answer, PrairieLearn's `pl-number-input` comparisons plus decades:
 * - `rel`/`abs`: |a − k| ≤ abs + rel·|k| (`relabs`, numpy's `isclose`);
 * - `sigfigs`: a within 0.51 units of the last of `sigfigs` significant figures of k (`sigfig`);
 * - `decdigits`: a within 0.51 units of the `decdigits`-th decimal place of k (`decdig`);
 * - `decades`: |log10(a / k)| ≤ decades, same sign required (order of magnitude).
 */
export type Tolerance =
  | { readonly rel?: number; readonly abs?: number }
  | { readonly sigfigs: number }
  | { readonly decdigits: number }
  | { readonly decades: number };

/**
 * Feedback for a wrong answer in a range, relative to the key (`decades`: log10(a / k),
 * `ratio`: a / k) or absolute (`value`). Bounds are inclusive; `null` is open. The first
 * matching range wins.
 */
export interface RangeFeedback {
  readonly decades?: readonly [number | null, number | null];
  readonly ratio?: readonly [number | null, number | null];
  readonly value?: readonly [number | null, number | null];
  readonly feedback: string;
}

export interface NumericQuestion extends QuestionBase {
  readonly type: 'numeric';
  readonly key: KeySource;
  readonly tolerance: Tolerance;
  readonly ranges?: readonly RangeFeedback[];
  readonly unit?: string;
  /** Accept `50%` as 0.5 (default false). */
  readonly percent?: boolean;
}

export interface OrderItem {
  readonly id: string;
  readonly label: string;
}

export interface OrderingQuestion extends QuestionBase {
  readonly type: 'ordering';
  /** Shown in this order; the learner reorders them. */
  readonly items: readonly OrderItem[];
  /** The right order of item ids (a `value` array, or computed). */
  readonly key: KeySource;
  /** `kendall` (default): max(0, Kendall τ); `off`: all or nothing. */
  readonly partialCredit?: 'kendall' | 'off';
}

export interface MatchingQuestion extends QuestionBase {
  readonly type: 'matching';
  /** What the learner matches, e.g. symptoms. */
  readonly prompts: readonly OrderItem[];
  /** What they match it with, e.g. fixes; may hold distractors. */
  readonly choices: readonly OrderItem[];
  /** prompt id → choice id. */
  readonly pairs: Readonly<Record<string, string>>;
  /** prompt id → choice id → feedback for that wrong pairing. */
  readonly feedback?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A bin of a predict-then-run question answered by choice; bounds inclusive, `null` open. */
export interface PredictBin {
  readonly id: string;
  readonly label: string;
  readonly range: readonly [number | null, number | null];
}

export interface PredictQuestion extends QuestionBase {
  readonly type: 'predict';
  /** What the caller runs; opaque to this package (the site passes it to its worker). */
  readonly run: Readonly<Record<string, unknown>>;
  /** The metric of the run's result to predict, e.g. `deltaRatio`. */
  readonly metric: string;
  /** The build-time key, computed from the same `run`; the live run must agree with it. */
  readonly key: KeySource;
  /** `number` (typed), `log-slider` (a slider in decades) or `choice` (pick a bin). */
  readonly input: 'number' | 'log-slider' | 'choice';
  /** For `number` and `log-slider`. */
  readonly tolerance?: Tolerance;
  readonly ranges?: readonly RangeFeedback[];
  /** For `log-slider`: the slider's decades, e.g. [-12, 4]. */
  readonly slider?: readonly [number, number];
  /** For `choice`: the bins; the right one is the bin the run's value falls in. */
  readonly bins?: readonly PredictBin[];
}

/** A predicate on engine state, as data, so it can be validated, evaluated and shown. */
export type Predicate =
  | { readonly all: readonly Predicate[] }
  | { readonly any: readonly Predicate[] }
  | { readonly not: Predicate }
  | { readonly metric: string; readonly op: ComparisonOp; readonly value: number | boolean }
  | { readonly metric: string; readonly op: 'between'; readonly value: readonly [number, number] };

export type ComparisonOp = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';
export const COMPARISON_OPS: readonly (ComparisonOp | 'between')[] = ['lt', 'le', 'gt', 'ge', 'eq', 'ne', 'between'];

/** Engine state a predicate reads: flat metric names to numbers or booleans. */
export type Metrics = Readonly<Record<string, number | boolean>>;

export interface GoalQuestion extends QuestionBase {
  readonly type: 'goal';
  /** The starting configuration; opaque to this package. */
  readonly setup: Readonly<Record<string, unknown>>;
  /** Controls the learner may change; opaque names for the caller. */
  readonly controls?: readonly string[];
  readonly goal: Predicate;
}

export interface DiagnoseQuestion extends QuestionBase {
  readonly type: 'diagnose';
  /** The seeded broken run whose dashboard is shown; opaque to this package. */
  readonly run: Readonly<Record<string, unknown>>;
  /** Pathologies to choose from; exactly one correct. */
  readonly options: readonly ChoiceOption[];
  /** Optional second part: fixes; exactly one correct. Each part is then worth half. */
  readonly fixes?: readonly ChoiceOption[];
  /**
   * Optional second part, instead of `fixes`: the learner fixes the run with `controls` and the
   * caller re-runs it; the fix counts when this predicate holds on the re-run's metrics
   * (observation.state). Each part is then worth half.
   */
  readonly fixed?: Predicate;
  /** With `fixed`: the controls the learner may change (opaque names for the caller). */
  readonly controls?: readonly string[];
}

/**
 * A question ready to grade: its variant chosen, placeholders filled and keys resolved.
 * `key` is a number (numeric, predict) or an order of item ids (ordering).
 */
export type Instantiated<Q extends Question = Question> = Q extends Question
  ? Omit<Q, 'key' | 'variants'> & {
      readonly key?: number | readonly string[];
      readonly variant: number;
      readonly params: Params;
    }
  : never;

/** A learner's response, by question type. */
export type Response =
  | { readonly type: 'single'; readonly choice: string }
  | { readonly type: 'multiple'; readonly choices: readonly string[] }
  | { readonly type: 'numeric'; readonly text: string }
  | { readonly type: 'ordering'; readonly order: readonly string[] }
  | { readonly type: 'matching'; readonly pairs: Readonly<Record<string, string>> }
  | { readonly type: 'predict'; readonly text?: string; readonly decades?: number; readonly bin?: string }
  | { readonly type: 'goal' }
  | { readonly type: 'diagnose'; readonly pathology: string; readonly fix?: string };

/** What the caller observed, for questions graded against a run. */
export interface Observation {
  /** predict: the live run's value of the question's metric. */
  readonly actual?: number;
  /** goal: the engine state after the learner's run. */
  readonly state?: Metrics;
}

export interface FeedbackItem {
  /** `right`, `wrong` or `info` (neutral explanation). */
  readonly tone: 'right' | 'wrong' | 'info';
  readonly text: string;
  /** The option, item or prompt id this feedback belongs to, when there is one. */
  readonly target?: string;
}

export interface GradeResult {
  /** 0 … 1. */
  readonly score: number;
  /** score === 1. */
  readonly correct: boolean;
  readonly feedback: readonly FeedbackItem[];
  /** The learner's input could not be read (e.g. `1,5`); nothing was graded. */
  readonly invalid?: string;
  /** The value graded against (numeric, predict). */
  readonly key?: number;
  /** The learner's value (numeric, predict). */
  readonly value?: number;
}
