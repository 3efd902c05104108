/**
 * Page 12's `gradlab doctor` in the page: `doctor()` of @gradlab/probes on the canonical probe setup of
 * a setting, run in the worker. It diagnoses the setup, re-runs it with each fix the findings catalog
 * lists (same seed) and reports the headline number of each finding before and after, and whether the
 * finding cleared. Its own module so the worker loads it on first use.
 */
import type { Registry } from '@gradlab/core';
import { canonicalSpec, type DoctorMetrics, doctor } from '@gradlab/probes';
import { canonicalOptions } from './canonical-options.ts';
import { num } from './gradcheck-job.ts';
import type { Num, Setting } from './protocol.ts';

export interface DoctorResult {
  readonly kind: 'doctor';
  readonly findings: { readonly code: string; readonly severity: string }[];
  readonly fixes: {
    readonly code: string;
    /** The change as `gradlab probe` flags, e.g. "--activation relu --init he". */
    readonly change: string;
    /** The metric that shows the finding's problem (doctor's own choice), and its value before and after. */
    readonly metric: string;
    readonly before: Num;
    readonly after: Num;
    readonly cleared: boolean;
    /** Warn/error codes still raised after the change. */
    readonly remaining: string[];
  }[];
  readonly spec: unknown;
}

export function doctorJob(registry: Registry, s: Setting): DoctorResult {
  const options = canonicalOptions(s);
  const report = doctor({ kind: 'probe', options }, { registry, syntax: 'cli' });
  return {
    kind: 'doctor',
    findings: report.findings.map((f) => ({ code: f.code, severity: f.severity })),
    fixes: report.fixes.map((f) => {
      const metric = (Object.keys(f.before) as (keyof DoctorMetrics)[]).find((k) => k !== 'loss') ?? 'loss';
      return {
        code: f.finding.code,
        change: f.change,
        metric,
        before: num(f.before[metric] as number | null | undefined),
        after: num(f.after[metric] as number | null | undefined),
        cleared: f.cleared,
        remaining: f.remaining,
      };
    }),
    spec: canonicalSpec(options, { registry }),
  };
}
