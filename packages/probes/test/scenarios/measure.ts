/**
 * Measurements for the labelled scenario suite, written independently of the probes: a recorder
 * probe that reads the raw trace (δ, f′(z), a, W, updates, losses) and its own arithmetic for
 * every quantity a label rests on. Nothing here imports probe code.
 */
import { defineProbe, type LayerTrace, type StepTrace } from '@gradlab/plugin-api';

/** What a label can say; 'healthy' is the empty set. */
export type Family =
  | 'vanishing'
  | 'exploding'
  | 'vanishing-time'
  | 'exploding-time'
  | 'dead'
  | 'saturation'
  | 'symmetry'
  | 'diverging'
  | 'nonfinite'
  | 'update-ratio';
/** Expected effects, reported at info level. */
export type InfoFamily = 'inactive-at-init' | 'norm-jump';

export const FAMILIES: readonly Family[] = [
  'vanishing',
  'exploding',
  'vanishing-time',
  'exploding-time',
  'dead',
  'saturation',
  'symmetry',
  'diverging',
  'nonfinite',
  'update-ratio',
];

/** ‖x‖₂ by a log-domain sum: Σ exp(2·(ln|x_i| − ln m)), so nothing under- or overflows. */
export function logDomainNorm(x: ArrayLike<number>): number {
  let m = 0;
  let nan = false;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (Number.isNaN(a)) nan = true;
    else if (a > m) m = a;
  }
  // An infinite entry makes the norm infinite even beside a NaN (as Math.hypot has it).
  if (m === Number.POSITIVE_INFINITY) return m;
  if (nan) return Number.NaN;
  if (m === 0) return m;
  const lm = Math.log(m);
  let s = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) s += Math.exp(2 * (Math.log(Math.abs(x[i])) - lm));
  return Math.exp(lm + 0.5 * Math.log(s));
}

/** sup |f′| of the activations the scenarios use, for the derivative-based saturation count. */
const SUP_DERIVATIVE: Record<string, number> = { sigmoid: 0.25, tanh: 1 };

export interface StepRecord {
  readonly step: number;
  readonly loss: number;
  readonly types: readonly LayerTrace['type'][];
  readonly residual: readonly boolean[];
  readonly deltaNorms: readonly number[];
  readonly globalNorm: number;
  /** Per layer: per unit, f′(z) = 0 on every row. */
  readonly inactive: readonly Uint8Array[];
  /** Per layer: fraction of |f′| < 0.01·sup|f′| (saturating activations only, else NaN). */
  readonly flat: readonly number[];
  /** Per layer: ‖ΔW‖/‖W_before‖ (NaN when nothing moved). */
  readonly updateRatios: readonly number[];
  /** ‖∂L/∂h_t‖ of the rnn layer recomputed from δ_t / f′(z_t), or []. */
  readonly timeNorms: readonly number[];
  /** Hidden layers (not the output) whose units are exact copies. */
  readonly copies: number;
  readonly finite: boolean;
}

function copies(l: LayerTrace): boolean {
  if (l.units < 2 || l.type === 'batchnorm') return false;
  for (let i = 0; i < l.W.length; i++) if (l.W[i] !== l.W[i - (i % l.units)]) return false;
  for (let j = 0; j < l.units; j++) if (l.b[j] !== l.b[0]) return false;
  return true;
}

const finiteAll = (a: Float64Array) => {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
};

/** A probe that keeps a StepRecord per step (the scenarios are short). */
export function recorder() {
  const records: StepRecord[] = [];
  const definition = defineProbe({
    meta: {
      id: 'scenario-recorder',
      title: 'Scenario recorder',
      summary: 'Records raw measurements of every step for the labelled scenario suite.',
      emits: [],
      cost: 'per-sample',
    },
    create: () => ({
      needs: ['updates'],
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        const gradNorms = trace.grads.map((g) => logDomainNorm(g));
        const globalNorm = logDomainNorm(gradNorms);
        const timeNorms: number[] = [];
        const rnn = ls.find((l) => l.type === 'rnn');
        if (rnn) {
          const block = rnn.delta.length / (rnn.timeDeltaNorms?.length ?? 1);
          const T = rnn.timeDeltaNorms?.length ?? 0;
          for (let t = 0; t < T; t++) {
            const dh = new Float64Array(block);
            for (let i = 0; i < block; i++) {
              const k = t * block + i;
              dh[i] = rnn.dadz[k] === 0 ? 0 : rnn.delta[k] / rnn.dadz[k];
            }
            timeNorms.push(logDomainNorm(dh));
          }
        }
        records.push({
          step: trace.step,
          loss: trace.loss,
          types: ls.map((l) => l.type),
          residual: ls.map((l) => l.residual === true),
          deltaNorms: ls.map((l) => logDomainNorm(l.delta)),
          globalNorm,
          inactive: ls.map((l) => {
            const off = new Uint8Array(l.units).fill(1);
            for (let i = 0; i < l.dadz.length; i++) if (l.dadz[i] !== 0) off[i % l.units] = 0;
            return off;
          }),
          flat: ls.map((l) => {
            const sup = SUP_DERIVATIVE[l.activation];
            if (sup === undefined || l.dadz.length === 0) return Number.NaN;
            let c = 0;
            for (let i = 0; i < l.dadz.length; i++) c += +(Math.abs(l.dadz[i]) < 0.01 * sup);
            return c / l.dadz.length;
          }),
          updateRatios: ls.map((l) => {
            if (!l.updateW) return Number.NaN;
            const before = l.W.map((w, i) => w - (l.updateW as Float64Array)[i]);
            const u = logDomainNorm(l.updateW);
            return u === 0 ? Number.NaN : u / logDomainNorm(before);
          }),
          timeNorms,
          copies: ls.slice(0, -1).filter(copies).length,
          finite:
            Number.isFinite(trace.loss) &&
            trace.params.every((p) => finiteAll(p.value)) &&
            trace.grads.every(finiteAll) &&
            ls.every((l) => finiteAll(l.z) && finiteAll(l.a) && finiteAll(l.delta)),
        });
      },
      report: () => ({ steps: records.length }),
    }),
  });
  return { definition, records };
}

/** Windows of the probes' defaults, by scenario kind (the canonical report uses patience 1). */
export interface Windows {
  /** Consecutive all-rows-inactive steps that make a unit dead. */
  readonly deadSteps: number;
  readonly saturationSteps: number;
  readonly updateSteps: number;
}

export interface Measured {
  readonly families: Set<Family>;
  readonly info: Set<InfoFamily>;
  /** The numbers behind each label, for the printed table and the reason. */
  readonly numbers: Record<string, number>;
}

const hiddenSpan = (n: number) => ({ first: 0, last: n < 2 ? 0 : n - 2 });

/** Labels from the records, by fixed physical criteria (thresholds as documented in testing.md). */
export function label(records: readonly StepRecord[], w: Windows): Measured {
  const families = new Set<Family>();
  const info = new Set<InfoFamily>();
  const numbers: Record<string, number> = {};
  const first = records[0];
  const minOf = (k: string, v: number) => {
    if (Number.isFinite(v)) numbers[k] = Math.min(numbers[k] ?? Number.POSITIVE_INFINITY, v);
  };
  const maxOf = (k: string, v: number) => {
    if (Number.isFinite(v)) numbers[k] = Math.max(numbers[k] ?? Number.NEGATIVE_INFINITY, v);
  };
  for (const r of records) {
    const { first: a, last: b } = hiddenSpan(r.deltaNorms.length);
    if (b > a) {
      // δ across the hidden stack, leaving out the factor where δ enters a batch-norm layer,
      // and, into a residual layer, the part of the factor within [1/2, 2] (identity path plus a
      // critical branch).
      let ratio = 1;
      let jump = 1;
      for (let l = a; l < b; l++) {
        const f = r.deltaNorms[l] / r.deltaNorms[l + 1];
        if (r.types[l + 1] === 'batchnorm') jump *= f;
        else if (r.residual[l + 1]) {
          const expected = Math.min(2, Math.max(0.5, f));
          jump *= expected;
          ratio *= f / expected;
        } else ratio *= f;
      }
      if (Number.isFinite(ratio)) {
        minOf('deltaRatio.min', ratio);
        maxOf('deltaRatio.max', ratio);
        // Both the trend (jumps left out) and the raw ratio must be past a threshold: batch norm after
        // every layer undoes the trend with its jumps, and then the first layers are not starved.
        const raw = ratio * jump;
        const vanishing = ratio < 1e-3 && raw < 1e-3;
        const exploding = ratio > 10 && raw > 10;
        if (vanishing) families.add('vanishing');
        if (exploding) families.add('exploding');
        const outside = (x: number) => x > 10 || x < 1e-3;
        if (jump !== 1 && (outside(raw) || outside(ratio)) && !vanishing && !exploding) info.add('norm-jump');
      } else if (r.deltaNorms[a] === 0 && r.deltaNorms[b] > 0) {
        minOf('deltaRatio.min', 0);
        families.add('vanishing');
      }
    }
    maxOf('globalNorm.max', r.globalNorm);
    if (r.globalNorm > 1e3) families.add('exploding');
    const T = r.timeNorms.length;
    if (T > 1) {
      let t0 = 0;
      while (t0 < T - 1 && r.timeNorms[t0] === 0) t0++;
      const tr = r.timeNorms[t0] / r.timeNorms[T - 1];
      minOf('timeRatio.min', tr);
      maxOf('timeRatio.max', tr);
      if (tr < 1e-3) families.add('vanishing-time');
      if (tr > 10) families.add('exploding-time');
    }
    if (!r.finite) families.add('nonfinite');
  }
  // Loss trajectory: above 10× the first loss and rising.
  for (let i = 1; i < records.length; i++) {
    const l = records[i].loss;
    if (Number.isFinite(l)) maxOf('loss/first.max', l / first.loss);
    if (Number.isFinite(l) && l > 10 * first.loss && l > records[i - 1].loss) families.add('diverging');
  }
  if (first.copies > 0) {
    families.add('symmetry');
    numbers.symmetricLayers = first.copies;
  }
  // Inactive at initialization: units off on every row at step 0 (info).
  const layersCount = first.inactive.length;
  for (let k = 0; k < layersCount - 1; k++) {
    const frac = first.inactive[k].reduce((s, v) => s + v, 0) / first.inactive[k].length;
    maxOf('inactiveAtInit.max', frac);
    if (frac > 0.25 && w.deadSteps === 1 && records.length === 1) info.add('inactive-at-init');
  }
  // Dead: off on every row for deadSteps consecutive steps, judged once training has happened.
  for (let k = 0; k < layersCount; k++) {
    const units = first.inactive[k].length;
    const streak = new Int32Array(units);
    for (const r of records) {
      let dead = 0;
      for (let j = 0; j < units; j++) {
        streak[j] = r.inactive[k][j] ? streak[j] + 1 : 0;
        if (streak[j] >= w.deadSteps) dead++;
      }
      maxOf('dead.max', dead / units);
      if (dead / units > 0.25 && records.length > 1) families.add('dead');
    }
  }
  // Saturation and update ratio: out of range for the required consecutive steps.
  const runs = (value: (r: StepRecord, k: number) => boolean, steps: number) => {
    for (let k = 0; k < layersCount; k++) {
      let run = 0;
      for (const r of records) {
        run = value(r, k) ? run + 1 : 0;
        if (run >= steps) return true;
      }
    }
    return false;
  };
  for (const r of records) for (const f of r.flat) maxOf('flat.max', f);
  if (runs((r, k) => r.flat[k] > 0.5, w.saturationSteps)) families.add('saturation');
  for (const r of records)
    for (const u of r.updateRatios) {
      minOf('updateRatio.min', u);
      maxOf('updateRatio.max', u);
    }
  if (runs((r, k) => r.updateRatios[k] > 0.1 || r.updateRatios[k] < 1e-6, w.updateSteps)) families.add('update-ratio');
  return { families, info, numbers };
}
