/**
 * The capstone (page 13): diagnose questions whose fix is graded on a re-run. Each broken run's label
 * is a measured quantity, checked here against an independent computation where one exists (the
 * mean-field theory, a closed form); a label the run does not measure as, or a `fixed` the broken
 * run already meets, fails the build naming file and question.
 */
import type { QuizFile } from '@gradlab/quiz';
import { describe, expect, it } from 'vitest';
import { computeAtBuild } from '../src/lab/build.ts';
import type { ProbeResult, RnnTimeResult, Setting } from '../src/lab/protocol.ts';
import { loadQuizFile, quizOf } from '../src/quiz/load.ts';
import { MEASURED_LABELS, siteChange } from '../src/quiz/rerun-diagnose.ts';
import capstone from '../src/quizzes/13-capstone.json' with { type: 'json' };

const FILE = 'apps/site/src/quizzes/13-capstone.json';
const runOf = (id: string) => {
  const { job: _job, ...s } = capstone.questions.find((q) => q.id === id)!.run as Setting & { job?: string };
  return s as Setting;
};
const probe = (s: Setting) => computeAtBuild('probe', s) as ProbeResult;

/** P(|Z| > a) for Z ~ N(0, 1), by Simpson's rule on the density (independent of the engine). */
function twoSidedTail(a: number): number {
  const n = 20_000;
  const h = a / n;
  const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  let s = phi(0) + phi(a);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * phi(i * h);
  return 1 - (2 * (s * h)) / 3;
}

describe('the capstone’s broken runs, measured', () => {
  const quiz = quizOf('13-capstone');
  const rerun = quiz.questions.filter((q) => q.rerun);

  it('six runs: every measured label is some run’s answer; each has a doctor fix that passes its check', () => {
    const labels = rerun.map((q) => {
      const v = q.variants[0];
      return v.type === 'diagnose' ? v.options.find((o) => o.correct)!.id : '';
    });
    expect(labels.length).toBe(6);
    expect([...new Set(labels)].sort()).toEqual(Object.keys(MEASURED_LABELS).sort());
    for (const q of rerun)
      expect(
        q.rerun!.fixes.some((f) => f.cleared && f.passes),
        q.id,
      ).toBe(true);
  });

  it('through time: a linear RNN with W_h = 1.2 × orthogonal scales ‖∂L/∂h‖ by exactly 1.2 per step back', () => {
    const r = computeAtBuild('rnn-time', runOf('run-f')) as RnnTimeResult;
    expect(Math.abs(r.ratio! / 1.2 ** 49 - 1)).toBeLessThan(1e-9);
    expect(r.ratio!).toBeGreaterThanOrEqual(100);
  });

  it('vanishing and exploding: the mean-field prediction (a second computation) agrees with the label', () => {
    const a = probe(runOf('run-a'));
    expect(a.ratio!).toBeLessThanOrEqual(1e-3);
    expect(a.predictedRatio!).toBeLessThanOrEqual(1e-3);
    const b = probe(runOf('run-b'));
    expect(b.ratio!).toBeGreaterThanOrEqual(100);
    // ReLU at He × g: χ = g² per layer, so the prediction over 9 layer steps is g⁹ = 2⁹.
    expect(Math.abs(b.predictedRatio! / 2 ** 9 - 1)).toBeLessThan(1e-6);
  });

  it('saturation: the first layer’s saturated share matches P(|z| > atanh(√0.99)) for z ~ N(0, 64)', () => {
    // tanh′(z) = 1 − tanh²(z) < 0.01 ⇔ |z| > atanh(√0.99); with N(0, 1) weights and inputs, z has std √64.
    const p = twoSidedTail(Math.atanh(Math.sqrt(0.99)) / 8);
    expect(p).toBeGreaterThan(0.6);
    const c = probe(runOf('run-c'));
    expect(Math.abs(c.saturation[0]! - p)).toBeLessThan(0.1);
  });

  it('doctor’s relative learning-rate changes land on the control’s values (0.1 × 0.1 = 0.01, not 0.010000000000000002)', () => {
    expect(siteChange({ lr: 0.1 }, { lrFactor: 0.1 })).toEqual({ lr: 0.01 });
    expect(siteChange({ lr: 0.1 }, { lrFactor: 0.01 })).toEqual({ lr: 0.001 });
    expect(siteChange({}, { bias: 0.01, clipping: 'global-norm' })).toEqual({ biasInit: 0.01, clip: 'global-norm' });
    // An orthogonal W_h has spectral radius 1: doctor's fix is the rnn-time job's ρ = 1.
    expect(siteChange({}, { recurrentInitializer: 'orthogonal' })).toEqual({ recurrent: 'orthogonal', rho: 1 });
    expect(siteChange({}, { recurrentInitializer: 'normal' })).toBeUndefined();
  });

  it('a label the run does not measure as, or a fix predicate the broken run already meets, fails the build', () => {
    const wrong = structuredClone(capstone) as unknown as QuizFile & { questions: Record<string, unknown>[] };
    const q = wrong.questions.find((x) => x.id === 'run-b') as {
      options: { id: string; correct?: boolean }[];
    };
    q.options = q.options.map(({ correct: _c, ...o }) => (o.id === 'vanishing' ? { ...o, correct: true } : o));
    expect(() => loadQuizFile(FILE, wrong)).toThrow(
      `${FILE}: question "run-b": the run does not measure as "vanishing" (ratio ≤ 0.001 is not met)`,
    );
    const met = structuredClone(capstone) as unknown as QuizFile & { questions: Record<string, unknown>[] };
    (met.questions.find((x) => x.id === 'run-b') as { fixed: unknown }).fixed = {
      metric: 'ratio',
      op: 'ge',
      value: 1,
    };
    expect(() => loadQuizFile(FILE, met)).toThrow(/question "run-b": the broken run already meets fixed/);
  });
});
