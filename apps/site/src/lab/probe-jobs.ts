/**
 * The probe job: the canonical probe through the site's probe runner, summarized for the protocol. In a
 * module of its own because the worker's entry chunk holds it (nearly every page runs a probe) while the
 * other jobs load lazily (worker-jobs.ts; the histogram job, histogram-job.ts, builds on this one);
 * jobs.ts binds it for the build and Node.
 */
import type { ExperimentSpec, Registry } from '@gradlab/core';
import { canonicalSpec, type ProbeReport } from '@gradlab/probes';
import { canonicalOptions as settingOptions } from './canonical-options.ts';
import { initializerRef } from './init-options.ts';
import { createRunner } from './probe-runner.ts';
import type { Num, ProbeResult, Setting } from './protocol.ts';

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
    // The run's codes, warm-up steps included: a probe reports a problem once, when it first
    // appears, so a net that vanishes from step 0 raises nothing new at the measured step.
    findings: [...new Set([...(report.warmupFindings ?? []), ...report.findings].map((f) => f.code))],
    spec,
  };
}

/** The probe job bound to one registry (and one probe runner, which caches across calls), and the setting → options map it uses. */
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

  return { probe, canonicalOptions };
}
