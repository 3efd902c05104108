import type { FeedbackItem, GradeResult, MatchingQuestion } from './types.ts';

/** Matching: the fraction of prompts paired with their choice, with feedback per wrong pair. */
export function gradeMatching(
  question: Pick<MatchingQuestion, 'prompts' | 'choices' | 'pairs' | 'feedback'>,
  pairs: Readonly<Record<string, string>>,
): GradeResult {
  const choiceIds = new Set(question.choices.map((c) => c.id));
  const unknownChoice = Object.values(pairs).find((c) => !choiceIds.has(c));
  if (unknownChoice !== undefined)
    return { score: 0, correct: false, feedback: [], invalid: `No choice "${unknownChoice}".` };
  const missing = question.prompts.filter((p) => pairs[p.id] === undefined);
  if (missing.length) {
    return { score: 0, correct: false, feedback: [], invalid: `Match every item (${missing.length} left).` };
  }
  let right = 0;
  const feedback: FeedbackItem[] = [];
  for (const p of question.prompts) {
    const chosen = pairs[p.id];
    if (chosen === question.pairs[p.id]) right++;
    else {
      const label = question.choices.find((c) => c.id === chosen)?.label ?? chosen;
      const text = question.feedback?.[p.id]?.[chosen] ?? `“${label}” does not fix “${p.label}”.`;
      feedback.push({ tone: 'wrong', text, target: p.id });
    }
  }
  const score = right / question.prompts.length;
  return { score, correct: score === 1, feedback };
}
