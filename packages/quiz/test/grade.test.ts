import { describe, expect, it } from 'vitest';
import {
  binOf,
  type DiagnoseQuestion,
  formatNumber,
  type GoalQuestion,
  gradeQuestion,
  instantiate,
  type PredictQuestion,
} from '../src/index.ts';

const predict: PredictQuestion = {
  id: 'relu-gain',
  type: 'predict',
  prompt: 'ReLU, He init × 1.5, depth 10: predict the first/last ‖δ‖ ratio.',
  run: { activation: 'relu', initializer: 'he', gain: 1.5, depth: 10 },
  metric: 'deltaRatio',
  key: { compute: 'probe-ratio' },
  input: 'number',
  tolerance: { decades: 0.5 },
  ranges: [
    { decades: [null, -1.5], feedback: 'Far too small: ReLU does not saturate, so nothing shrinks the product.' },
  ],
};

describe('predict-then-run', () => {
  const q = instantiate(predict, 0, 38.4);

  it('grades the prediction against the live run’s value, not the build-time key', () => {
    expect(gradeQuestion(q, { type: 'predict', text: '30' }, { actual: 38.4 })).toMatchObject({ score: 1, key: 38.4 });
    // 30 is within half a decade of 38.4 but not of 500: the observation decides.
    expect(gradeQuestion(q, { type: 'predict', text: '30' }, { actual: 500 }).score).toBe(0);
  });

  it('says what the run gave, and the range feedback for a far-off prediction', () => {
    const r = gradeQuestion(q, { type: 'predict', text: '0.1' }, { actual: 38.4 });
    expect(r.feedback.map((f) => f.text)).toEqual([
      'Far too small: ReLU does not saturate, so nothing shrinks the product.',
      'The run gave deltaRatio = 38.4.',
    ]);
  });

  it('without a run it cannot grade', () => {
    expect(gradeQuestion(q, { type: 'predict', text: '30' }).invalid).toBe(
      'Run the experiment to grade your prediction.',
    );
  });

  it('log-slider: 10^1.5 = 31.6 is within half a decade of 38.4; 10^0.5 is not', () => {
    const s = instantiate({ ...predict, input: 'log-slider', slider: [-6, 6] }, 0, 38.4);
    expect(gradeQuestion(s, { type: 'predict', decades: 1.5 }, { actual: 38.4 }).score).toBe(1);
    expect(gradeQuestion(s, { type: 'predict', decades: 0.5 }, { actual: 38.4 }).score).toBe(0);
  });

  it('choice: the right bin is the one the run’s value falls in', () => {
    const bins = [
      { id: 'small', label: 'below 0.1', range: [null, 0.1] as const },
      { id: 'one', label: '0.1 to 10', range: [0.1, 10] as const },
      { id: 'big', label: 'above 10', range: [10, null] as const },
    ];
    const c = instantiate({ ...predict, input: 'choice', bins }, 0, 38.4);
    expect(binOf(bins, 38.4)).toBe('big');
    expect(gradeQuestion(c, { type: 'predict', bin: 'big' }, { actual: 38.4 }).score).toBe(1);
    expect(gradeQuestion(c, { type: 'predict', bin: 'one' }, { actual: 38.4 }).feedback[0].text).toBe(
      'It falls in above 10.',
    );
  });
});

describe('goal tasks', () => {
  const goal: GoalQuestion = {
    id: 'tame-ratio',
    type: 'goal',
    prompt: 'Bring the first/last ‖δ‖ ratio into [0.5, 2] without batch norm.',
    setup: { activation: 'sigmoid', depth: 10 },
    goal: {
      all: [
        { metric: 'deltaRatio', op: 'between', value: [0.5, 2] },
        { metric: 'batchNorm', op: 'eq', value: false },
      ],
    },
  };
  const q = instantiate(goal);

  it('graded on the learner’s own run, with the predicate and each part shown', () => {
    const ok = gradeQuestion(q, { type: 'goal' }, { state: { deltaRatio: 1.1, batchNorm: false } });
    expect(ok.score).toBe(1);
    const no = gradeQuestion(q, { type: 'goal' }, { state: { deltaRatio: 3.2e-8, batchNorm: false } });
    expect(no.score).toBe(0);
    expect(no.feedback.map((f) => f.text)).toEqual([
      'Goal: 0.5 ≤ deltaRatio ≤ 2 and batchNorm = false.',
      '0.5 ≤ deltaRatio ≤ 2: not met (yours: 3.2e-8).',
      'batchNorm = false: met (yours: false).',
    ]);
  });
});

describe('diagnose the dashboard', () => {
  const d: DiagnoseQuestion = {
    id: 'which-pathology',
    type: 'diagnose',
    prompt: 'What is wrong with this run?',
    run: { seed: 3, activation: 'relu', lr: 3 },
    options: [
      { id: 'vanishing', label: 'Vanishing gradients' },
      { id: 'dead', label: 'Dead ReLUs', correct: true },
    ],
    fixes: [
      { id: 'leaky', label: 'Leaky ReLU, lower learning rate', correct: true },
      { id: 'bn', label: 'More layers' },
    ],
  };
  const q = instantiate(d);

  it('pathology and fix are worth half each', () => {
    expect(gradeQuestion(q, { type: 'diagnose', pathology: 'dead', fix: 'leaky' }).score).toBe(1);
    expect(gradeQuestion(q, { type: 'diagnose', pathology: 'dead', fix: 'bn' }).score).toBe(0.5);
    expect(gradeQuestion(q, { type: 'diagnose', pathology: 'vanishing', fix: 'leaky' }).score).toBe(0.5);
    expect(gradeQuestion(q, { type: 'diagnose', pathology: 'dead' }).invalid).toBe('Choose a fix as well.');
  });

  it('without fixes, the pathology is the whole score', () => {
    const only = instantiate({ ...d, fixes: undefined });
    expect(gradeQuestion(only, { type: 'diagnose', pathology: 'dead' }).score).toBe(1);
  });

  describe('with `fixed`: the fix is graded on the re-run, not chosen', () => {
    const rerun = instantiate({
      ...d,
      fixes: undefined,
      controls: ['activation', 'lr'],
      fixed: {
        all: [
          { metric: 'finalDead', op: 'le', value: 0.25 },
          { metric: 'nonFinite', op: 'eq', value: false },
        ],
      },
    });
    const healed = { finalDead: 0.03, nonFinite: false };
    const still = { finalDead: 0.72, nonFinite: false };

    it('pathology and a fix whose re-run meets the predicate: 1; either part alone: 1/2', () => {
      expect(gradeQuestion(rerun, { type: 'diagnose', pathology: 'dead' }, { state: healed }).score).toBe(1);
      expect(gradeQuestion(rerun, { type: 'diagnose', pathology: 'dead' }, { state: still }).score).toBe(0.5);
      expect(gradeQuestion(rerun, { type: 'diagnose', pathology: 'vanishing' }, { state: healed }).score).toBe(0.5);
      expect(gradeQuestion(rerun, { type: 'diagnose', pathology: 'vanishing' }, { state: still }).score).toBe(0);
    });

    it('says which comparison the re-run missed, with its value', () => {
      const g = gradeQuestion(rerun, { type: 'diagnose', pathology: 'dead' }, { state: still });
      expect(g.feedback.map((f) => f.text).slice(-3)).toEqual([
        'Your fix is checked on the re-run: finalDead ≤ 0.25 and nonFinite = false.',
        'finalDead ≤ 0.25: not met (yours: 0.72).',
        'nonFinite = false: met (yours: false).',
      ]);
    });

    it('a NaN metric never passes; without a re-run nothing is graded', () => {
      const nan = { finalDead: Number.NaN, nonFinite: false };
      expect(gradeQuestion(rerun, { type: 'diagnose', pathology: 'dead' }, { state: nan }).score).toBe(0.5);
      expect(gradeQuestion(rerun, { type: 'diagnose', pathology: 'dead' }).invalid).toBe(
        'Apply your fix and run it to check.',
      );
    });
  });
});

describe('gradeQuestion dispatch', () => {
  it('refuses a response of another type', () => {
    const q = instantiate({ id: 'x', type: 'numeric', prompt: 'p', key: { value: 1 }, tolerance: { rel: 0.1 } });
    expect(gradeQuestion(q, { type: 'single', choice: 'a' }).invalid).toBe(
      'A single response cannot answer a numeric question.',
    );
    expect(gradeQuestion(q, { type: 'numeric', text: '1.05' }).score).toBe(1);
  });

  it('ordering by key order', () => {
    const q = instantiate(
      {
        id: 'o',
        type: 'ordering',
        prompt: 'p',
        items: [
          { id: 'a', label: 'A' },
          { id: 'b', label: 'B' },
        ],
        key: { compute: 'order' },
      },
      0,
      ['b', 'a'],
    );
    expect(gradeQuestion(q, { type: 'ordering', order: ['b', 'a'] }).score).toBe(1);
  });

  it('formatNumber keeps 3 significant figures without trailing zeros', () => {
    expect(formatNumber(0.25)).toBe('0.25');
    expect(formatNumber(38.44)).toBe('38.4');
    expect(formatNumber(0.25 ** 10)).toBe('9.54e-7');
  });
});
