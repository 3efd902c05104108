/**
 * The training job's per-step norms against the probes' own implementation: at step 0 a training run
 * is the canonical probe's measured step (same spec, data and weights), so ‖δ‖ of the first and last
 * hidden layer and ‖ΔW‖/‖W‖ of the first layer must match runProbe's report (grad-norms and
 * update-ratio probes, a separate code path). A square root too many would be off by orders of magnitude.
 */
import { runProbe } from '@gradlab/probes';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { createJobs } from '../src/lab/jobs.ts';

describe('train job norms', () => {
  it('step 0 equals the canonical probe: ‖δ_first‖, ‖δ_last‖ and the first layer update ratio', () => {
    const jobs = createJobs(buildRegistry);
    const setting = { activation: 'tanh', initializer: 'glorot', depth: 4, width: 16, batch: 16, seed: 2, gain: 1 };
    const run = jobs.train({ ...setting, optimizer: 'sgd', lr: 0.01, trainSteps: 3 }).finish();
    const report = runProbe({ ...setting, optimizer: 'sgd', lr: 0.01 }, { registry: buildRegistry });
    const rel = (a: number | null, b: number | null) => Math.abs(a! / b! - 1);
    expect(rel(run.deltaFirst[0], report.layers[0].deltaNorm)).toBeLessThan(1e-12);
    expect(rel(run.deltaLast[0], report.layers[3].deltaNorm)).toBeLessThan(1e-12);
    expect(rel(run.updateRatio[0], report.layers[0].updateRatio)).toBeLessThan(1e-12);
  });
});
