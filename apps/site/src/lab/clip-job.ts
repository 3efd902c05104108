/**
 * The `clip` job: the first step's raw gradient (every parameter as one vector) put through each of the
 * four clipping rules with the plugins' own update(), at thresholds 10^-5 … 1, and the cosine between
 * the raw and the clipped gradient. A cosine below 1 is a change of direction: value clipping bends it
 * entry by entry, per-tensor norm and AGC bend it tensor by tensor / unit by unit, global norm never.
 */
import { createSession, type Registry } from '@gradlab/core';
import type { LoosePluginRef, Probe, StepTrace } from '@gradlab/plugin-api';
import { canonicalSpec } from '@gradlab/probes';
import { canonicalOptions } from './canonical-options.ts';
import type { ClipResult, Num, Setting } from './protocol.ts';

// A finite number or null (JSON has no NaN/±Infinity); null and undefined give null too.
const num = (v: number | null | undefined): Num => (Number.isFinite(v) ? (v as number) : null);

/** cos ∠(a, b) with every tensor of each side taken as one vector. */
export function cosine(a: readonly Float64Array[], b: readonly Float64Array[]): Num {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let t = 0; t < a.length; t++) {
    for (let i = 0; i < a[t].length; i++) {
      dot += a[t][i] * b[t][i];
      aa += a[t][i] * a[t][i];
      bb += b[t][i] * b[t][i];
    }
  }
  return num(dot / Math.sqrt(aa * bb));
}

/** The thresholds of the clip view: 10^-5 … 10^0 in half decades. */
export const CLIP_THRESHOLDS: readonly number[] = Array.from({ length: 11 }, (_, i) => 10 ** (-5 + i / 2));

export function clipJob(registry: Registry, s: Setting): ClipResult {
  const options = canonicalOptions(s);
  const spec = canonicalSpec({ ...options, steps: 0 }, { registry });
  let grads: Float64Array[] = [];
  let params: StepTrace['params'] = [];
  const capture: Probe = {
    id: 'site-clip-capture',
    options: {},
    onStep(trace: StepTrace) {
      grads = trace.grads.map((g) => g.slice());
      params = trace.params;
    },
    report: () => null,
  };
  const session = createSession(spec, { registry, probes: [capture] });
  // The weights the gradient was taken at (AGC's bound follows ‖W‖; the trace's params are after the step).
  const before = session.model.params.map((p) => p.value.slice());
  session.step();
  const at = params.map((p, i) => ({ ...p, value: before[i] }));
  const apply = (ref: LoosePluginRef) => {
    const rule = registry.resolve('clipping', ref, 'clipping');
    const out = grads.map((g) => new Float64Array(g.length));
    const { stats } = rule.update(grads, out, at, rule.init?.(at));
    return { cos: cosine(grads, out), stats };
  };
  const thresholds = [...CLIP_THRESHOLDS];
  const byValue = thresholds.map((t) => apply(['value', { clip: t }]));
  return {
    kind: 'clip',
    thresholds,
    cosValue: byValue.map((r) => r.cos),
    cosNorm: thresholds.map((t) => apply(['global-norm', { maxNorm: t }]).cos),
    cosTensor: thresholds.map((t) => apply(['norm', { maxNorm: t }]).cos),
    cosAdaptive: thresholds.map((t) => apply(['adaptive', { clipping: t }]).cos),
    clippedFraction: byValue.map((r) => num(r.stats.clippedFraction)),
    preNorm: num(byValue[0].stats.preNorm),
    spec,
  };
}
