/** Small helpers the probes share: norms that neither overflow nor underflow, JSON-safe numbers, bounded history. */
import type { Finding, FindingCode, LayerTrace } from '@gradlab/plugin-api';

/**
 * Frobenius norm ‖a‖_F. Unlike `Math.sqrt(sumOfSquares(a))` this stays finite when Σx²
 * overflows but ‖a‖ does not (entries around 1e160).
 */
export function frobenius(a: Float64Array): number {
  const s = sumOfSquares(a);
  if (s >= 1e-280 && s < Number.POSITIVE_INFINITY) return Math.sqrt(s);
  if (Number.isNaN(s)) return s;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  if (m === 0 || !Number.isFinite(m)) return m;
  let t = 0;
  for (let i = 0; i < a.length; i++) t += (a[i] / m) * (a[i] / m);
  return m * Math.sqrt(t);
}

/**
 * √(Σ v[i]²) over the first `n` values, computed as V8 computes `Math.hypot` (scaled by the
 * largest |v|, Kahan-compensated), so it gives the same result without spreading an array into
 * arguments. ±Infinity wins over NaN, as in `Math.hypot`.
 */
export function hypot(v: ArrayLike<number>, n: number = v.length): number {
  let max = 0;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i]);
    if (Number.isNaN(a)) nan = true;
    else if (a > max) max = a;
  }
  if (max === Number.POSITIVE_INFINITY) return max;
  if (nan) return Number.NaN;
  if (max === 0) return 0;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.abs(v[i]) / max;
    const summand = x * x - compensation;
    const preliminary = sum + summand;
    compensation = preliminary - sum - summand;
    sum = preliminary;
  }
  return Math.sqrt(sum) * max;
}

/** Σ x², with four independent sums so the loop does not wait on one addition chain. */
export function sumOfSquares(a: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < a.length; i += 4) {
    s0 += a[i] * a[i];
    s1 += a[i + 1] * a[i + 1];
    s2 += a[i + 2] * a[i + 2];
    s3 += a[i + 3] * a[i + 3];
  }
  for (; i < a.length; i++) s0 += a[i] * a[i];
  return s0 + s1 + s2 + s3;
}

/** The `window` option every probe has: how many steps of history its report keeps. */
export const windowOption = {
  type: 'integer',
  default: 100,
  min: 1,
  max: 100_000,
  description: 'Steps of history kept.',
} as const;

/** The `patience` option: consecutive steps a condition must hold before the finding. */
export const patienceOption = (steps: number) =>
  ({
    type: 'integer',
    default: steps,
    min: 1,
    description: 'Consecutive steps the condition must hold before the finding is emitted.',
  }) as const;

/** A finite number, or `null` (JSON has no NaN or Infinity; reports use null for "not finite"). */
export type Num = number | null;
export const num = (x: number): Num => (Number.isFinite(x) ? x : null);

/** Numbers for messages: 3 significant digits, exponent form for very large or small values. */
export function fmt(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : String(Number(x.toPrecision(3)));
}

/** The last `size` items pushed (oldest first), in a ring: pushing never moves the others. */
export class Window<T> {
  private readonly items: T[] = [];
  private readonly size: number;
  /** Index of the oldest item once the ring is full. */
  private start = 0;
  constructor(size: number) {
    this.size = Math.max(1, size);
  }
  push(item: T): void {
    if (this.items.length < this.size) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.size;
    }
  }
  get last(): T | undefined {
    return this.items.length < this.size ? this.items.at(-1) : this.items[(this.start + this.size - 1) % this.size];
  }
  toArray(): T[] {
    return this.items.slice(this.start).concat(this.items.slice(0, this.start));
  }
}

/**
 * The last `size` steps of a probe as rows of `width` numbers, in one Float64Array used as a
 * ring (grown by doubling up to `size` rows), plus an optional object per row for the rare
 * extras (histograms, rnn fields). Once grown, recording a step allocates nothing; probes build
 * their report objects from the rows only in `report()`.
 */
export class History<E = never> {
  private readonly size: number;
  width = 0;
  /** The rows; replaced when the ring grows, so read it after {@link push}. */
  data = new Float64Array(0);
  /** Per physical row: its extra object, if any. */
  readonly extras: (E | undefined)[] = [];
  private capacity = 0;
  private start = 0;
  /** Rows held. */
  length = 0;
  constructor(size: number) {
    this.size = Math.max(1, size);
  }
  /** Drop every row and hold rows of `width` numbers from now on. */
  reset(width: number): void {
    this.width = width;
    this.data = new Float64Array(0);
    this.extras.length = 0;
    this.capacity = 0;
    this.start = 0;
    this.length = 0;
  }
  /** Add a row (dropping the oldest once `size` are held); returns its physical row index. */
  push(): number {
    if (this.length < this.size) {
      if (this.length === this.capacity) {
        // Not full yet, so the ring has not wrapped: rows 0 … length−1 are in order.
        this.capacity = Math.min(this.size, Math.max(8, this.capacity * 2));
        const data = new Float64Array(this.capacity * this.width);
        data.set(this.data);
        this.data = data;
      }
      return this.length++;
    }
    const row = this.start;
    this.start = (this.start + 1) % this.capacity;
    return row;
  }
  /** Physical row index of the i-th oldest row. */
  row(i: number): number {
    return (this.start + i) % this.capacity;
  }
  /** `count` numbers of physical row `row` from column `column`, non-finite ones as null. */
  nums(row: number, column: number, count: number): Num[] {
    const out = new Array<Num>(count);
    const at = row * this.width + column;
    for (let k = 0; k < count; k++) out[k] = num(this.data[at + k]);
    return out;
  }
  /**
   * Rows laid out as `step, field₀ × perLayer, field₁ × perLayer, …`, oldest first, as records
   * `{ step, [field]: Num[] }` for a report.
   */
  records<K extends string>(fields: readonly K[], perLayer: number): ({ step: number } & Record<K, Num[]>)[] {
    const out: ({ step: number } & Record<K, Num[]>)[] = [];
    for (let i = 0; i < this.length; i++) {
      const row = this.row(i);
      const record = { step: this.data[row * this.width] } as { step: number } & Record<K, Num[]>;
      fields.forEach((field, f) => {
        (record as Record<K, Num[]>)[field] = this.nums(row, 1 + f * perLayer, perLayer);
      });
      out.push(record);
    }
    return out;
  }
}

/**
 * Fires once when a condition has held on `patience` consecutive steps, then stays quiet until
 * the condition clears (hysteresis), so a persisting problem gives one finding, not one per step.
 */
export class Persistence {
  private run = 0;
  private fired = false;
  private readonly patience: number;
  constructor(patience: number) {
    this.patience = Math.max(1, patience);
  }
  /** Record this step; true exactly on the step the finding should be emitted. */
  update(condition: boolean): boolean {
    if (!condition) {
      this.run = 0;
      this.fired = false;
      return false;
    }
    this.run++;
    if (this.fired || this.run < this.patience) return false;
    this.fired = true;
    return true;
  }
  /** Consecutive steps the condition has held. */
  get steps(): number {
    return this.run;
  }
}

/**
 * Update one alarm per layer; of the layers whose alarm fired this step, pick the worst
 * (largest or smallest value). Probes emit one finding per code per step, naming the worst
 * layer and listing the others, so a sick 20-layer net gives one line, not twenty.
 */
export function fire(
  alarms: readonly Persistence[],
  conditions: ArrayLike<boolean | number>,
  values: ArrayLike<number>,
  worst: 'max' | 'min',
): { layers: number[]; worst: number } | undefined {
  let fired: number[] | undefined;
  for (let k = 0; k < conditions.length; k++) if (alarms[k].update(Boolean(conditions[k]))) (fired ??= []).push(k);
  if (fired === undefined) return undefined;
  const sign = worst === 'max' ? 1 : -1;
  return { layers: fired, worst: fired.reduce((a, b) => (sign * values[b] > sign * values[a] ? b : a)) };
}

/** " (also layers 3, 4)" for the other layers of a grouped finding, or "". */
export const alsoLayers = (positions: readonly number[], worst: number, layers: readonly LayerInfo[]): string => {
  const others = positions.filter((k) => k !== worst).map((k) => layers[k].index);
  return others.length ? ` (also layer${others.length > 1 ? 's' : ''} ${others.join(', ')})` : '';
};

/**
 * The layers first/last ratios span. `'hidden'` (default): layer 0 to the last layer before the
 * output layer, because the question is how the signal changes across the hidden stack (the
 * output layer's activation and size differ); a one-layer net uses that layer for both.
 * `'all'`: layer 0 to the output layer.
 */
export function ratioSpan(layerCount: number, span: 'hidden' | 'all'): { first: number; last: number } {
  const last = span === 'all' || layerCount < 2 ? layerCount - 1 : layerCount - 2;
  return { first: 0, last: Math.max(0, last) };
}

/** What `onStep` returns on the (usual) steps without findings: one shared empty array. */
export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** Evidence values must survive JSON: non-finite numbers become strings ("NaN", "Infinity"). */
export function finding(f: {
  code: FindingCode;
  severity: Finding['severity'];
  step: number;
  layer?: number;
  message: string;
  hint?: string;
  evidence: Record<string, number | string>;
}): Finding {
  const evidence: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(f.evidence))
    evidence[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  return { ...f, evidence };
}

/** Layer description for reports. */
export interface LayerInfo {
  readonly index: number;
  readonly type: LayerTrace['type'];
  readonly activation: string;
  readonly units: number;
}
export const layerInfo = (l: LayerTrace): LayerInfo => ({
  index: l.index,
  type: l.type,
  activation: l.activation,
  units: l.units,
});
