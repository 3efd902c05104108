import { describe, expect, it } from 'vitest';
import { gradeMultiple, gradeSingle, partialCredit } from '../src/index.ts';

// Five options, three correct (a, b, c); the learner picks a, b and the wrong d.
// By hand: PC (net-correct) = (2 right − 1 wrong) / 3 correct = 1/3;
// EDC (each-answer) = 1 − (1 wrong pick + 1 missed) / 5 options = 3/5;
// COV (coverage) = (2/3 of the correct found) × (2/3 of the picks right) = 4/9.
const correct = new Set(['a', 'b', 'c']);
const picked = new Set(['a', 'b', 'd']);

describe('partialCredit, PrairieLearn’s methods', () => {
  it('net-correct (PC) = 1/3, each-answer (EDC) = 3/5, coverage (COV) = 4/9, off = 0', () => {
    expect(partialCredit(picked, correct, 5, 'net-correct')).toBeCloseTo(1 / 3, 15);
    expect(partialCredit(picked, correct, 5, 'each-answer')).toBeCloseTo(3 / 5, 15);
    expect(partialCredit(picked, correct, 5, 'coverage')).toBeCloseTo(4 / 9, 15);
    expect(partialCredit(picked, correct, 5, 'off')).toBe(0);
  });

  it('picking everything: PC max(0, (3 − 2)/3) = 1/3, EDC 1 − 2/5 = 3/5, COV 1 × 3/5 = 3/5', () => {
    const all = new Set(['a', 'b', 'c', 'd', 'e']);
    expect(partialCredit(all, correct, 5, 'net-correct')).toBeCloseTo(1 / 3, 15);
    expect(partialCredit(all, correct, 5, 'each-answer')).toBeCloseTo(3 / 5, 15);
    expect(partialCredit(all, correct, 5, 'coverage')).toBeCloseTo(3 / 5, 15);
  });

  it('net-correct never goes below 0; coverage of nothing picked is 0; the exact set is 1 everywhere', () => {
    expect(partialCredit(new Set(['d', 'e', 'a']), correct, 5, 'net-correct')).toBe(0);
    expect(partialCredit(new Set(), correct, 5, 'coverage')).toBe(0);
    for (const m of ['off', 'net-correct', 'each-answer', 'coverage'] as const)
      expect(partialCredit(correct, correct, 5, m)).toBe(1);
  });
});

const options = [
  { id: 'quarter', label: '1/4', correct: true, feedback: 'σ′(0) = σ(0)(1 − σ(0)) = 1/4.' },
  { id: 'one', label: '1', feedback: 'That is tanh′(0); the sigmoid is flatter.' },
  { id: 'half', label: '1/2' },
];

describe('gradeSingle', () => {
  it('the correct option scores 1 with its feedback; a wrong one 0 with its misconception feedback', () => {
    expect(gradeSingle(options, 'quarter')).toEqual({
      score: 1,
      correct: true,
      feedback: [{ tone: 'right', text: options[0].feedback, target: 'quarter' }],
    });
    expect(gradeSingle(options, 'one')).toEqual({
      score: 0,
      correct: false,
      feedback: [{ tone: 'wrong', text: options[1].feedback, target: 'one' }],
    });
    expect(gradeSingle(options, 'half')).toEqual({ score: 0, correct: false, feedback: [] });
  });

  it('no choice or an unknown id is invalid, not wrong', () => {
    expect(gradeSingle(options, '').invalid).toBe('Choose an option.');
    expect(gradeSingle(options, 'third').invalid).toBe('No option "third".');
  });
});

describe('gradeMultiple', () => {
  const multi = [
    { id: 'a', label: 'He init', correct: true },
    { id: 'b', label: 'Clipping', correct: true, feedback: 'Clipping bounds the step.' },
    { id: 'c', label: 'More neurons', feedback: 'Width does not change the per-layer factor.' },
  ];

  it('default net-correct: a + c → (1 − 1)/2 = 0, with feedback for the wrong pick and the missed right one', () => {
    const r = gradeMultiple(multi, ['a', 'c']);
    expect(r.score).toBe(0);
    expect(r.feedback).toEqual([
      { tone: 'wrong', text: 'Clipping bounds the step.', target: 'b' },
      { tone: 'wrong', text: 'Width does not change the per-layer factor.', target: 'c' },
    ]);
  });

  it('a alone: net-correct 1/2, each-answer 1 − 1/3 = 2/3, coverage 1/2 × 1 = 1/2', () => {
    expect(gradeMultiple(multi, ['a']).score).toBe(0.5);
    expect(gradeMultiple(multi, ['a'], 'each-answer').score).toBeCloseTo(2 / 3, 15);
    expect(gradeMultiple(multi, ['a'], 'coverage').score).toBe(0.5);
  });

  it('nothing chosen or an unknown id is invalid', () => {
    expect(gradeMultiple(multi, []).invalid).toBe('Choose at least one option.');
    expect(gradeMultiple(multi, ['z']).invalid).toBe('No option "z".');
  });
});
