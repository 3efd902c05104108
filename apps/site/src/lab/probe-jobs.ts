/**
 * The probe and histogram jobs: the canonical probe through the site's probe runner, summarized for the
 * protocol, and the pre-activation histogram of the first step. In a module of their own because the
 * worker's entry chunk holds them (nearly every page runs a probe) while the other jobs load lazily
 * (worker-jobs.ts); jobs.ts binds them for the build and Node.
 */
import { createSession, type ExperimentSpec, type Registry } from '@gradlab/core';
import type { Probe, StepTrace } from '@gradlab/plugin-api';
import { canonicalSpec, type ProbeReport } from '@gradlab/probes';
import { canonicalOptions as settingOptions } from './canonical-options.ts';
import { initializerRef } from './init-options.ts';
import { createRunner } from './probe-runner.ts';
import type { HistogramResult, Num, ProbeResult, Setting } from './protocol.ts';

// A finite number or null (JSON has no NaN/±Infinity); null and undefined give null too.
const num = (v: number | null | undefined): Num => (Number.isFinite(v) ? (v as number) : null);

/** Mean-field ‖δ_l‖ walked down from the last hidden layer with √χ(q_l) (report.theory.chi). */
function prediction(report: ProbeReport): Num[] | null {
  const chi = report.theory.applicable ? report.theory.chi : undefined;
  if (!chi) return null;
  const last = report.ratios.last;
  const out: Num[] = report.deltaNorm.map(() => null);
  let v = num(report.deltaNorm[last]);
  out[last] = v;
  for (let l = last - 1; l >= 0; l--) {
    const c = chi[l];
    v = v !== null && c !== null && c !== undefined ? num(v * Math.sqrt(c)) : null;
    out[l] = v;
  }
  return out;
}

export function summarize(report: ProbeReport, spec: ExperimentSpec): ProbeResult {
  return {
    kind: 'probe',
    deltaNorm: report.deltaNorm.map(num),
    gradNorm: report.gradNorm.map(num),
    predicted: prediction(report),
    ratio: num(report.ratios.deltaFirstLast),
    predictedRatio: num(report.theory.predicted?.deltaFirstLast),
    gradRatio: num(report.ratios.gradFirstLast),
    saturation: report.layers.map((l) => num(l.saturation)),
    dead: report.layers.map((l) => num(l.dead)),
    preactivationStd: report.layers.map((l) => num(l.preactivationStd)),
    predictedStd: report.theory.applicable
      ? [...report.theory.q.map((q) => (q === null ? null : num(Math.sqrt(q)))), null]
      : null,
    updateRatio: report.layers.map((l) => num(l.updateRatio)),
    findings: report.findings.map((f) => f.code),
    spec,
  };
}

/** The probe and histogram jobs bound to one registry (and one probe runner, which caches across calls). */
export function createProbeJobs(registry: Registry) {
  const runner = createRunner(registry);
  // The setting's options, with the initializer's own options (`initMode`, …) when it declares them.
  const canonicalOptions = (s: Setting) => {
    const o = settingOptions(s);
    const initializer = initializerRef(registry, s);
    return initializer === undefined ? o : { ...o, initializer };
  };

  function probe(s: Setting): ProbeResult {
    const options = canonicalOptions(s);
    return summarize(runner.run(options), canonicalSpec(options, { registry }));
  }

  /** The probe plus a histogram of every hidden layer's pre-activations z at initialization. */
  function histogram(s: Setting): HistogramResult {
    const base = probe(s);
    const options = canonicalOptions(s);
    const spec = canonicalSpec({ ...options, steps: 0 }, { registry });
    const bins = typeof s.bins === 'number' ? s.bins : 48;
    const lo = -(typeof s.range === 'number' ? s.range : 6);
    const hi = -lo;
    const counts: number[][] = [];
    const depth = options.depth ?? 10;
    const capture: Probe = {
      id: 'site-z-histogram',
      options: {},
      onStep(trace: StepTrace) {
        if (counts.length) return;
        for (const layer of trace.layers.slice(0, depth)) {
          const c = new Array<number>(bins).fill(0);
          const scale = bins / (hi - lo);
          for (const z of layer.z) {
            if (z >= lo && z < hi) c[Math.floor((z - lo) * scale)]++;
          }
          counts.push(c);
        }
      },
      report: () => null,
    };
    createSession(spec, { registry, probes: [capture] }).step();
    const act = registry.resolve('activation', options.activation ?? 'relu', 'activation');
    const derivative = Array.from({ length: bins }, (_, i) => {
      const x = lo + ((i + 0.5) * (hi - lo)) / bins;
      return act.derivative(x, act.forward(x));
    });
    return { ...base, kind: 'histogram', hist: { lo, hi, counts }, derivative };
  }

  return { probe, histogram };
}
