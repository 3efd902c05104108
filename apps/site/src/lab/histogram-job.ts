/**
 * The histogram job: the probe, plus a histogram of every hidden layer's pre-activations z at
 * initialization and the activation's derivative at the bins' centres. Out of the worker's entry since
 * decision 0012: only page 1 and the free lab run it, and it shares the clip job's lazy chunk
 * (clip-histogram-jobs.ts), which those pages can afford, rather than a chunk of its own.
 */
import { createSession, type Registry } from '@gradlab/core';
import type { Probe, StepTrace } from '@gradlab/plugin-api';
import { canonicalSpec } from '@gradlab/probes';
import type { createProbeJobs } from './probe-jobs.ts';
import type { HistogramResult, Setting } from './protocol.ts';

export function histogramJob(
  registry: Registry,
  jobs: ReturnType<typeof createProbeJobs>,
  s: Setting,
): HistogramResult {
  const { probe, canonicalOptions } = jobs;
  const base = probe(s);
  const options = canonicalOptions(s);
  const spec = canonicalSpec({ ...options, steps: 0 }, { registry });
  const bins = typeof s.bins === 'number' ? s.bins : 48;
  const lo = -(typeof s.range === 'number' ? s.range : 6);
  const hi = -lo;
  const counts: number[][] = [];
  const depth = options.depth ?? 10;
  const capture: Probe = {
    id: 'site-z-histogram',
    options: {},
    onStep(trace: StepTrace) {
      if (counts.length) return;
      for (const layer of trace.layers.slice(0, depth)) {
        const c = new Array<number>(bins).fill(0);
        const scale = bins / (hi - lo);
        for (const z of layer.z) {
          if (z >= lo && z < hi) c[Math.floor((z - lo) * scale)]++;
        }
        counts.push(c);
      }
    },
    report: () => null,
  };
  createSession(spec, { registry, probes: [capture] }).step();
  const act = registry.resolve('activation', options.activation ?? 'relu', 'activation');
  const derivative = Array.from({ length: bins }, (_, i) => {
    const x = lo + ((i + 0.5) * (hi - lo)) / bins;
    return act.derivative(x, act.forward(x));
  });
  return { ...base, kind: 'histogram', hist: { lo, hi, counts }, derivative };
}
