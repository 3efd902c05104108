/**
 * @gradlab/quiz: self-graded quizzes whose keys the engine computes. Framework-free and
 * DOM-free: a validated question schema, pure graders, seeded variants, a quiz state machine,
 * and progress storage over any Web-Storage-like object.
 */
export * from './choice.ts';
export * from './errors.ts';
export * from './grade.ts';
export * from './machine.ts';
export * from './matching.ts';
export * from './numeric.ts';
export * from './ordering.ts';
export * from './parse-number.ts';
export * from './predicate.ts';
export * from './progress.ts';
export * from './score.ts';
export * from './store.ts';
export * from './types.ts';
export { type AssertQuizOptions, assertQuiz, validateQuiz } from './validate.ts';
export * from './variants.ts';
