/**
 * Page 12's jobs against independent computations: the gradient check's numeric slopes against central
 * differences computed here by hand on a tiny network rebuilt from the engine's weights; the page's
 * claims about the check (round-off scales like 1/h, vanishing drives the relative error up, float32 and
 * kinks); the sanity loss against ln C; and the diagnose questions against doctor().
 */
import { doctor } from '@gradlab/probes';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { doctorJob } from '../src/lab/doctor-job.ts';
import { gradcheck } from '../src/lab/gradcheck-job.ts';
import { OUTPUT_GAINS, sanity } from '../src/lab/sanity-job.ts';
import { FIXES } from '../src/quiz/configs.ts';
import { DEBUG_KEYS, GRADCHECK_CONFIGS } from '../src/quiz/debug-keys.ts';
import page12 from '../src/quizzes/12-debugging-toolkit.json' with { type: 'json' };

const net = (o: Record<string, number | string> = {}) => ({ ...GRADCHECK_CONFIGS['tanh-h-1e-5'], ...o });

describe('gradcheck job', () => {
  it('the engine gradient of a smooth net checks below 1e-6 at every layer (float64, h = 1e-5)', () => {
    const r = gradcheck(buildRegistry, net());
    for (const v of r.relError) expect(v!).toBeLessThan(1e-6);
    expect(r.kinksCrossed.every((k) => k === 0)).toBe(true);
  });

  it('relative error is the ratio of the round-off floor to the gradient: vanishing gradients fail the check', () => {
    const sig = gradcheck(buildRegistry, net({ activation: 'sigmoid' }));
    expect(sig.relError[0]!).toBeGreaterThan(1e-4); // "uncomfortable" although the code is the same
    expect(sig.relError.at(-1)!).toBeLessThan(1e-7);
    for (const a of sig.absError) expect(a!).toBeLessThan(1e-10); // an absolute test would pass anything
    const deep = gradcheck(buildRegistry, net({ activation: 'sigmoid', depth: 20 }));
    expect(deep.relError[0]!).toBeGreaterThan(1e-2); // "wrong" about a correct gradient
    // Round-off ε|L|/h: the absolute error at layer 1 grows ~100× from h = 1e-5 to 1e-7 (within 3×).
    const fine = gradcheck(buildRegistry, net({ activation: 'sigmoid', depth: 20, h: 1e-7 }));
    const growth = fine.absError[0]! / deep.absError[0]!;
    expect(growth).toBeGreaterThan(100 / 3);
    expect(growth).toBeLessThan(300);
    // And a larger h brings the 10-layer sigmoid's first layer down, as the page says.
    expect(gradcheck(buildRegistry, net({ activation: 'sigmoid', h: 1e-3 })).relError[0]!).toBeLessThan(
      sig.relError[0]!,
    );
    expect(gradcheck(buildRegistry, net({ activation: 'sigmoid', h: 1e-7 })).relError[0]!).toBeGreaterThan(
      sig.relError[0]!,
    );
  });

  it('float32 loss values make every layer "wrong"; ReLU at h = 0.01 crosses kinks, at 1e-5 none', () => {
    for (const v of gradcheck(buildRegistry, net({ precision: 'float32' })).relError) expect(v!).toBeGreaterThan(1e-2);
    const coarse = gradcheck(buildRegistry, net({ activation: 'relu', initializer: 'he', h: 0.01 }));
    expect(coarse.kinksCrossed[0]).toBeGreaterThan(0);
    expect(coarse.relError[0]!).toBeGreaterThan(1e-2);
    const fine = gradcheck(buildRegistry, net({ activation: 'relu', initializer: 'he' }));
    expect(fine.kinksCrossed.every((k) => k === 0)).toBe(true);
    for (const v of fine.relError) expect(v!).toBeLessThan(1e-6);
  });

  it('a loss quadratic in the checked weight checks to round-off: the output layer of a 1-hidden-layer MSE net', () => {
    // L is exactly quadratic in each output weight, so the centred difference has no truncation error.
    const r = gradcheck(buildRegistry, net({ depth: 1, width: 4, batch: 5 }));
    expect(r.relError.at(-1)!).toBeLessThan(1e-8);
  });
});

describe('sanity loss', () => {
  it('tiny output weights start at ln C (no information); large ones far above', () => {
    for (const classes of [4, 10]) {
      const r = sanity(buildRegistry, {
        activation: 'relu',
        initializer: 'he',
        depth: 4,
        width: 32,
        batch: 64,
        seed: 0,
        gain: 1,
        classes,
      });
      expect(r.chanceLoss).toBe(Math.log(classes));
      expect(Math.abs(r.loss[0]! - Math.log(classes))).toBeLessThan(0.01);
      expect(r.loss[OUTPUT_GAINS.length - 1]!).toBeGreaterThan(2 * Math.log(classes));
      expect(Math.abs(DEBUG_KEYS['sanity-chance']({ classes }) - Math.log(classes))).toBeLessThan(0.01);
    }
  });

  it('relative-error key: |a − n| / max(|a|, |n|)', () => {
    expect(DEBUG_KEYS['relative-error']({ analytic: 0.002, numeric: 0.00202 })).toBeCloseTo(0.00002 / 0.00202, 14);
  });
});

describe('doctor in the page, and the diagnose questions', () => {
  it("doctorJob is doctor()'s report: findings and each fix's change and cleared flag", () => {
    const s = { activation: 'sigmoid', initializer: 'glorot', depth: 10, width: 64, batch: 64, seed: 0, gain: 1 };
    const mine = doctorJob(buildRegistry, s);
    const theirs = doctor({ kind: 'probe', options: s }, { registry: buildRegistry, syntax: 'cli' });
    expect(mine.fixes.map((f) => [f.change, f.cleared])).toEqual(theirs.fixes.map((f) => [f.change, f.cleared]));
    expect(mine.fixes.find((f) => f.change === '--activation relu --init he')?.cleared).toBe(true);
    expect(mine.fixes.find((f) => f.change === '--init he')?.cleared).toBe(false);
  });

  it("each diagnose question's fixes agree with doctor(): the right fix is one doctor clears, doctor's failures are wrong", () => {
    for (const q of page12.questions.filter((x) => x.type === 'diagnose')) {
      const run = q.run as Record<string, number | string>;
      const report = doctor({ kind: 'probe', options: run }, { registry: buildRegistry, syntax: 'spec' });
      const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
        Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
      for (const fix of q.fixes ?? []) {
        const change = FIXES[fix.id];
        const tried = report.fixes.find((f) => same(f.setting as Record<string, unknown>, change));
        if ((fix as { correct?: boolean }).correct) expect(tried?.cleared, `${q.id}: ${fix.id}`).toBe(true);
        else if (tried) expect(tried.cleared, `${q.id}: ${fix.id}`).toBe(false);
      }
    }
  });
});
