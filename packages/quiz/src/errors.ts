import type { ErrorEntry } from '@gradlab/plugin-api';

/** One problem in a quiz file: where it is, what is wrong and how to fix it. */
export interface QuizIssue {
  readonly file: string;
  /** The question's id (or its 1-based position, `#3`, when it has no usable id); absent for file-level fields. */
  readonly question?: string;
  /** Path inside the question (or the file), e.g. `options[2].correct`. */
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

/** One line per issue: `file: question "id", field \`path\`: problem. Fix: fix.` */
export function formatIssue(i: QuizIssue): string {
  const where = i.question === undefined ? '' : ` question "${i.question}",`;
  return `${i.file}:${where} field \`${i.field}\`: ${i.problem}. Fix: ${i.fix}`;
}

/** Errors of `@gradlab/quiz`; names are permanent (docs/errors.md). */
export const QuizErrors = {
  InvalidQuiz: {
    name: 'InvalidQuiz',
    title: 'A quiz file breaks the question schema.',
    message: (file: string, issues: readonly QuizIssue[]) =>
      `${file} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`,
    hint: () => 'The schema is documented in the @gradlab/quiz README (Question types).',
  },
  MissingKey: {
    name: 'MissingKey',
    title: 'A computed key was not supplied.',
    message: (question: string, variant: number, compute: string) =>
      `Question "${question}" (variant ${variant}) needs the key computed by "${compute}", and none was passed.`,
    hint: () => 'Compute every key listed by keyRequests(question) and pass it to instantiate(question, variant, key).',
  },
  UnknownVariant: {
    name: 'UnknownVariant',
    title: 'No such variant.',
    message: (question: string, variant: number, count: number) =>
      `Question "${question}" has ${count} variant${count === 1 ? '' : 's'} (0 … ${count - 1}); received ${variant}.`,
    hint: () => 'Use chooseVariant(question, seed) or an index from listVariants(question).',
  },
} as const satisfies Record<string, ErrorEntry<never>>;
