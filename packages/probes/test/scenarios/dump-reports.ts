/**
 * Writes every labelled scenario's reports and findings to a JSON file, each number as its exact
 * bit pattern, for a before/after diff of a change that must not alter any reported number:
 *   node --conditions=@gradlab/source test/scenarios/dump-reports.ts before.json   (then after.json; cmp)
 * Not a test: a stored golden would fail every intentional change of a figure.
 */

import { writeFileSync } from 'node:fs';
import { createSession, type ExperimentSpec } from '@gradlab/core';
import type { Probe } from '@gradlab/plugin-api';
import probes, { runProbe } from '../../src/index.ts';
import { registry } from '../helpers.ts';
import { SCENARIOS } from './catalog.ts';

const dv = new DataView(new ArrayBuffer(8));
const hex = (x: number) => {
  dv.setFloat64(0, x);
  return dv.getBigUint64(0).toString(16);
};
const replacer = (_k: string, v: unknown) =>
  typeof v === 'number' ? `f${hex(v)}` : v instanceof Float64Array ? Array.from(v, hex) : v;
const out: Record<string, string> = {};
for (const s of SCENARIOS) {
  let result: unknown;
  if (s.probe) result = runProbe(s.probe, { registry: registry() });
  else {
    const attached: Probe[] = probes.map((p) => (p as unknown as () => Probe)());
    const session = createSession(s.spec as ExperimentSpec, { registry: registry(), probes: attached });
    while (!session.stopped && session.stepCount < session.totalSteps) session.step();
    result = { findings: session.finish(), reports: session.reports() };
  }
  out[s.name] = JSON.stringify(result, replacer);
}
writeFileSync(process.argv[2], JSON.stringify(out, null, 1));
console.log(
  Object.keys(out).length,
  'scenarios',
  Object.values(out).reduce((a, s) => a + s.length, 0),
  'chars',
);
