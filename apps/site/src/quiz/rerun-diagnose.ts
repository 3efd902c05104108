/**
 * Build time: diagnose questions whose fix is graded on a re-run (`fixed`; the capstone, page 13).
 *
 * The label of a broken run comes from a measured quantity (MEASURED_LABELS), never from the
 * probes' findings: the run must meet the right pathology's measurement and none of the wrong
 * options'. The fix is the learner's own: they change `controls`, the worker re-runs the setting,
 * and `fixed` (a predicate on the re-run's metrics) grades it. The build checks that the broken run
 * does not already meet `fixed`, then runs `gradlab doctor` (`doctor()` of @gradlab/probes) on the
 * same setting and re-runs every fix it tried through the site's own job: at least one fix that
 * doctor marks cleared, made with the question's controls only, must also meet `fixed`. Those fixes
 * are the solution shown after answering, each with doctor's verdict and the site's.
 */

import { doctor, type Setup, type SetupChange } from '@gradlab/probes';
import { describePredicate, evaluatePredicate, type Metrics, type Predicate } from '@gradlab/quiz';
import { buildRegistry, runAtBuild } from '../lab/build.ts';
import { canonicalOptions } from '../lab/canonical-options.ts';
import { reproduceCommand } from '../lab/command.ts';
import type { Setting } from '../lab/protocol.ts';
import { rnnTimeSpec } from '../lab/rnn-job.ts';
import { trainSpec } from '../lab/train-spec.ts';
import { metricsOf } from './metrics.ts';

type Job = 'probe' | 'train' | 'rnn-time';

/**
 * What each pathology option means, as a measurement. A training run is measured twice: the probe of
 * its setting at initialization (ratio, saturation, dead units before any step) and the run itself
 * (dead units at the end, non-finite loss); the run's values win where both have one.
 * Saturation is "largest saturated fraction of a hidden layer ≥ 0.6": the saturation measure counts
 * |f′| < 1 % of its maximum, so ReLU's inactive half reads about 0.5 on it, which is not saturation.
 */
export const MEASURED_LABELS: Readonly<Record<string, Predicate>> = {
  vanishing: { metric: 'ratio', op: 'le', value: 1e-3 },
  exploding: { metric: 'ratio', op: 'ge', value: 100 },
  saturation: { metric: 'maxSaturation', op: 'ge', value: 0.6 },
  dead: {
    all: [
      {
        any: [
          { metric: 'maxDead', op: 'ge', value: 0.5 },
          { metric: 'finalDead', op: 'ge', value: 0.5 },
        ],
      },
      { metric: 'nonFinite', op: 'eq', value: false },
    ],
  },
  nan: { metric: 'nonFinite', op: 'eq', value: true },
};

/** One fix `gradlab doctor` tried on the broken run, and what the site's re-run of it gives. */
export interface DoctorFixView {
  /** The finding it was meant to clear (doctor's own code). */
  readonly finding: string;
  /** Doctor's wording of the change (CLI flags for a probe, spec fields for a training run). */
  readonly change: string;
  /** The same change as this question's controls, or null when they cannot make it. */
  readonly controls: Readonly<Record<string, number | string>> | null;
  /** Doctor: the finding no longer appears on the same seed. */
  readonly cleared: boolean;
  /** The site's re-run of the change meets the question's `fixed` (null: not made with its controls). */
  readonly passes: boolean | null;
}

export interface RerunDiagnose {
  readonly job: Job;
  /** The measured quantity behind the right label, in words with its value. */
  readonly measured: string;
  readonly doctorCommand: string;
  readonly fixes: readonly DoctorFixView[];
}

function metricsOfRun(job: Job, s: Setting): Metrics {
  return metricsOf(runAtBuild(job, s), s);
}

/** The probe at initialization, and for a training run the run's own metrics on top (an rnn-time run: its own). */
export function measuredMetrics(job: Job, s: Setting): Metrics {
  if (job === 'rnn-time') return metricsOfRun(job, s);
  const atInit = metricsOfRun('probe', s);
  return job === 'train' ? { ...atInit, ...metricsOfRun('train', s) } : atInit;
}

const LRS_DIGITS = 12;

/** A doctor change as site settings (only keys a site setting has); undefined when it has none. */
export function siteChange(s: Setting, c: SetupChange): Record<string, number | string> | undefined {
  const out: Record<string, number | string> = {};
  // The rnn-time job draws W_h with `recurrent` and rescales it to spectral radius `rho`; a plain
  // orthogonal matrix has every eigenvalue on the unit circle, so doctor's "orthogonal" is ρ = 1.
  if (c.recurrentInitializer === 'orthogonal') Object.assign(out, { recurrent: 'orthogonal', rho: 1 });
  else if (c.recurrentInitializer !== undefined) return undefined;
  if (c.activation !== undefined) out.activation = c.activation;
  if (c.initializer !== undefined) out.initializer = c.initializer;
  if (c.gain !== undefined) out.gain = c.gain;
  if (c.bias !== undefined) out.biasInit = c.bias;
  // 0.1 × 0.1 is 0.010000000000000002 in float64: round to the digits a control shows.
  if (c.lrFactor !== undefined) out.lr = Number((Number(s.lr ?? 1e-3) * c.lrFactor).toPrecision(LRS_DIGITS));
  if (c.clipping !== undefined) out.clip = c.clipping;
  return Object.keys(out).length ? out : undefined;
}

function setupOf(job: Job, s: Setting): Setup {
  if (job === 'probe') return { kind: 'probe', options: canonicalOptions(s) };
  return { kind: 'spec', spec: job === 'train' ? trainSpec(buildRegistry, s) : rnnTimeSpec(s) };
}

const show = (x: number | boolean | undefined) =>
  typeof x === 'number' ? String(Number(x.toPrecision(3))) : String(x);

/**
 * Verifies one diagnose question with `fixed` and returns what its page shows after answering.
 * Throws (a build failure naming file and question) when the measured labels or the fixes disagree.
 */
export function verifyRerun(
  where: string,
  q: { run: Readonly<Record<string, unknown>>; options: readonly { id: string; correct?: boolean }[] },
  fixed: Predicate,
  controls: readonly string[],
  specName: string,
): RerunDiagnose {
  const { job = 'probe', ...setting } = q.run as Setting & { job?: Job };
  if (job !== 'probe' && job !== 'train' && job !== 'rnn-time')
    throw new Error(`${where}: run.job must be "probe", "train" or "rnn-time"`);
  const measured = measuredMetrics(job, setting);
  const names = (p: Predicate) =>
    [...new Set(JSON.stringify(p).match(/"metric":"(\w+)"/g) ?? [])].map((m) => m.slice(10, -1));
  let label = '';
  for (const o of q.options) {
    const p = MEASURED_LABELS[o.id];
    if (!p)
      throw new Error(
        `${where}: option "${o.id}" has no measured label (use ${Object.keys(MEASURED_LABELS).join(', ')})`,
      );
    // Measurable: every metric it reads is there, or at least one besides the shared nonFinite flag.
    const own = names(p).filter((n) => n !== 'nonFinite');
    if (!names(p).every((n) => n in measured) && !own.some((n) => n in measured))
      throw new Error(`${where}: option "${o.id}" cannot be measured on a ${job} run (it reads ${own.join(', ')})`);
    const holds = evaluatePredicate(p, measured);
    if (o.correct && !holds)
      throw new Error(`${where}: the run does not measure as "${o.id}" (${describePredicate(p)} is not met)`);
    if (!o.correct && holds)
      throw new Error(`${where}: the run also measures as "${o.id}" (${describePredicate(p)}), so it is not wrong`);
    if (o.correct)
      label = `${describePredicate(p)} (measured: ${names(p)
        .map((n) => `${n} = ${show(measured[n])}`)
        .join(', ')})`;
  }
  if (evaluatePredicate(fixed, metricsOfRun(job, setting)))
    throw new Error(`${where}: the broken run already meets fixed (${describePredicate(fixed)})`);

  const report = doctor(setupOf(job, setting), { registry: buildRegistry });
  const seen = new Set<string>();
  const fixes: DoctorFixView[] = [];
  for (const f of report.fixes) {
    const key = JSON.stringify(f.setting);
    if (seen.has(key)) continue;
    seen.add(key);
    const change = siteChange(setting, f.setting);
    const usable = change !== undefined && Object.keys(change).every((k) => controls.includes(k));
    const passes = usable ? evaluatePredicate(fixed, metricsOfRun(job, { ...setting, ...change })) : null;
    fixes.push({
      finding: f.finding.code,
      change: f.change,
      controls: usable ? change : null,
      cleared: f.cleared,
      passes,
    });
  }
  if (!fixes.some((f) => f.cleared && f.passes))
    throw new Error(
      `${where}: no fix gradlab doctor clears also meets fixed with the question's controls (${fixes.map((f) => `${f.change}: cleared ${f.cleared}, passes ${f.passes}`).join('; ') || 'doctor tried none'})`,
    );
  // `gradlab doctor` takes the flags of `probe`, or the spec a training widget downloads (<id>.spec.json).
  const doctorCommand =
    job === 'probe'
      ? reproduceCommand(job, setting, '').replace(/^gradlab probe/, 'gradlab doctor')
      : `gradlab doctor ${specName}.spec.json`;
  return { job, measured: label, doctorCommand, fixes };
}
