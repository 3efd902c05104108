/** Probe overhead: a training step with every probe of @gradlab/probes attached, against none. */
import type { Pluggable } from '@gradlab/core';
import type { Budget } from './compare.ts';
import { type ActivationId, benchData, gradlabSession, type Shape } from './gradlab.ts';
import { collectGarbage, estimate, median, quantile, repsFor, timeBlock } from './stats.ts';

export interface ProbesAvailable {
  readonly plugins: Pluggable;
  readonly ids: readonly string[];
}

/** The default export of @gradlab/probes (an array of probe definitions), if it is built and has one. */
export async function loadProbes(): Promise<ProbesAvailable | string> {
  let mod: { default?: unknown };
  try {
    mod = await import('@gradlab/probes');
  } catch (e) {
    return `cannot import @gradlab/probes (${(e as Error).message.split('\n')[0]})`;
  }
  const defs = mod.default;
  if (!Array.isArray(defs) || defs.length === 0)
    return '@gradlab/probes has no default export of probe definitions yet';
  const ids = defs
    .filter((d): d is { kind: string; meta: { id: string } } => d?.kind === 'probe' && typeof d?.meta?.id === 'string')
    .map((d) => d.meta.id);
  if (ids.length === 0) return '@gradlab/probes default export holds no probe definitions';
  return { plugins: defs as Pluggable, ids };
}

export interface ProbeRow {
  readonly shape: Shape;
  readonly activation: ActivationId;
  readonly rounds: number;
  readonly unprobedMs: number;
  readonly probedMs: number;
  /** Median over rounds of probed / unprobed time. */
  readonly ratio: { median: number; p25: number; p75: number };
  readonly findings: number;
}

/** Interleaved rounds of a session with the probes `ids` (default: all) against one without. */
export function probeOverhead(
  shape: Shape,
  activation: ActivationId,
  probes: ProbesAvailable,
  budget: Budget,
  ids: readonly string[] = probes.ids,
): ProbeRow {
  const data = benchData(shape.width, shape.batch);
  const plain = gradlabSession(shape, activation, { data, plugins: probes.plugins });
  const probed = gradlabSession(shape, activation, { data, plugins: probes.plugins, probes: ids });
  const engines = [plain, probed].map((s) => ({
    step: () => {
      s.step();
    },
    reps: 1,
    samples: [] as number[],
  }));
  for (const e of engines) e.reps = repsFor(estimate(e.step, budget.warmupMs), budget.blockMs);
  // Both do the same number of steps per block so they see the same training trajectory.
  const reps = Math.max(...engines.map((e) => e.reps));
  const ratios: number[] = [];
  let rounds = 0;
  const t0 = performance.now();
  while (rounds < budget.maxRounds && (rounds < budget.minRounds || performance.now() - t0 < budget.ms)) {
    const order = rounds % 2 ? [1, 0] : [0, 1];
    const round: number[] = [];
    for (const i of order) {
      collectGarbage();
      round[i] = timeBlock(engines[i].step, reps);
      engines[i].samples.push(round[i]);
    }
    ratios.push(round[1] / round[0]);
    rounds++;
  }
  const findings = probed.finish().length;
  return {
    shape,
    activation,
    rounds,
    unprobedMs: median(engines[0].samples),
    probedMs: median(engines[1].samples),
    ratio: { median: median(ratios), p25: quantile(ratios, 0.25), p75: quantile(ratios, 0.75) },
    findings,
  };
}
