/**
 * The single seam between the site and `runProbe`: the worker, the build-time figures and the
 * browser tests' Node reference all call {@link createRunner}, so swapping the implementation
 * (a faster runner that reuses data and buffers) happens here and nowhere else. Whatever runs
 * behind it must give the same bits as `runProbe` in Node: the CLI reproduces every number.
 */
import type { Registry } from '@gradlab/core';
import { type CanonicalOptions, type ProbeReport, runProbe } from '@gradlab/probes';

export interface ProbeRunner {
  run(options: Partial<CanonicalOptions>): ProbeReport;
}

export function createRunner(registry: Registry): ProbeRunner {
  return { run: (options) => runProbe(options, { registry }) };
}
