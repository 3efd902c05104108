import type { ChoiceOption, FeedbackItem, GradeResult, PartialCreditMethod } from './types.ts';

/**
 * Score of a set of picks against the correct set, by one of PrairieLearn's `pl-checkbox`
 * methods (see {@link PartialCreditMethod}). With nothing picked, `coverage` gives 0 instead
 * of dividing by zero.
 */
export function partialCredit(
  picked: ReadonlySet<string>,
  correct: ReadonlySet<string>,
  optionCount: number,
  method: PartialCreditMethod,
): number {
  const right = [...picked].filter((id) => correct.has(id)).length;
  const wrongPicks = picked.size - right;
  const missed = correct.size - right;
  const exact = wrongPicks === 0 && missed === 0;
  switch (method) {
    case 'off':
      return exact ? 1 : 0;
    case 'net-correct':
      return exact ? 1 : Math.max(0, (right - wrongPicks) / correct.size);
    case 'each-answer':
      return 1 - (wrongPicks + missed) / optionCount;
    case 'coverage':
      return picked.size === 0 ? 0 : (right / correct.size) * (right / picked.size);
  }
}

/** Feedback of every chosen option, and of every correct option that was missed. */
function optionFeedback(options: readonly ChoiceOption[], picked: ReadonlySet<string>): FeedbackItem[] {
  const out: FeedbackItem[] = [];
  for (const o of options) {
    if (!o.feedback) continue;
    if (picked.has(o.id)) out.push({ tone: o.correct ? 'right' : 'wrong', text: o.feedback, target: o.id });
    else if (o.correct && picked.size > 0 && options.filter((x) => x.correct).length > 1)
      out.push({ tone: 'wrong', text: o.feedback, target: o.id });
  }
  return out;
}

const unknown = (options: readonly ChoiceOption[], ids: Iterable<string>) =>
  [...ids].filter((id) => !options.some((o) => o.id === id));

/** Single choice: 1 for the correct option, else 0, with the chosen option's feedback. */
export function gradeSingle(options: readonly ChoiceOption[], choice: string): GradeResult {
  if (!choice) return { score: 0, correct: false, feedback: [], invalid: 'Choose an option.' };
  if (unknown(options, [choice]).length)
    return { score: 0, correct: false, feedback: [], invalid: `No option "${choice}".` };
  const score = options.find((o) => o.id === choice)?.correct ? 1 : 0;
  return { score, correct: score === 1, feedback: optionFeedback(options, new Set([choice])) };
}

/** Multiple choice: partial credit by `method` (default `net-correct`), feedback per option. */
export function gradeMultiple(
  options: readonly ChoiceOption[],
  choices: readonly string[],
  method: PartialCreditMethod = 'net-correct',
): GradeResult {
  const bad = unknown(options, choices);
  if (bad.length) return { score: 0, correct: false, feedback: [], invalid: `No option "${bad[0]}".` };
  if (choices.length === 0) return { score: 0, correct: false, feedback: [], invalid: 'Choose at least one option.' };
  const picked = new Set(choices);
  const correct = new Set(options.filter((o) => o.correct).map((o) => o.id));
  const score = partialCredit(picked, correct, options.length, method);
  return { score, correct: score === 1, feedback: optionFeedback(options, picked) };
}
