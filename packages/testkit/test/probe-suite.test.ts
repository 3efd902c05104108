import { defineProbe, type Finding, type FindingCode, type ProbeFunctions, type StepTrace } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  checkBoundedHistory,
  checkFindingShape,
  checkHealthy,
  checkObserverOnly,
  checkReportJson,
  checkScenario,
  describeProbe,
  jsonProblems,
  PROBE_SCENARIOS,
  probeChecks,
  runScenario,
  type ScenarioCode,
} from '../src/probe.ts';

const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

const make = (emits: readonly FindingCode[], create: () => ProbeFunctions) =>
  defineProbe({
    meta: { id: 'fixture', title: 'Fixture', summary: 'A test probe.', emits, cost: 'cheap' },
    create,
  });

/** A small but correct vanishing/exploding/NaN detector, with hooks to break it one way at a time. */
function detector(tweak: { report?: (h: number[]) => unknown; keep?: number; nanLayer?: 'source' | 'last' } = {}) {
  return () => {
    const history: number[] = [];
    let nanSeen = false;
    return {
      onStep(trace: StepTrace): Finding[] {
        const found: Finding[] = [];
        const ls = trace.layers;
        if (!nanSeen) {
          const bad = ls.findIndex((l) => l.a.some((v) => !Number.isFinite(v)));
          if (bad >= 0) {
            nanSeen = true;
            const layer = tweak.nanLayer === 'last' ? ls.length - 1 : bad;
            found.push({
              code: 'NAN_DETECTED',
              severity: 'error',
              step: trace.step,
              layer,
              message: 'NaN',
              evidence: {},
            });
          }
        }
        const r = norm(ls[0].delta) / norm(ls[ls.length - 2].delta);
        history.push(r);
        if (history.length > (tweak.keep ?? 10)) history.shift();
        const evidence = { ratio: Number.isFinite(r) ? r : String(r) };
        if (r < 1e-3)
          found.push({ code: 'VANISHING_GRADIENTS', severity: 'warn', step: trace.step, message: 'v', evidence });
        if (r > 10)
          found.push({ code: 'EXPLODING_GRADIENTS', severity: 'warn', step: trace.step, message: 'e', evidence });
        return found;
      },
      report: () =>
        tweak.report ? tweak.report(history) : { ratios: history.map((r) => (Number.isFinite(r) ? r : null)) },
    };
  };
}

const CODES: ScenarioCode[] = ['VANISHING_GRADIENTS', 'EXPLODING_GRADIENTS', 'NAN_DETECTED'];
const good = make(CODES, detector());

describe('the scenarios do what they say', () => {
  it('in the NaN scenario, NaN first appears in a of layer 2 at step 3', () => {
    let seen: { step: number; bad: number[] } | undefined;
    const spy = defineProbe({
      meta: { id: 'spy', title: 'Spy', summary: 'Spy.', emits: [], cost: 'cheap' },
      create: () => ({
        onStep(t: StepTrace) {
          const bad = t.layers.flatMap((l) => (l.a.some(Number.isNaN) ? [l.index] : []));
          if (bad.length && !seen) seen = { step: t.step, bad };
        },
        report: () => null,
      }),
    });
    runScenario(PROBE_SCENARIOS.NAN_DETECTED, [spy()]);
    expect(seen).toEqual({ step: 3, bad: [2, 3, 4] });
  });
});

describe('probe checks pass on a correct probe', () => {
  for (const check of probeChecks(good)) it(check.name, () => expect(check.run()).toEqual({ ok: true, failures: [] }));
});

describe('each probe check fails on a broken probe', () => {
  it('finds-*: a probe that never reports fails every scenario it claims', () => {
    const silent = make(CODES, () => ({ report: () => ({}) }));
    for (const code of CODES) {
      const r = checkScenario(silent, code);
      expect(r.ok).toBe(false);
      expect(r.failures[0]).toContain(`gave no findings, not ${code}`);
    }
  });

  it('finds-NAN_DETECTED: blaming the layer the NaN spread to fails', () => {
    const r = checkScenario(make(CODES, detector({ nanLayer: 'last' })), 'NAN_DETECTED');
    expect(r.ok).toBe(false);
    expect(r.failures[0]).toMatch(/NAN_DETECTED at step 3, layer 4.*not NAN_DETECTED at layer 2, step 3/);
  });

  it('healthy: a probe that always complains fails', () => {
    const noisy = make(['SATURATION'], () => ({
      onStep: (t) => [{ code: 'SATURATION', severity: 'warn', step: t.step, message: 'always', evidence: {} }],
      report: () => ({}),
    }));
    expect(checkHealthy(noisy).failures[0]).toMatch(/^healthy net: SATURATION at step 0: always/);
  });

  it('report-json: NaN, Infinity and typed arrays in a report fail', () => {
    const typed = make(CODES, detector({ report: (h) => ({ ratios: Float64Array.from(h) }) }));
    expect(checkReportJson(typed).failures[0]).toMatch(/report\.ratios is a Float64Array/);
    const raw = make(CODES, detector({ report: (h) => ({ ratios: h }) }));
    expect(checkReportJson(raw).failures.some((f) => /is (NaN|Infinity)/.test(f))).toBe(true);
  });

  it('finding-shape: undeclared codes and non-finite evidence fail', () => {
    const undeclared = make(['VANISHING_GRADIENTS'], detector());
    expect(checkFindingShape(undeclared).failures.join('\n')).toContain('EXPLODING_GRADIENTS is not in meta.emits');
    const badEvidence = make(['SATURATION'], () => ({
      onStep: (t) =>
        t.step === 0
          ? [{ code: 'SATURATION', severity: 'warn', step: 0, layer: 0.5, message: '', evidence: { x: Number.NaN } }]
          : [],
      report: () => ({}),
    }));
    const failures = checkFindingShape(badEvidence).failures.join('\n');
    expect(failures).toContain('has layer 0.5');
    expect(failures).toContain('has no message');
    expect(failures).toContain('evidence.x is NaN');
  });

  it('bounded-history: a report that keeps every step fails', () => {
    const r = checkBoundedHistory(make(CODES, detector({ keep: Number.POSITIVE_INFINITY })));
    expect(r.ok).toBe(false);
    expect(r.failures[0]).toMatch(/grows from \d+ characters after 200 steps/);
  });

  it('observer-only: a probe that edits gradients, or shares state between instances, fails', () => {
    const meddler = make([], () => ({
      onStep: (t) => void t.params[0].value.fill(0),
      report: () => ({}),
    }));
    expect(checkObserverOnly(meddler).failures[0]).toMatch(/with the probe attached/);
    let shared = 0;
    const leaky = make([], () => ({ onStep: () => void shared++, report: () => ({ steps: shared }) }));
    expect(checkObserverOnly(leaky).failures).toContain('a new instance reports data from an earlier instance');
  });
});

describe('jsonProblems', () => {
  it('names the path of each value JSON would lose', () => {
    expect(
      jsonProblems({ a: [1, null, Number.NaN], b: { c: Number.NEGATIVE_INFINITY }, d: new Map(), e: undefined }),
    ).toEqual(['report.a[2] is NaN', 'report.b.c is -Infinity', 'report.d is a Map']);
    expect(jsonProblems([undefined])).toEqual(['report[0] is undefined']);
  });
});

describe('describeProbe registers the suite', () => {
  describeProbe(good, { skip: { 'finds-SATURATION': 'not emitted; the name is still a valid skip key' } });
});
