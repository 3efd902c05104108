import { gradeMultiple, gradeSingle } from './choice.ts';
import { gradeMatching } from './matching.ts';
import { gradeNumber } from './numeric.ts';
import { gradeOrdering } from './ordering.ts';
import { describePredicate, evaluatePredicate, explainPredicate } from './predicate.ts';
import type {
  DiagnoseQuestion,
  FeedbackItem,
  GoalQuestion,
  GradeResult,
  Instantiated,
  Metrics,
  Observation,
  Predicate,
  PredictQuestion,
  Response,
} from './types.ts';

/** A number in 3 significant figures, without trailing zeros: 0.25, 9.54e-7, 38.4. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(3)));
}

const invalid = (reason: string): GradeResult => ({ score: 0, correct: false, feedback: [], invalid: reason });

/** The bin of a predict-by-choice question that holds `value` (bounds inclusive; first match). */
export function binOf(bins: PredictQuestion['bins'], value: number): string | undefined {
  return bins?.find((b) => (b.range[0] === null || value >= b.range[0]) && (b.range[1] === null || value <= b.range[1]))
    ?.id;
}

function gradePredict(q: Instantiated<PredictQuestion>, r: Extract<Response, { type: 'predict' }>, o?: Observation) {
  const actual = o?.actual;
  if (actual === undefined) return invalid('Run the experiment to grade your prediction.');
  const ran: FeedbackItem = { tone: 'info', text: `The run gave ${q.metric} = ${formatNumber(actual)}.` };
  if (q.input === 'choice') {
    if (!r.bin) return invalid('Choose a range first.');
    const right = binOf(q.bins, actual);
    const score = r.bin === right ? 1 : 0;
    const label = q.bins?.find((b) => b.id === right)?.label ?? 'none of the ranges';
    const feedback: FeedbackItem[] = score ? [ran] : [{ tone: 'wrong', text: `It falls in ${label}.` }, ran];
    return { score, correct: score === 1, feedback, key: actual };
  }
  const input = q.input === 'log-slider' ? (r.decades === undefined ? undefined : 10 ** r.decades) : r.text;
  if (input === undefined) return invalid('Set your prediction first.');
  const g = gradeNumber(input, actual, { tolerance: q.tolerance ?? { decades: 0.5 }, ranges: q.ranges });
  return g.invalid ? g : { ...g, feedback: [...g.feedback, ran] };
}

/** A predicate graded on a run's state: met or not, with one feedback line per comparison. */
function gradePredicate(p: Predicate, state: Metrics, title: string) {
  const held = evaluatePredicate(p, state);
  const parts = explainPredicate(p, state).map<FeedbackItem>((x) => ({
    tone: x.held ? 'right' : 'wrong',
    text: `${x.text}: ${x.held ? 'met' : 'not met'}${typeof x.value === 'number' ? ` (yours: ${formatNumber(x.value)})` : x.value === undefined ? '' : ` (yours: ${String(x.value)})`}.`,
  }));
  const head: FeedbackItem = { tone: 'info', text: `${title}: ${describePredicate(p)}.` };
  return { held, feedback: [head, ...parts] };
}

function gradeGoal(q: Instantiated<GoalQuestion>, o?: Observation): GradeResult {
  if (!o?.state) return invalid('Run your configuration to check the goal.');
  const { held, feedback } = gradePredicate(q.goal, o.state, 'Goal');
  return { score: held ? 1 : 0, correct: held, feedback };
}

function gradeDiagnose(
  q: Instantiated<DiagnoseQuestion>,
  r: Extract<Response, { type: 'diagnose' }>,
  o?: Observation,
): GradeResult {
  const pathology = gradeSingle(q.options, r.pathology);
  if (pathology.invalid) return pathology;
  if (q.fixed) {
    // The fix is whatever the learner's re-run shows: graded on its metrics, not on a choice.
    if (!o?.state) return invalid('Apply your fix and run it to check.');
    const fix = gradePredicate(q.fixed, o.state, 'Your fix is checked on the re-run');
    const score = (pathology.score + (fix.held ? 1 : 0)) / 2;
    return { score, correct: score === 1, feedback: [...pathology.feedback, ...fix.feedback] };
  }
  if (!q.fixes) return pathology;
  if (!r.fix) return invalid('Choose a fix as well.');
  const fix = gradeSingle(q.fixes, r.fix);
  if (fix.invalid) return fix;
  const score = (pathology.score + fix.score) / 2;
  return { score, correct: score === 1, feedback: [...pathology.feedback, ...fix.feedback] };
}

/**
 * Grades a response to an instantiated question. Pure: the same question, response and
 * observation always give the same result. Predict questions are graded against
 * `observation.actual` (the live run), goal questions and diagnose questions with `fixed`
 * against `observation.state` (the re-run's metrics).
 */
export function gradeQuestion(question: Instantiated, response: Response, observation?: Observation): GradeResult {
  const q = question;
  if (response.type !== q.type) return invalid(`A ${response.type} response cannot answer a ${q.type} question.`);
  const r = response as never;
  switch (q.type) {
    case 'single':
      return gradeSingle(q.options, (r as { choice: string }).choice);
    case 'multiple':
      return gradeMultiple(q.options, (r as { choices: readonly string[] }).choices, q.partialCredit);
    case 'numeric':
      if (typeof q.key !== 'number') return invalid('This question has no numeric key.');
      return gradeNumber((r as { text: string }).text, q.key, {
        tolerance: q.tolerance,
        ranges: q.ranges,
        percent: q.percent,
      });
    case 'ordering':
      if (!Array.isArray(q.key)) return invalid('This question has no order key.');
      return gradeOrdering((r as { order: readonly string[] }).order, q.key as readonly string[], q.partialCredit);
    case 'matching':
      return gradeMatching(q, (r as { pairs: Readonly<Record<string, string>> }).pairs);
    case 'predict':
      return gradePredict(q, r, observation);
    case 'goal':
      return gradeGoal(q, observation);
    case 'diagnose':
      return gradeDiagnose(q, r, observation);
  }
}
