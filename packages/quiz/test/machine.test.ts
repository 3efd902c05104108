import { describe, expect, it } from 'vitest';
import { initialState, instantiate, type QuestionState, type QuizAction, reduce, viewQuestion } from '../src/index.ts';

const single = instantiate({
  id: 'max-slope',
  type: 'single',
  prompt: 'The largest slope of the sigmoid is…',
  hints: ['Differentiate σ(z) = 1/(1 + e^{−z}).', 'σ′ = σ(1 − σ), largest where σ = 1/2.'],
  explanation: 'σ′(0) = 1/4.',
  options: [
    { id: 'quarter', label: '1/4', correct: true },
    { id: 'one', label: '1', feedback: 'That is tanh′(0).' },
  ],
});

const run = (q: typeof single, actions: QuizAction[], from: QuestionState = initialState()) =>
  actions.reduce((s, a) => reduce(q, s, a), from);

describe('the quiz state machine', () => {
  it('wrong, then retry, then right: attempts 2, best 1, explanation after the first grading', () => {
    let s = run(single, [{ type: 'edit', response: { type: 'single', choice: 'one' } }, { type: 'submit' }]);
    expect(viewQuestion(single, s)).toMatchObject({
      status: 'wrong',
      locked: true,
      canRetry: true,
      best: 0,
      explanation: 'σ′(0) = 1/4.',
    });
    // Editing a graded answer does nothing until retry.
    expect(reduce(single, s, { type: 'edit', response: { type: 'single', choice: 'quarter' } })).toBe(s);
    s = run(
      single,
      [{ type: 'retry' }, { type: 'edit', response: { type: 'single', choice: 'quarter' } }, { type: 'submit' }],
      s,
    );
    expect(viewQuestion(single, s)).toMatchObject({ status: 'correct', attempts: 2, best: 1 });
  });

  it('hints one at a time, never more than there are', () => {
    const s1 = run(single, [{ type: 'hint' }]);
    expect(viewQuestion(single, s1)).toMatchObject({ hints: [single.hints?.[0]], hintsLeft: 1 });
    const s3 = run(single, [{ type: 'hint' }, { type: 'hint' }, { type: 'hint' }]);
    expect(viewQuestion(single, s3)).toMatchObject({ hints: single.hints, hintsLeft: 0 });
  });

  it('showing the solution freezes the score: a right answer afterwards does not count', () => {
    const s = run(single, [
      { type: 'show-solution' },
      { type: 'edit', response: { type: 'single', choice: 'quarter' } },
      { type: 'submit' },
    ]);
    const v = viewQuestion(single, s);
    expect(v).toMatchObject({ status: 'correct', best: 0, solution: { text: '1/4', ids: ['quarter'] } });
  });

  it('reset returns to the initial state', () => {
    const s = run(single, [
      { type: 'hint' },
      { type: 'edit', response: { type: 'single', choice: 'one' } },
      { type: 'submit' },
      { type: 'reset' },
    ]);
    expect(s).toEqual(initialState());
  });

  it('submitting nothing, or unreadable input, is not an attempt', () => {
    expect(run(single, [{ type: 'submit' }])).toMatchObject({ attempts: 0, invalid: 'Answer first.' });
    const n = instantiate({ id: 'n', type: 'numeric', prompt: 'p', key: { value: 0.25 }, tolerance: { rel: 0.01 } });
    const s = [{ type: 'edit', response: { type: 'numeric', text: '0,25' } }, { type: 'submit' }].reduce(
      (st, a) => reduce(n, st, a as QuizAction),
      initialState(),
    );
    expect(s.attempts).toBe(0);
    expect(viewQuestion(n, s)).toMatchObject({
      status: 'unanswered',
      locked: false,
      invalid: expect.stringContaining('point'),
    });
  });

  it('predict: commit locks the prediction; a run before the commit is ignored; the run grades it', () => {
    const p = instantiate(
      {
        id: 'p',
        type: 'predict',
        prompt: 'p',
        run: {},
        metric: 'deltaRatio',
        key: { compute: 'k' },
        input: 'number',
        tolerance: { decades: 0.5 },
      },
      0,
      38.4,
    );
    const go = (actions: QuizAction[], from = initialState()) => actions.reduce((s, a) => reduce(p, s, a), from);
    const early = go([
      { type: 'edit', response: { type: 'predict', text: '40' } },
      { type: 'observe', observation: { actual: 38.4 } },
    ]);
    expect(early.result).toBeUndefined();
    expect(viewQuestion(p, early)).toMatchObject({ canCommit: true, canRun: false });
    const committed = go([{ type: 'commit' }], early);
    expect(viewQuestion(p, committed)).toMatchObject({ locked: true, canRun: true });
    expect(reduce(p, committed, { type: 'edit', response: { type: 'predict', text: '1' } })).toBe(committed);
    const done = go([{ type: 'observe', observation: { actual: 38.4 } }], committed);
    expect(viewQuestion(p, done)).toMatchObject({ status: 'correct', best: 1 });
    expect(viewQuestion(p, go([{ type: 'show-solution' }], done)).solution?.text).toBe('deltaRatio = 38.4');
  });

  it('diagnose with `fixed`: no Check; the run grades the chosen pathology with the re-run; retry re-runs', () => {
    const d = instantiate({
      id: 'd',
      type: 'diagnose',
      prompt: 'p',
      run: {},
      options: [
        { id: 'dead', label: 'Dead ReLUs', correct: true },
        { id: 'nan', label: 'Divergence' },
      ],
      controls: ['lr'],
      fixed: { metric: 'finalDead', op: 'le', value: 0.25 },
    });
    const go = (actions: QuizAction[], from = initialState()) => actions.reduce((s, a) => reduce(d, s, a), from);
    const early = go([{ type: 'observe', observation: { state: { finalDead: 0 } } }]);
    expect(early.result).toBeUndefined();
    expect(early.invalid).toBe('Choose what is wrong first.');
    const chosen = go([{ type: 'edit', response: { type: 'diagnose', pathology: 'dead' } }]);
    expect(viewQuestion(d, chosen)).toMatchObject({ canSubmit: false, canRun: true });
    expect(go([{ type: 'submit' }], chosen)).toBe(chosen);
    const bad = go([{ type: 'observe', observation: { state: { finalDead: 0.7 } } }], chosen);
    expect(viewQuestion(d, bad)).toMatchObject({ status: 'partial', best: 0.5, canRun: false, canRetry: true });
    const good = go([{ type: 'retry' }, { type: 'observe', observation: { state: { finalDead: 0.03 } } }], bad);
    expect(viewQuestion(d, good)).toMatchObject({ status: 'correct', best: 1, attempts: 2 });
    expect(viewQuestion(d, go([{ type: 'show-solution' }], good)).solution?.text).toBe(
      'Dead ReLUs; a fix counts when the re-run reaches finalDead ≤ 0.25',
    );
  });
});
