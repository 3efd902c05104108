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
  { probe, canonicalOptions }: ReturnType<typeof createProbeJobs>,
  s: Setting,
): HistogramResult {
  const options = canonicalOptions(s);
  const bins = typeof s.bins === 'number' ? s.bins : 48;
  // Bins cover [lo, hi) = [−range, range); z − lo is written z + hi (the same float: negation is exact).
  const hi = typeof s.range === 'number' ? s.range : 6;
  const scale = bins / (hi + hi);
  const counts: number[][] = [];
  const sizes: number[] = [];
  const capture: Probe = {
    id: 'site-z-histogram',
    options: {},
    onStep(trace: StepTrace) {
      if (counts.length) return;
      for (const layer of trace.layers.slice(0, options.depth ?? 10)) {
        const c = new Array<number>(bins).fill(0);
        for (const z of layer.z) if (z >= -hi && z < hi) c[Math.floor((z + hi) * scale)]++;
        counts.push(c);
        sizes.push(layer.z.length);
      }
    },
    report: () => null,
  };
  createSession(canonicalSpec({ ...options, steps: 0 }, { registry }), { registry, probes: [capture] }).step();
  const act = registry.resolve('activation', options.activation ?? 'relu', 'activation');
  const derivative = Array.from({ length: bins }, (_, i) => {
    const x = -hi + ((i + 0.5) * (hi + hi)) / bins;
    return act.derivative(x, act.forward(x));
  });
  return { ...probe(s), kind: 'histogram', hist: { lo: -hi, hi, counts, sizes }, derivative };
}
