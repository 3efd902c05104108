import { describe, expect, it } from 'vitest';
import { assertQuiz, formatIssue, type QuizFile, validateQuiz } from '../src/index.ts';

const FILE = 'src/quizzes/relu.json';
const METRICS = ['deltaRatio', 'nonFinite', 'batchNorm', 'dead'];

/** A valid quiz with one question of every type. */
function quiz(): Record<string, unknown> & { questions: Record<string, unknown>[] } {
  return structuredClone({
    format: 'gradlab/quiz@1',
    page: 'relu-explodes',
    title: 'ReLU can still explode',
    questions: [
      {
        id: 'single',
        type: 'single',
        prompt: 'p',
        options: [
          { id: 'a', label: 'A', correct: true },
          { id: 'b', label: 'B', feedback: 'no' },
        ],
      },
      {
        id: 'multiple',
        type: 'multiple',
        prompt: 'p',
        partialCredit: 'coverage',
        options: [
          { id: 'a', label: 'A', correct: true },
          { id: 'b', label: 'B' },
        ],
      },
      {
        id: 'numeric',
        type: 'numeric',
        prompt: 'Depth {{depth}}',
        variants: { params: { depth: [5, 10] } },
        key: { compute: 'sigmoid-chain', args: { depth: '$depth' } },
        tolerance: { sigfigs: 2 },
        ranges: [{ decades: [1.5, 2.5], feedback: 'too high' }],
      },
      {
        id: 'ordering',
        type: 'ordering',
        prompt: 'p',
        items: [
          { id: 'x', label: 'X' },
          { id: 'y', label: 'Y' },
        ],
        key: { compute: 'order' },
      },
      {
        id: 'matching',
        type: 'matching',
        prompt: 'p',
        prompts: [
          { id: 'vanish', label: 'V' },
          { id: 'explode', label: 'E' },
        ],
        choices: [
          { id: 'he', label: 'He' },
          { id: 'clip', label: 'Clip' },
        ],
        pairs: { vanish: 'he', explode: 'clip' },
        feedback: { vanish: { clip: 'no' } },
      },
      {
        id: 'predict',
        type: 'predict',
        prompt: 'p',
        run: { gain: 1.5 },
        metric: 'deltaRatio',
        key: { compute: 'probe' },
        input: 'log-slider',
        slider: [-6, 6],
        tolerance: { decades: 0.5 },
      },
      {
        id: 'goal',
        type: 'goal',
        prompt: 'p',
        setup: {},
        controls: ['gain'],
        goal: {
          all: [
            { metric: 'deltaRatio', op: 'between', value: [0.5, 2] },
            { metric: 'batchNorm', op: 'eq', value: false },
          ],
        },
      },
      {
        id: 'diagnose',
        type: 'diagnose',
        prompt: 'p',
        run: { seed: 1 },
        options: [
          { id: 'dead', label: 'Dead', correct: true },
          { id: 'vanish', label: 'Vanishing' },
        ],
        fixes: [
          { id: 'leaky', label: 'Leaky', correct: true },
          { id: 'width', label: 'Width' },
        ],
      },
    ],
  });
}

const issues = (json: unknown, options: Partial<Parameters<typeof validateQuiz>[1]> = {}) =>
  validateQuiz(json, { file: FILE, metrics: METRICS, ...options }).map(formatIssue);

/** Change question `id` of a fresh valid quiz and return the issues. */
function withQuestion(id: string, change: (q: Record<string, unknown>) => void) {
  const json = quiz();
  change(json.questions.find((q) => q.id === id) as Record<string, unknown>);
  return issues(json);
}

describe('validateQuiz: a valid quiz', () => {
  it('has no issues, and assertQuiz narrows it', () => {
    const json: unknown = quiz();
    expect(issues(json)).toEqual([]);
    assertQuiz(json, { file: FILE, metrics: METRICS, computes: ['sigmoid-chain', 'order', 'probe'] });
    const typed: QuizFile = json;
    expect(typed.questions).toHaveLength(8);
  });
});

describe('validateQuiz: file-level errors', () => {
  it('not an object; wrong format, page and title; no questions; unknown key', () => {
    expect(issues(null)).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: field \`(file)\`: must be an object (received null). Fix: write it as { … }",
      ]
    `);
    expect(
      issues({ format: 'gradlab/quiz@2', page: 'ReLU Page', title: 3, questions: [], extra: true }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: field \`extra\`: is not a field of this schema. Fix: remove it; allowed: format, page, title, questions",
        "src/quizzes/relu.json: field \`format\`: must be "gradlab/quiz@1" (received "gradlab/quiz@2"). Fix: write "format": "gradlab/quiz@1"",
        "src/quizzes/relu.json: field \`page\`: must be a kebab-case id such as "max-slope" (received "ReLU Page"). Fix: use lower-case letters, digits and dashes",
        "src/quizzes/relu.json: field \`title\`: must be a non-empty string (received 3). Fix: write the title as text",
        "src/quizzes/relu.json: field \`questions\`: is empty. Fix: add questions",
      ]
    `);
  });

  it('duplicate question ids and a question that is not an object', () => {
    const json = quiz();
    json.questions[1].id = 'single';
    json.questions.push(7 as never);
    expect(issues(json)).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "single", field \`id\`: "single" is used by an earlier question. Fix: give every question its own id",
        "src/quizzes/relu.json: question "#9", field \`(question)\`: must be an object (received 7). Fix: write it as { … }",
      ]
    `);
  });
});

describe('validateQuiz: question errors name the question, the field and the fix', () => {
  it('base fields: bad id, unknown type with a suggestion, empty prompt, hints, points, tags, unknown key', () => {
    expect(
      withQuestion('single', (q) => {
        q.prompt = '';
        q.hint = ['x'];
        q.hints = [''];
        q.points = 0;
        q.tags = [3];
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "single", field \`hint\`: is not a field of this schema. Fix: did you mean \`hints\`?",
        "src/quizzes/relu.json: question "single", field \`prompt\`: must be a non-empty string (received ""). Fix: write the prompt as text",
        "src/quizzes/relu.json: question "single", field \`hints[0]\`: must be a non-empty string (received ""). Fix: write the hints as text",
        "src/quizzes/relu.json: question "single", field \`points\`: must be a finite number > 0 (received 0). Fix: write a number such as 0.5",
        "src/quizzes/relu.json: question "single", field \`tags[0]\`: must be a non-empty string (received 3). Fix: write the tags as text",
      ]
    `);
    expect(withQuestion('single', (q) => (q.type = 'singel'))).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "single", field \`type\`: must be one of "single", "multiple", "numeric", "ordering", "matching", "predict", "goal", "diagnose" (received "singel"). Fix: did you mean "single"?",
      ]
    `);
    expect(withQuestion('single', (q) => (q.id = 'Max Slope'))).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "Max Slope", field \`id\`: must be a kebab-case id such as "max-slope" (received "Max Slope"). Fix: use lower-case letters, digits and dashes",
      ]
    `);
  });

  it('choice options: too few, duplicate ids, "correct": "yes", no correct, two correct', () => {
    expect(
      withQuestion('single', (q) => (q.options = [{ id: 'a', label: 'A', correct: true }])),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "single", field \`options\`: needs at least 2 options (has 1). Fix: add options",
      ]
    `);
    expect(
      withQuestion('single', (q) => {
        q.options = [
          { id: 'a', label: 'A', correct: 'yes' },
          { id: 'a', label: '' },
        ];
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "single", field \`options[0].correct\`: must be true or false (received "yes"). Fix: write true or false, without quotes",
        "src/quizzes/relu.json: question "single", field \`options[1].id\`: "a" is used twice. Fix: give every option its own id",
        "src/quizzes/relu.json: question "single", field \`options[1].label\`: must be a non-empty string (received ""). Fix: write the label as text",
        "src/quizzes/relu.json: question "single", field \`options\`: needs exactly one option with "correct": true (has 0). Fix: mark the right option",
      ]
    `);
    expect(
      withQuestion('single', (q) => {
        q.options = [
          { id: 'a', label: 'A', correct: true },
          { id: 'b', label: 'B', correct: true },
        ];
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "single", field \`options\`: needs exactly one option with "correct": true (has 2). Fix: use a multiple question, or mark one",
      ]
    `);
    expect(
      withQuestion('multiple', (q) => {
        (q.options as { correct?: boolean }[])[0].correct = false;
        q.partialCredit = 'PC';
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "multiple", field \`options\`: has no option with "correct": true. Fix: mark every right option",
        "src/quizzes/relu.json: question "multiple", field \`partialCredit\`: must be one of "off", "net-correct", "each-answer", "coverage" (received "PC"). Fix: use one of "off", "net-correct", "each-answer", "coverage"",
      ]
    `);
  });

  it('numeric: key without compute or value, two tolerances, bad sig figs, ranges without bounds, reversed bounds', () => {
    expect(
      withQuestion('numeric', (q) => {
        q.key = { args: {} };
        q.tolerance = { rel: 0.01, sigfigs: 2 };
        q.ranges = [{ feedback: 'x' }, { decades: [3, 1], feedback: '' }];
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "numeric", field \`key\`: needs \`compute\` (a key function) or \`value\`. Fix: write { "compute": "…", "args": { … } }",
        "src/quizzes/relu.json: question "numeric", field \`tolerance\`: must be one of { rel, abs }, { sigfigs }, { decdigits } or { decades }. Fix: keep exactly one kind of tolerance",
        "src/quizzes/relu.json: question "numeric", field \`ranges[0]\`: has no bounds. Fix: give decades, ratio or value as [low, high]",
        "src/quizzes/relu.json: question "numeric", field \`ranges[1].decades\`: low 3 is above high 1. Fix: swap the bounds",
        "src/quizzes/relu.json: question "numeric", field \`ranges[1].feedback\`: must be a non-empty string (received ""). Fix: write the feedback as text",
      ]
    `);
    expect(withQuestion('numeric', (q) => (q.tolerance = { sigfigs: 20 }))).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "numeric", field \`tolerance.sigfigs\`: is beyond float64 precision (15 digits). Fix: use at most 15",
      ]
    `);
    expect(withQuestion('numeric', (q) => (q.tolerance = { rel: 0 }))).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "numeric", field \`tolerance\`: accepts only the exact key. Fix: give rel (e.g. 0.01 for 1%) or abs",
      ]
    `);
    expect(withQuestion('numeric', (q) => (q.tolerance = { decades: -1 }))).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "numeric", field \`tolerance.decades\`: must be a finite number > 0 (received -1). Fix: write a number such as 0.5",
      ]
    `);
  });

  it('keys: an unknown compute, a literal key where the site computes all keys', () => {
    const json = quiz();
    expect(issues(json, { computes: ['sigmoid-chain', 'order'] })).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "predict", field \`key.compute\`: "probe" is not a key function of this site. Fix: use one of sigmoid-chain, order",
      ]
    `);
    json.questions[2].key = { value: 0.25 };
    expect(issues(json, { literalKeys: false })).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "numeric", field \`key.value\`: is typed by hand, and this site computes every key. Fix: replace it by { "compute": "…" }",
      ]
    `);
  });

  it('variants: a placeholder no variant defines, empty values, mismatched lists, too many combinations', () => {
    expect(withQuestion('numeric', (q) => (q.prompt = 'Depth {{depht}}'))).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "numeric", field \`variants\`: the question uses {{depht}} or $depht, which no variant defines. Fix: add "depht" to variants.params",
      ]
    `);
    expect(withQuestion('numeric', (q) => (q.variants = { params: { depth: [] } }))).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "numeric", field \`variants.params.depth\`: is empty. Fix: add values",
      ]
    `);
    expect(withQuestion('numeric', (q) => (q.variants = { list: [{ depth: 5 }, { gain: 2 }] }))).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "numeric", field \`variants.list[1]\`: has parameters gain, not depth. Fix: give every set the same names",
      ]
    `);
    const many = Array.from({ length: 9 }, (_, i) => i);
    expect(
      withQuestion('numeric', (q) => (q.variants = { params: { depth: many, gain: many } })),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "numeric", field \`variants\`: has 81 combinations (at most 64). Fix: use fewer values or an explicit list",
      ]
    `);
  });

  it('ordering: a literal key that is not a permutation; bad partial credit', () => {
    expect(
      withQuestion('ordering', (q) => {
        q.key = { value: ['x', 'x'] };
        q.partialCredit = 'spearman';
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "ordering", field \`key.value\`: must list every item id exactly once, in the right order. Fix: use the ids x, y",
        "src/quizzes/relu.json: question "ordering", field \`partialCredit\`: must be one of "kendall", "off" (received "spearman"). Fix: use one of "kendall", "off"",
      ]
    `);
  });

  it('matching: missing pair, unknown prompt and choice ids, feedback for unknown ids', () => {
    expect(
      withQuestion('matching', (q) => {
        q.pairs = { vanish: 'nope', other: 'he' };
        q.feedback = { ghost: {}, vanish: { nope: 'x' } };
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "matching", field \`pairs.explode\`: is missing. Fix: pair "explode" with one of he, clip",
        "src/quizzes/relu.json: question "matching", field \`pairs.vanish\`: "nope" is not a choice id. Fix: use one of he, clip",
        "src/quizzes/relu.json: question "matching", field \`pairs.other\`: "other" is not a prompt id. Fix: use one of vanish, explode",
        "src/quizzes/relu.json: question "matching", field \`feedback.ghost\`: "ghost" is not a prompt id. Fix: use one of vanish, explode",
        "src/quizzes/relu.json: question "matching", field \`feedback.vanish.nope\`: "nope" is not a choice id. Fix: use one of he, clip",
      ]
    `);
  });

  it('predict: unknown metric with a suggestion, unknown input, log-slider without slider, choice bins', () => {
    expect(
      withQuestion('predict', (q) => {
        q.metric = 'deltaRatoi';
        delete q.slider;
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "predict", field \`metric\`: "deltaRatoi" is not a metric the site measures. Fix: did you mean "deltaRatio"?",
        "src/quizzes/relu.json: question "predict", field \`slider\`: is required for a log-slider. Fix: give the decades, e.g. [-12, 4]",
      ]
    `);
    expect(withQuestion('predict', (q) => (q.input = 'slider'))).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "predict", field \`input\`: must be one of "number", "log-slider", "choice" (received "slider"). Fix: use one of "number", "log-slider", "choice"",
      ]
    `);
    expect(
      withQuestion('predict', (q) => {
        q.input = 'choice';
        q.bins = [{ id: 'a', label: 'A', range: [2, 1] }];
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "predict", field \`bins\`: needs at least 2 bins (has 1). Fix: add bins",
      ]
    `);
  });

  it('goal: predicate with two forms, empty all, unknown op and metric, between without an interval', () => {
    expect(
      withQuestion('goal', (q) => {
        q.goal = {
          all: [
            { metric: 'dead', op: 'approx', value: 1 },
            { metric: 'deadd', op: 'between', value: 1 },
            { any: [] },
            { not: { metric: 'dead', op: 'lt', value: true } },
            { all: [], metric: 'dead' },
          ],
        };
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "goal", field \`goal.all[0].op\`: must be one of "lt", "le", "gt", "ge", "eq", "ne", "between" (received "approx"). Fix: use one of "lt", "le", "gt", "ge", "eq", "ne", "between"",
        "src/quizzes/relu.json: question "goal", field \`goal.all[1].metric\`: "deadd" is not a metric the site measures. Fix: did you mean "dead"?",
        "src/quizzes/relu.json: question "goal", field \`goal.all[1].value\`: must be [low, high] (received 1). Fix: write two numbers",
        "src/quizzes/relu.json: question "goal", field \`goal.all[2].any\`: is empty. Fix: add predicates",
        "src/quizzes/relu.json: question "goal", field \`goal.all[3].not.value\`: must be a finite number (received a boolean). Fix: write a number such as 0.5",
        "src/quizzes/relu.json: question "goal", field \`goal.all[4]\`: must have exactly one of all, any, not or metric (has all, metric). Fix: split it into nested predicates",
      ]
    `);
  });

  it('diagnose: fixes with no correct option; run missing', () => {
    expect(
      withQuestion('diagnose', (q) => {
        delete q.run;
        q.fixes = [
          { id: 'a', label: 'A' },
          { id: 'b', label: 'B' },
        ];
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "diagnose", field \`run\`: must be an object (received undefined). Fix: write it as { … }",
        "src/quizzes/relu.json: question "diagnose", field \`fixes\`: needs exactly one option with "correct": true (has 0). Fix: mark the right option",
      ]
    `);
  });
});

describe('diagnose with a re-run fix', () => {
  it('`fixed` is a predicate on known metrics; not with `fixes`; `controls` only with `fixed`', () => {
    expect(
      withQuestion('diagnose', (q) => {
        q.fixed = { metric: 'deltaRatoi', op: 'gt', value: 0.1 };
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "diagnose", field \`fixed.metric\`: "deltaRatoi" is not a metric the site measures. Fix: did you mean "deltaRatio"?",
        "src/quizzes/relu.json: question "diagnose", field \`fixed\`: cannot be used together with \`fixes\`. Fix: keep \`fixed\` (the learner re-runs a fix) or \`fixes\` (a choice)",
      ]
    `);
    expect(
      withQuestion('diagnose', (q) => {
        delete q.fixes;
        q.controls = ['lr'];
      }),
    ).toMatchInlineSnapshot(`
      [
        "src/quizzes/relu.json: question "diagnose", field \`controls\`: is only read with \`fixed\`. Fix: add a \`fixed\` predicate, or remove \`controls\`",
      ]
    `);
    expect(
      withQuestion('diagnose', (q) => {
        delete q.fixes;
        q.controls = ['lr'];
        q.fixed = { metric: 'deltaRatio', op: 'between', value: [0.5, 2] };
      }),
    ).toEqual([]);
  });
});

describe('assertQuiz', () => {
  it('throws one InvalidQuiz listing every problem, with a hint', () => {
    const json = quiz();
    json.questions[0].prompt = '';
    json.questions[5].metric = 'ratio';
    try {
      assertQuiz(json, { file: FILE, metrics: METRICS });
      expect.unreachable();
    } catch (error) {
      expect((error as { format(): string }).format()).toMatchInlineSnapshot(`
        "InvalidQuiz: src/quizzes/relu.json has 2 problems:
          - src/quizzes/relu.json: question "single", field \`prompt\`: must be a non-empty string (received ""). Fix: write the prompt as text
          - src/quizzes/relu.json: question "predict", field \`metric\`: "ratio" is not a metric the site measures. Fix: use one of deltaRatio, nonFinite, batchNorm, dead
          Hint: The schema is documented in the @gradlab/quiz README (Question types)."
      `);
    }
  });
});
