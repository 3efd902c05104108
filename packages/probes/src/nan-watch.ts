import { defineProbe, type StepTrace } from '@gradlab/plugin-api';
import { finding } from './alarms.ts';
import { HINTS } from './hints.ts';
import { stepStats } from './step-stats.ts';

const options = {
  scan: {
    type: 'enum',
    values: ['all', 'sentinel'],
    default: 'all',
    description:
      "'all' scans every tensor each step; 'sentinel' checks the loss, gradients and parameters and scans the rest only once one of them is non-finite (misses a −Infinity that a ReLU turns into 0).",
  },
} as const;

/** Where a non-finite value was computed within a step, in computation order. */
export type NanPhase = 'parameters' | 'forward' | 'loss' | 'backward' | 'update';

export interface NanSource {
  readonly step: number;
  readonly phase: NanPhase;
  /** 'z', 'a', 'loss', 'delta', 'gradW', 'gradB', 'gradWh', 'W', 'b', 'Wh', or a parameter name after the update ("dense_2.W"). */
  readonly tensor: string;
  readonly layer?: number;
  /** Flat index of the first non-finite entry (row-major), and how many entries are non-finite. */
  readonly index: number;
  readonly count: number;
  readonly value: 'NaN' | 'Infinity' | '-Infinity';
}

export interface NanWatchReport {
  /** The first source found, or null while everything is finite. */
  readonly first: NanSource | null;
  readonly stepsChecked: number;
}

/** Index of the first non-finite entry and the number of them, or undefined if all are finite. */
function nonFinite(t: Float64Array): { index: number; count: number } | undefined {
  let index = -1;
  let count = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] - t[i] !== 0) {
      if (index < 0) index = i;
      count++;
    }
  }
  return index < 0 ? undefined : { index, count };
}

/**
 * True when every entry is finite: x·0 is 0 for finite x and NaN for NaN or ±Infinity. Four
 * independent sums keep the loop from waiting on one addition chain.
 */
function allFinite(t: Float64Array): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < t.length; i += 4) {
    s0 += t[i] * 0;
    s1 += t[i + 1] * 0;
    s2 += t[i + 2] * 0;
    s3 += t[i + 3] * 0;
  }
  for (; i < t.length; i++) s0 += t[i] * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/**
 * The cheap check of every tensor (or, as a sentinel, of the loss, gradients and parameters).
 * A finite sum of squares (or mean and std) proves a tensor finite, so tensors that other probes
 * already summed this step ({@link stepStats}) are not read again; a non-finite sum proves
 * nothing (Σx² can overflow), so those tensors are scanned.
 */
function stepIsFinite(trace: StepTrace, sentinel: boolean): boolean {
  if (!Number.isFinite(trace.loss)) return false;
  const stats = stepStats(trace);
  const { grads, params } = trace;
  // The global norm (wanted by grad-norms anyway; a pass per tensor like a finiteness scan) is
  // finite only if every gradient is.
  if (!Number.isFinite(stats.globalNorm())) for (const g of grads) if (!allFinite(g)) return false;
  for (let i = 0; i < params.length; i++) if (!stats.paramKnownFinite(i) && !allFinite(params[i].value)) return false;
  if (sentinel) return true;
  const ls = trace.layers;
  for (let k = 0; k < ls.length; k++) {
    const l = ls[k];
    if (!Number.isFinite(stats.deltaNorm(k)) && !allFinite(l.delta)) return false;
    if (stats.hasMoments(k)) {
      // Taken by activation-stats: finite mean and std mean every entry of a and z is finite.
      const m = stats.layerMoments(k);
      const a = Number.isFinite(m[4 * k]) && Number.isFinite(m[4 * k + 1]);
      const z = Number.isFinite(m[4 * k + 2]) && Number.isFinite(m[4 * k + 3]);
      if ((!z && !allFinite(l.z)) || (!a && !allFinite(l.a))) return false;
    } else if (!allFinite(l.z) || !allFinite(l.a)) return false;
  }
  return true;
}

type Candidate = [phase: NanPhase, tensor: string, layer: number | undefined, values: Float64Array];

/**
 * Tensors of a step in the order they were computed: the forward pass layer by layer, the
 * loss, the backward pass from the last layer down, then the parameters after the update.
 */
function* inComputationOrder(trace: StepTrace): Generator<Candidate> {
  for (const l of trace.layers) {
    yield ['forward', 'z', l.index, l.z];
    yield ['forward', 'a', l.index, l.a];
  }
  yield ['loss', 'loss', undefined, Float64Array.of(trace.loss)];
  for (let k = trace.layers.length - 1; k >= 0; k--) {
    const l = trace.layers[k];
    yield ['backward', 'delta', l.index, l.delta];
    yield ['backward', 'gradW', l.index, l.gradW];
    yield ['backward', 'gradB', l.index, l.gradB];
    if (l.gradWh) yield ['backward', 'gradWh', l.index, l.gradWh];
  }
  for (const p of trace.params) yield ['update', p.name, p.layer, p.value];
}

/** When z is the first bad tensor, a bad parameter of the same layer is the source (non-finite init). */
function blameParameters(trace: StepTrace, found: Candidate): Candidate {
  const l = trace.layers.find((x) => x.index === found[2]);
  if (found[1] !== 'z' || !l) return found;
  for (const [name, p] of [
    ['W', l.W],
    ['b', l.b],
    ['Wh', l.Wh],
  ] as const) {
    if (p && nonFinite(p)) return ['parameters', name, l.index, p];
  }
  return found;
}

/**
 * `nan-watch`: names the first non-finite value (NaN or ±Infinity) of a run: the step, the
 * phase, the tensor and the layer where it was computed, not the places it spread to.
 */
export default defineProbe({
  meta: {
    id: 'nan-watch',
    title: 'NaN watch',
    summary: 'Reports where the first NaN or infinity of a run was computed: step, layer and tensor.',
    emits: ['NAN_DETECTED'],
    cost: 'per-sample',
  },
  options,
  create: (o) => {
    let first: NanSource | null = null;
    let stepsChecked = 0;
    return {
      onStep(trace: StepTrace) {
        if (first) return;
        stepsChecked++;
        if (stepIsFinite(trace, o.scan === 'sentinel')) return;
        for (const candidate of inComputationOrder(trace)) {
          if (!nonFinite(candidate[3])) continue;
          const [phase, tensor, layer, values] = blameParameters(trace, candidate);
          const hit = nonFinite(values)!;
          const v = values[hit.index];
          first = {
            step: trace.step,
            phase,
            tensor,
            ...(layer !== undefined && { layer }),
            ...hit,
            value: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity',
          };
          const where = layer === undefined ? tensor : `${tensor} of layer ${layer}`;
          return [
            finding({
              code: 'NAN_DETECTED',
              severity: 'error',
              step: trace.step,
              ...(layer !== undefined && { layer }),
              message: `${first.value} first appears in ${where} at step ${trace.step} (${phase}; ${hit.count} non-finite entr${hit.count === 1 ? 'y' : 'ies'}, the first at index ${hit.index}); everything computed from it afterwards is non-finite too.`,
              hint: HINTS.nan[phase],
              evidence: { tensor, phase, index: hit.index, count: hit.count, value: first.value },
            }),
          ];
        }
      },
      report: (): NanWatchReport => ({ first, stepsChecked }),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'nan-watch': typeof options;
  }
}
