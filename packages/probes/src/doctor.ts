/**
 * `doctor`: diagnose a setup, then try every fix the findings catalog lists for each warn/error
 * finding as a changed setting, re-run with the same seed, and report the numbers before and
 * after and whether the finding cleared. Pure computation (no Node APIs), so the site can run it
 * in a Web Worker.
 */
import { createSession, type Registry } from '@gradlab/core';
import type { Finding, Probe } from '@gradlab/plugin-api';
import activationStats from './activation-stats.ts';
import { runProbe } from './canonical.ts';
import deadUnits, { type DeadUnitsReport } from './dead-units.ts';
import { FINDINGS } from './findings.ts';
import { applyChange, describeChange, type Setup, type SetupChange, type Syntax, setupKey } from './fixes.ts';
import gradNorms from './grad-norms.ts';
import lossTrend from './loss-trend.ts';
import nanWatch from './nan-watch.ts';
import type { GradNormsReport } from './norms.ts';
import { type Num, num } from './report-numbers.ts';
import saturation, { type SaturationReport } from './saturation.ts';
import symmetry, { type SymmetryReport } from './symmetry.ts';
import updateRatio, { type UpdateRatioReport } from './update-ratio.ts';

/** The numbers doctor compares before and after a fix (null: not finite or not measured). */
export interface DoctorMetrics {
  /** Training loss at the measured step (probe), or the last finite one of the run (spec). */
  readonly loss: Num;
  /** Steps run (a non-finite loss stops a run early). */
  readonly steps: number;
  /** ‖δ_first‖/‖δ_last‖ over the hidden layers. */
  readonly deltaRatio: Num;
  readonly globalNorm: Num;
  /** Largest per-layer fraction of dead units. */
  readonly dead: Num;
  /** Largest per-layer derivative-based saturation fraction. */
  readonly saturation: Num;
  /**
   * The per-layer ‖ΔW‖/‖W‖ farthest from the rule of thumb 1e-3 on a log scale: too large or too
   * small, the layer an UPDATE_RATIO finding is about (the largest hid a first layer at 2e-10 behind
   * a last one at 2e-3).
   */
  readonly updateRatio: Num;
  /** Largest finite loss / first loss over the run (specs). */
  readonly lossRatio: Num;
  /** ‖∂L/∂h_first‖/‖∂L/∂h_last‖ of the rnn layer (specs with one). */
  readonly timeRatio: Num;
  /** Hidden layers whose units are exact copies. */
  readonly symmetricLayers: number;
}

export interface Diagnosis {
  /** Findings of the whole run (probe: warm-up steps and the measured one), hints written for the setup. */
  readonly findings: Finding[];
  readonly metrics: DoctorMetrics;
}

export interface DoctorFix {
  readonly finding: Pick<Finding, 'code' | 'severity' | 'step' | 'layer' | 'message'>;
  /** The change, as CLI flags (syntax 'cli') or spec fields ('spec'). */
  readonly change: string;
  readonly setting: SetupChange;
  readonly before: Partial<DoctorMetrics>;
  readonly after: Partial<DoctorMetrics>;
  /** The finding's code is no longer reported at warn or error level after the change. */
  readonly cleared: boolean;
  /** Codes at warn or error level after the change. */
  readonly remaining: string[];
}

export interface DoctorReport {
  readonly findings: Finding[];
  readonly fixes: DoctorFix[];
}

export interface DoctorOptions {
  readonly registry: Registry;
  /** How changes are written; default 'cli' for probe setups and 'spec' for specs. */
  readonly syntax?: Syntax;
  /** Specs: run at most this many steps (default: the spec's own count). */
  readonly maxSteps?: number;
}

/** The metrics that show each code's problem, besides the loss. */
const SHOWN_BY: Record<string, readonly (keyof DoctorMetrics)[]> = {
  VANISHING_GRADIENTS: ['deltaRatio'],
  EXPLODING_GRADIENTS: ['deltaRatio', 'globalNorm'],
  NORMALIZATION_JUMP: ['deltaRatio'],
  DEAD_UNITS: ['dead'],
  SATURATION: ['saturation'],
  UPDATE_RATIO: ['updateRatio'],
  LOSS_DIVERGING: ['lossRatio', 'steps'],
  NAN_DETECTED: ['steps'],
  VANISHING_THROUGH_TIME: ['timeRatio'],
  EXPLODING_THROUGH_TIME: ['timeRatio'],
  SYMMETRY: ['symmetricLayers'],
};

const serious = (f: Finding) => f.severity !== 'info';
/** The entry of `xs` farthest from 1e-3 in log10 (see DoctorMetrics.updateRatio). */
const farthestFromRule = (xs: readonly Num[]): Num => {
  let m: number | null = null;
  const off = (x: number) => Math.abs(Math.log10(x) + 3);
  for (const x of xs) if (x !== null && (m === null || off(x) > off(m))) m = x;
  return m;
};
const maxOf = (xs: readonly Num[]): Num => {
  let m: number | null = null;
  for (const x of xs) if (x !== null && (m === null || x > m)) m = x;
  return m;
};

/**
 * The fixes of `finding` that apply to `setup`, change it, and suit the finding's side (a fix
 * with `side` only when evidence.ratio is on that side of evidence.threshold). A change that
 * gives the same setup as an earlier one is dropped: on a ReLU net, "--activation relu --init
 * he" is "--init he" again.
 */
export function applicableFixes(finding: Finding, setup: Setup): SetupChange[] {
  const info = FINDINGS[finding.code];
  const { ratio, threshold } = finding.evidence;
  const suits = (side: 'above' | 'below' | undefined) =>
    side === undefined ||
    typeof ratio !== 'number' ||
    typeof threshold !== 'number' ||
    (side === 'above' ? ratio > threshold : ratio < threshold);
  const seen = new Set<string>();
  return (info?.fixes ?? [])
    .filter((f) => suits(f.side))
    .flatMap((f) => f.changes ?? [])
    .filter((c) => {
      const next = applyChange(setup, c, finding.code);
      if (next === undefined) return false;
      const key = setupKey(next);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * A hint for `finding` written for this setup: only fixes that change something in it, as flags
 * (cli) or spec fields; undefined for info findings and when no listed fix applies.
 */
export function contextHint(finding: Finding, setup: Setup, syntax: Syntax): string | undefined {
  if (!serious(finding)) return undefined;
  const changes = applicableFixes(finding, setup).map((c) => describeChange(c, syntax, setup));
  if (changes.length === 0) return undefined;
  const list = changes.length === 1 ? changes[0] : `${changes.slice(0, -1).join('; ')}; or ${changes.at(-1)}`;
  return `Try ${list}. (gradlab doctor tries each with the same seed and reports whether it clears this.)`;
}

/** Run `setup` once and return its findings (hints in `syntax`) and metrics. */
export function diagnose(setup: Setup, options: DoctorOptions): Diagnosis {
  const syntax = options.syntax ?? (setup.kind === 'probe' ? 'cli' : 'spec');
  const raw = setup.kind === 'probe' ? diagnoseProbe(setup, options.registry) : diagnoseSpec(setup, options);
  const findings = raw.findings.map((f) => {
    const hint = contextHint(f, setup, syntax);
    return hint === undefined ? f : { ...f, hint };
  });
  return { findings, metrics: raw.metrics };
}

function diagnoseProbe(setup: Setup & { kind: 'probe' }, registry: Registry): Diagnosis {
  const r = runProbe(setup.options, { registry });
  const hidden = r.layers.filter((l) => l.role === 'hidden');
  // Warm-up findings count too: a unit that died on step 10 of 20 is a problem of this setup.
  const findings = [...(r.warmupFindings ?? []), ...r.findings];
  return {
    findings,
    metrics: {
      loss: r.loss,
      steps: r.step,
      deltaRatio: r.ratios.deltaFirstLast,
      globalNorm: r.globalGradNorm,
      dead: maxOf(hidden.map((l) => l.dead)),
      saturation: maxOf(hidden.map((l) => l.saturation)),
      updateRatio: farthestFromRule(r.layers.map((l) => l.updateRatio)),
      lossRatio: null,
      timeRatio: null,
      symmetricLayers: findings.some((f) => f.code === 'SYMMETRY')
        ? String(findings.find((f) => f.code === 'SYMMETRY')?.evidence.layers ?? '').split(',').length
        : 0,
    },
  };
}

function diagnoseSpec(setup: Setup & { kind: 'spec' }, options: DoctorOptions): Diagnosis {
  const probes = {
    grad: gradNorms({ window: 1 }),
    dead: deadUnits({ window: 1 }),
    sat: saturation({ window: 1 }),
    up: updateRatio({ window: 1 }),
    loss: lossTrend({ window: 1 }),
    sym: symmetry(),
  };
  const all: Probe[] = [...Object.values(probes), nanWatch(), activationStats({ histogramOf: 'none', window: 1 })];
  const session = createSession(setup.spec, { registry: options.registry, probes: all });
  const steps = Math.min(session.totalSteps, options.maxSteps ?? Number.POSITIVE_INFINITY);
  // The loss trajectory: the first loss, the last finite one and the largest ratio to the first.
  let first = Number.NaN;
  let lastFinite = Number.NaN;
  let worst = Number.NaN;
  while (!session.stopped && session.stepCount < steps) {
    const { loss } = session.step();
    if (Number.isNaN(first)) first = loss;
    if (Number.isFinite(loss)) {
      lastFinite = loss;
      worst = Number.isNaN(worst) ? loss / first : Math.max(worst, loss / first);
    }
  }
  const findings = [...session.finish()];
  const g = (probes.grad.report() as GradNormsReport).history.at(-1);
  const d = (probes.dead.report() as DeadUnitsReport).history.at(-1);
  const s = (probes.sat.report() as SaturationReport).history.at(-1);
  const u = (probes.up.report() as UpdateRatioReport).history.at(-1);
  const y = probes.sym.report() as SymmetryReport;
  const times = g?.timeDeltaNorms?.[0]?.norms ?? [];
  const t0 = times.findIndex((v) => v !== 0);
  const timeRatio = times.length > 1 && t0 >= 0 ? num((times[t0] ?? Number.NaN) / (times.at(-1) ?? Number.NaN)) : null;
  return {
    findings,
    metrics: {
      loss: num(lastFinite),
      steps: session.stepCount,
      deltaRatio: g?.ratios.delta ?? null,
      globalNorm: g?.globalNorm ?? null,
      dead: maxOf(d?.dead ?? []),
      saturation: maxOf(s?.fraction ?? []),
      updateRatio: farthestFromRule(u?.ratio ?? []),
      lossRatio: num(worst),
      timeRatio,
      symmetricLayers: y.copies.filter((c) => c.identical).length,
    },
  };
}

const pick = (m: DoctorMetrics, code: string): Partial<DoctorMetrics> => {
  const keys: (keyof DoctorMetrics)[] = [...(SHOWN_BY[code] ?? []), 'loss'];
  return Object.fromEntries(keys.map((k) => [k, m[k]])) as Partial<DoctorMetrics>;
};

/**
 * Diagnose `setup`, then for each warn/error finding try each applicable fix of the catalog as
 * a changed setting with the same seed, and report before/after and whether the finding cleared.
 */
export function doctor(setup: Setup, options: DoctorOptions): DoctorReport {
  const syntax = options.syntax ?? (setup.kind === 'probe' ? 'cli' : 'spec');
  const before = diagnose(setup, { ...options, syntax });
  const tried = new Map<string, Diagnosis>();
  const fixes: DoctorFix[] = [];
  const seen = new Set<string>();
  for (const f of before.findings.filter(serious)) {
    if (seen.has(f.code)) continue;
    seen.add(f.code);
    for (const change of applicableFixes(f, setup)) {
      const key = JSON.stringify(change);
      let after = tried.get(key);
      if (!after) {
        after = diagnose(applyChange(setup, change, f.code)!, { ...options, syntax });
        tried.set(key, after);
      }
      const remaining = [...new Set(after.findings.filter(serious).map((x) => x.code))];
      fixes.push({
        finding: { code: f.code, severity: f.severity, step: f.step, layer: f.layer, message: f.message },
        change: describeChange(change, syntax, setup),
        setting: change,
        before: pick(before.metrics, f.code),
        after: pick(after.metrics, f.code),
        cleared: !remaining.includes(f.code),
        remaining,
      });
    }
  }
  return { findings: before.findings, fixes };
}
