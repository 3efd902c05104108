/** Runs a labelled scenario: the findings users see, and the independent measurements behind its label. */
import { createSession, type ExperimentSpec, type Registry } from '@gradlab/core';
import type { Finding, Probe } from '@gradlab/plugin-api';
import probes, { type CanonicalOptions, canonicalSpec, runProbe } from '../../src/index.ts';
import { type Family, type InfoFamily, label, type Measured, recorder } from './measure.ts';

export interface Scenario {
  readonly name: string;
  /** Pathologies the scenario has (empty: healthy). */
  readonly labels: readonly Family[];
  /** Expected effects it shows, reported at info level. */
  readonly info?: readonly InfoFamily[];
  /** Why, in terms of the measured quantity. */
  readonly reason: string;
  /** `gradlab probe` settings … */
  readonly probe?: Partial<CanonicalOptions>;
  /** … or a `gradlab run` spec (probes attached with their defaults). */
  readonly spec?: ExperimentSpec;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly findings: readonly Finding[];
  readonly measured: Measured;
}

/** The family of a finding as the suite counts it (DEAD_UNITS at info level is inactive-at-init). */
export function familyOf(f: Finding): Family | InfoFamily | 'other' {
  switch (f.code) {
    case 'VANISHING_GRADIENTS':
      return 'vanishing';
    case 'EXPLODING_GRADIENTS':
      return 'exploding';
    case 'VANISHING_THROUGH_TIME':
      return 'vanishing-time';
    case 'EXPLODING_THROUGH_TIME':
      return 'exploding-time';
    case 'DEAD_UNITS':
      return f.severity === 'info' ? 'inactive-at-init' : 'dead';
    case 'SATURATION':
      return 'saturation';
    case 'SYMMETRY':
      return 'symmetry';
    case 'LOSS_DIVERGING':
      return 'diverging';
    case 'NAN_DETECTED':
      return 'nonfinite';
    case 'UPDATE_RATIO':
      return 'update-ratio';
    case 'NORMALIZATION_JUMP':
      return 'norm-jump';
    default:
      return 'other';
  }
}

export function runScenario(s: Scenario, registry: () => Registry): ScenarioResult {
  const rec = recorder();
  if (s.probe) {
    const report = runProbe(s.probe, { registry: registry() });
    const spec = canonicalSpec(s.probe, { registry: registry() });
    const session = createSession(spec, { registry: registry(), probes: [rec.definition()] });
    const steps = (s.probe.steps ?? 0) + 1;
    while (!session.stopped && session.stepCount < steps) session.step();
    const deadSteps = Math.max(1, Math.ceil(steps / 2));
    return {
      scenario: s,
      findings: [...report.findings, ...(report.warmupFindings ?? [])],
      measured: label(rec.records, { deadSteps, saturationSteps: 1, updateSteps: 1 }),
    };
  }
  const spec = s.spec as ExperimentSpec;
  const attached: Probe[] = [...probes.map((p) => (p as unknown as () => Probe)()), rec.definition()];
  const session = createSession(spec, { registry: registry(), probes: attached });
  while (!session.stopped && session.stepCount < session.totalSteps) session.step();
  return {
    scenario: s,
    findings: session.finish(),
    measured: label(rec.records, { deadSteps: 50, saturationSteps: 20, updateSteps: 20 }),
  };
}
