/**
 * The quiz keys the engine computes at build time, checked against independent closed forms; and every
 * quiz file of the site, loaded as the build loads it (validated, keyed, diagnose answers verified).
 */
import { evaluatePredicate, type QuizFile } from '@gradlab/quiz';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { createJobs } from '../src/lab/jobs.ts';
import type { ProbeResult, Setting } from '../src/lab/protocol.ts';
import { KEYS } from '../src/quiz/keys.ts';
import { allQuizzes, loadQuizFile } from '../src/quiz/load.ts';
import { metricsOf } from '../src/quiz/metrics.ts';
import page0 from '../src/quizzes/0-backprop-is-a-product.json' with { type: 'json' };

const key = (name: string, args: Record<string, string | number | boolean>) =>
  KEYS[name](
    args,
    { question: 'q', variant: 0, compute: name, args },
    { id: 'q', type: 'numeric', prompt: 'p', key: { compute: name }, tolerance: { rel: 0.1 } },
    buildRegistry,
  );

describe('key facts, against closed forms', () => {
  it('max σ′ = 1/4 exactly (σ(0)(1 − σ(0))); max tanh′ = 1; max softsign′ = 1; max hard-sigmoid′ = 1/6', () => {
    expect(key('derivative-max', { activation: 'sigmoid' })).toBe(0.25);
    expect(key('derivative-max', { activation: 'tanh' })).toBe(1);
    expect(key('derivative-max', { activation: 'softsign' })).toBe(1);
    expect(key('derivative-max', { activation: 'hard-sigmoid' })).toBeCloseTo(1 / 6, 15);
  });

  it('(1/4)^10 = 2^-20 = 9.5367431640625e-7 exactly; σ′(6) = e^-6/(1 + e^-6)²', () => {
    expect(key('derivative-power', { activation: 'sigmoid', z: 0, depth: 10 })).toBe(2 ** -20);
    expect(key('derivative-power', { activation: 'sigmoid', z: 0, depth: 10 })).toBe(9.5367431640625e-7);
    const e = Math.exp(-6);
    expect(key('derivative-power', { activation: 'sigmoid', z: 6, depth: 1 })).toBeCloseTo(e / (1 + e) ** 2, 15);
  });

  it('global-norm clipping of (30, 40) at maxNorm 5 scales by 5/50 = 0.1', () => {
    expect(key('clip-global-norm-scale', { maxNorm: 5, a: 30, b: 40 })).toBeCloseTo(5 / Math.hypot(30, 40), 14);
    expect(key('clip-global-norm-scale', { maxNorm: 10, a: 30, b: 40 })).toBeCloseTo(0.2, 14);
  });

  it('clipping (10, 0.5) by value at ±1 gives (1, 0.5): cos = 10.25/(√100.25·√1.25) ≈ 0.9156, not 1', () => {
    const cos = 10.25 / (Math.sqrt(100.25) * Math.sqrt(1.25));
    expect(key('clip-value-cosine', { clip: 1, a: 10, b: 0.5 })).toBeCloseTo(cos, 14);
    expect(cos).toBeCloseTo(0.9156, 4);
  });

  it("Adam's first step is ≈ lr whatever the gradient's scale: lr·|g|/(|g| + 1e-8)", () => {
    for (const g of [1e-6, 1, 1000]) {
      const step = key('adam-first-step', { lr: 0.001, grad: g });
      expect(step).toBeCloseTo((0.001 * g) / (g + 1e-8), 12);
      expect(Math.abs(step / 0.001 - 1)).toBeLessThan(0.011);
    }
  });

  it('He/Glorot std ratio for a square layer is √2 (2/n against 2/(n + n)); Glorot Var for 256 → 64 is 2/320', () => {
    for (const n of [64, 256])
      expect(key('init-std-ratio', { a: 'he', b: 'glorot', fanIn: n, fanOut: n })).toBeCloseTo(Math.SQRT2, 14);
    expect(key('init-variance', { initializer: 'glorot', fanIn: 256, fanOut: 64 })).toBeCloseTo(2 / 320, 16);
    expect(key('init-variance', { initializer: 'he', fanIn: 128, fanOut: 64 })).toBeCloseTo(2 / 128, 16);
    expect(key('init-variance', { initializer: 'lecun', fanIn: 256, fanOut: 64 })).toBeCloseTo(1 / 256, 16);
  });

  it('mean-field ratio for ReLU at He × g over 10 hidden layers is g^9 (χ = g² per step)', () => {
    for (const g of [1.5, 0.8]) {
      const r = key('probe-metric', {
        metric: 'predictedRatio',
        activation: 'relu',
        initializer: 'he',
        gain: g,
        depth: 10,
        width: 64,
        batch: 64,
        seed: 0,
      });
      expect(Math.abs(r / g ** 9 - 1)).toBeLessThan(1e-6);
    }
  });
});

describe('the site’s quiz files', () => {
  const quizzes = allQuizzes();

  it('load as the build loads them: ≥ 4 questions per page, every type used, each of the 8 myths has a question', () => {
    const counts = Object.fromEntries(quizzes.map((q) => [q.page, q.questions.length]));
    for (const [page, n] of Object.entries(counts)) expect(n, page).toBeGreaterThanOrEqual(4);
    const types = new Set(quizzes.flatMap((q) => q.questions.map((x) => x.type)));
    expect([...types].sort()).toEqual([
      'diagnose',
      'goal',
      'matching',
      'multiple',
      'numeric',
      'ordering',
      'predict',
      'single',
    ]);
    const myths = quizzes.find((q) => q.page === 'myths')!;
    const tags = myths.questions.flatMap((q) => q.variants[0].tags ?? []).filter((t) => t.startsWith('myth:'));
    expect(new Set(tags).size).toBe(8);
    expect(myths.questions.every((q) => q.variants[0].tags?.some((t) => t.startsWith('myth:')))).toBe(true);
  });

  // A setting that reaches each goal (found with the page's own controls); the start must not.
  const WITNESS: Record<string, Setting> = {
    'tame-the-ratio': { activation: 'relu', initializer: 'he' },
    'tanh-gain-goal': { gain: 1.4 },
    'sgd-lr-goal': { lr: 0.01 },
    'fix-small-init-goal': { initializer: 'he' },
    'kill-then-revive': { lr: 0.03, reviveActivation: 'leaky-relu', alpha: 0.2, reviveLr: 0.001 },
    'tame-the-run': { clip: 'norm', clipThreshold: 1 },
    'sparse-and-learning': { reg: 'l1', lambda: 0.01 },
    'make-it-train': { residual: 'on' },
  };

  // One test per goal (training goals run two full trainings each), with room for a loaded machine.
  const goals = quizzes.flatMap((q) => q.questions.filter((x) => x.type === 'goal'));
  it('every goal has a witness setting', () => {
    expect(goals.map((g) => g.id).sort()).toEqual(Object.keys(WITNESS).sort());
  });
  for (const g of goals) {
    it(`goal ${g.id} can be reached with its controls, and is not reached at the start`, { timeout: 120_000 }, () => {
      const jobs = createJobs(buildRegistry);
      const q = g.variants[0];
      if (q.type !== 'goal') throw new Error('not a goal');
      const start = g.lab!.preset;
      for (const name of Object.keys(WITNESS[g.id] ?? {}))
        expect(
          g.lab!.controls.map((c) => c.name),
          g.id,
        ).toContain(name);
      const at = (s: Setting) =>
        metricsOf(g.lab!.job === 'train' ? jobs.train(s).finish() : (jobs.probe(s) as ProbeResult), s);
      expect(evaluatePredicate(q.goal, at(start)), `${g.id} at the start`).toBe(false);
      expect(evaluatePredicate(q.goal, at({ ...start, ...WITNESS[g.id] })), `${g.id} with its witness`).toBe(true);
    });
  }

  it('a hand-typed key, or a diagnose answer the probes do not back, fails the build naming file and question', () => {
    const typed = structuredClone(page0) as unknown as QuizFile & { questions: Record<string, unknown>[] };
    typed.questions[0].key = { value: 0.25 };
    expect(() => loadQuizFile('apps/site/src/quizzes/0-backprop-is-a-product.json', typed)).toThrow(
      /0-backprop-is-a-product\.json: question "chain-of-sigmoids", field `key\.value`: is typed by hand/,
    );
    const wrong = structuredClone(page0) as unknown as QuizFile & { questions: Record<string, unknown>[] };
    const d = wrong.questions.find((q) => q.id === 'diagnose-deep-sigmoid') as {
      fixes: { id: string; correct?: boolean }[];
    };
    d.fixes = d.fixes.map((f) => ({ ...f, correct: f.id === 'wider' }));
    expect(() => loadQuizFile('x.json', wrong)).toThrow(
      'x.json: question "diagnose-deep-sigmoid": fix "relu-he" also clears VANISHING_GRADIENTS, so it is not wrong',
    );
  });
});
