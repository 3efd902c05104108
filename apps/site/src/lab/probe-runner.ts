/**
 * The single seam between the site and the canonical probe: the worker, the build-time figures and the
 * browser tests' Node reference all call {@link createRunner}. It is @gradlab/probes' createProbeRunner,
 * which gives runProbe's report bit for bit while reusing the data set and the mean-field prediction
 * across calls (a slider sends many settings that share seed, width and batch). Whatever runs behind
 * this seam must give the same bits as `runProbe` in Node: the CLI reproduces every number.
 */
import type { Registry } from '@gradlab/core';
import { type CanonicalOptions, createProbeRunner, type ProbeReport } from '@gradlab/probes';

export interface ProbeRunner {
  run(options: Partial<CanonicalOptions>): ProbeReport;
}

export function createRunner(registry: Registry): ProbeRunner {
  const runner = createProbeRunner({ registry });
  return { run: (options) => runner.run(options) };
}
