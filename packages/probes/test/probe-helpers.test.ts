import type { StepTrace } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import { fire, Persistence } from '../src/alarms.ts';
import { History, Window } from '../src/history.ts';
import { ratioSpan } from '../src/layer-info.ts';
import { fmt, num } from '../src/report-numbers.ts';
import { histogram, moments, momentsInto } from '../src/stats.ts';
import { StepStats } from '../src/step-stats.ts';
import { frobenius, hypot, sumOfSquares } from '../src/vector-norms.ts';

describe('frobenius', () => {
  it('is √Σx² of small arrays', () => {
    expect(frobenius(Float64Array.of(3, 4))).toBe(5);
    expect(frobenius(Float64Array.of(1, 2, 2, 4))).toBe(5);
    expect(frobenius(new Float64Array(0))).toBe(0);
    expect(frobenius(new Float64Array(3))).toBe(0);
  });
  it('neither overflows nor underflows', () => {
    expect(frobenius(Float64Array.of(3e200, 4e200)) / 5e200).toBeCloseTo(1, 14);
    expect(frobenius(Float64Array.of(3e-200, 4e-200)) / 5e-200).toBeCloseTo(1, 14);
  });
  it('passes NaN and Infinity through', () => {
    expect(frobenius(Float64Array.of(1, Number.NaN))).toBeNaN();
    expect(frobenius(Float64Array.of(1, Number.NEGATIVE_INFINITY))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('sumOfSquares', () => {
  it('is the four sums of entries i ≡ r (mod 4) in index order, added s0 + s1 + s2 + s3, at every length', () => {
    // The reference is written independently of the unrolled loop: one sum per residue class.
    let seed = 3;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 10 ** ((seed % 9) - 4);
    for (let n = 0; n <= 37; n++) {
      const a = Float64Array.from({ length: n }, next);
      const s = [0, 0, 0, 0];
      const full = n - (n % 4);
      for (let i = 0; i < full; i++) s[i % 4] += a[i] * a[i];
      for (let i = full; i < n; i++) s[0] += a[i] * a[i];
      expect(sumOfSquares(a), `n = ${n}`).toBe(s[0] + s[1] + s[2] + s[3]);
    }
  });
});

describe('hypot', () => {
  it('equals Math.hypot, without spreading arguments', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let t = 0; t < 2000; t++) {
      const scale = 10 ** Math.floor(40 * random() - 20);
      const v = Array.from(
        { length: 1 + Math.floor(60 * random()) },
        () => (random() - 0.5) * scale * 10 ** (6 * random()),
      );
      expect(hypot(v)).toBe(Math.hypot(...v));
    }
    expect(hypot([3, 1, 12, 2, 2, 1])).toBe(Math.hypot(3, 1, 12, 2, 2, 1));
    expect(hypot([])).toBe(0);
    expect(hypot([Number.NaN, Number.NEGATIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    expect(hypot([Number.NaN, 1])).toBeNaN();
  });
});

describe('Persistence', () => {
  it('fires once after `patience` consecutive steps and re-arms when the condition clears', () => {
    const p = new Persistence(3);
    expect([true, true, false, true, true, true, true, false, true, true, true].map((c) => p.update(c))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
  it('fire() groups layers and picks the worst one', () => {
    const alarms = [new Persistence(1), new Persistence(1), new Persistence(1)];
    expect(fire(alarms, [true, false, true], [0.6, 0.9, 0.8], 'max')).toEqual({ layers: [0, 2], worst: 2 });
    expect(fire(alarms, [true, true, true], [0.6, 0.9, 0.8], 'min')).toEqual({ layers: [1], worst: 1 });
    expect(fire(alarms, [true, true, true], [0.6, 0.9, 0.8], 'min')).toBeUndefined();
  });
});

describe('helpers', () => {
  it('Window keeps the last n items', () => {
    const w = new Window<number>(2);
    for (const x of [1, 2, 3]) w.push(x);
    expect(w.toArray()).toEqual([2, 3]);
    expect(w.last).toBe(3);
  });
  it('Window keeps the order once it wraps', () => {
    const w = new Window<number>(3);
    for (const x of [1, 2, 3, 4, 5]) w.push(x);
    expect(w.toArray()).toEqual([3, 4, 5]);
    expect(w.last).toBe(5);
  });
  it('History keeps the last n rows of numbers, growing then wrapping', () => {
    const h = new History<string>(20);
    h.reset(2);
    for (let step = 0; step < 50; step++) {
      const row = h.push();
      h.data[row * h.width] = step;
      h.data[row * h.width + 1] = step === 45 ? Number.NaN : step * step;
      h.extras[row] = step % 10 === 0 ? `s${step}` : undefined;
    }
    expect(h.length).toBe(20);
    const rows = Array.from({ length: h.length }, (_, i) => h.row(i));
    expect(rows.map((r) => h.data[r * h.width])).toEqual(Array.from({ length: 20 }, (_, i) => 30 + i));
    expect(h.nums(rows[15], 0, 2)).toEqual([45, null]);
    expect(rows.map((r) => h.extras[r]).filter((e) => e)).toEqual(['s30', 's40']);
  });
  it('ratioSpan excludes the output layer by default', () => {
    expect(ratioSpan(11, 'hidden')).toEqual({ first: 0, last: 9 });
    expect(ratioSpan(11, 'all')).toEqual({ first: 0, last: 10 });
    expect(ratioSpan(1, 'hidden')).toEqual({ first: 0, last: 0 });
  });
  it('num and fmt', () => {
    expect([num(1), num(Number.NaN), num(Number.POSITIVE_INFINITY)]).toEqual([1, null, null]);
    expect([fmt(0.5), fmt(1234.5), fmt(3.2e-5), fmt(12345), fmt(0)]).toEqual([
      '0.5',
      '1230',
      '3.20e-5',
      '1.23e+4',
      '0',
    ]);
  });
});

describe('moments and histogram', () => {
  it('compute the population mean and std', () => {
    expect(moments(Float64Array.of(1, 2, 3, 4))).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(moments(Float64Array.of(1e9 + 1, 1e9 + 3))).toEqual({ mean: 1e9 + 2, std: 1 });
    expect(moments(Float64Array.of(1, Number.NaN)).mean).toBeNaN();
  });
  it('count exact zeros (−0 too, NaN not) in the moments pass, even and odd lengths', () => {
    const values = [0, -0, 5e-324, Number.NaN, 1, 0, -1, Number.POSITIVE_INFINITY, -0];
    const out = new Float64Array(2);
    for (let n = 0; n <= values.length; n++) {
      const x = Float64Array.from(values.slice(0, n));
      const counted = x.filter((v) => v === 0).length;
      expect(momentsInto(x, out, 0), `first ${n}`).toBe(counted);
    }
    expect(momentsInto(Float64Array.from(values), out, 0)).toBe(4);
  });
  it('give the same mean and std bits without the zero count, even and odd lengths', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 10 ** (seed % 7);
    for (let n = 1; n <= 21; n++) {
      const x = Float64Array.from({ length: n }, (_, i) => (i % 3 === 1 ? 0 : next()));
      const counted = new Float64Array(2);
      const skipped = new Float64Array(2);
      momentsInto(x, counted, 0);
      expect(momentsInto(x, skipped, 0, false), `n = ${n}`).toBe(0);
      expect(Array.from(skipped), `n = ${n}`).toEqual(Array.from(counted));
    }
  });
  it('count into fixed bins with under/overflow', () => {
    const h = histogram(Float64Array.of(-3, -1, -0.5, 0, 0.5, 1, 2, Number.NaN), 4, 1);
    expect(h).toEqual({ min: -1, max: 1, counts: [1, 1, 1, 2], underflow: 1, overflow: 1, nonFinite: 1 });
  });
  it('fit adaptive bins to the finite values', () => {
    const h = histogram(Float64Array.of(0, 1, 2, 3, Number.POSITIVE_INFINITY), 3, 0);
    expect(h).toEqual({ min: 0, max: 3, counts: [1, 1, 2], underflow: 0, overflow: 1, nonFinite: 0 });
  });
});

describe('History.records', () => {
  it('splits each row into step and per-layer blocks, oldest first, after the ring wraps', () => {
    const h = new History(2);
    h.reset(5); // step, then 2 layers × 2 fields
    for (const [step, a0, a1, b0, b1] of [
      [0, 1, 2, 3, 4],
      [1, 5, 6, 7, 8],
      [2, 9, Number.NaN, 11, 12],
    ]) {
      const row = h.push();
      h.data.set([step, a0, a1, b0, b1], row * h.width);
    }
    expect(h.records(['a', 'b'], 2)).toEqual([
      { step: 1, a: [5, 6], b: [7, 8] },
      { step: 2, a: [9, null], b: [11, 12] },
    ]);
  });
});

describe('StepStats: the questions about f′', () => {
  // One 5-row × 4-unit layer; per unit: dead (±0 only), NaN on one row, a subnormal on the last
  // row, ordinary values. The references are the definitions: Σ_rows |f′| === 0, and a plain count.
  const rows = 5;
  const units = 4;
  const column = [
    [0, -0, 0, 0, -0],
    [0, 0, Number.NaN, 0, 0],
    [0, 0, 0, 0, 5e-324],
    [0.5, -0.001, 0, 2, -0.25],
  ];
  const dadz = new Float64Array(rows * units);
  for (let r = 0; r < rows; r++) for (let j = 0; j < units; j++) dadz[r * units + j] = column[j][r];
  const layer = { units, rows, dadz, W: new Float64Array(0), gradW: new Float64Array(0), gradB: new Float64Array(0) };
  const trace = { step: 0, layers: [layer], params: [], grads: [] } as unknown as StepTrace;
  const stats = new StepStats();
  stats.begin(trace);

  it('unitsOff is 1 exactly where Σ_rows |f′| is 0 (NaN and subnormals keep a unit on)', () => {
    const sums = column.map((c) => c.reduce((s, v) => s + Math.abs(v), 0));
    expect(Array.from(stats.unitsOff(0))).toEqual(sums.map((s) => (s === 0 ? 1 : 0)));
    expect(Array.from(stats.unitsOff(0))).toEqual([1, 0, 0, 0]);
  });
  it('flatCount counts |f′| < cut without NaN, and recounts for another cut', () => {
    const count = (cut: number) => Array.from(dadz).filter((v) => Math.abs(v) < cut).length;
    expect(stats.flatCount(0, 0.01, 1)).toBe(count(0.01));
    expect(stats.flatCount(0, 0.3)).toBe(count(0.3));
    expect(stats.derivativeReference(0, 1)).toBe(2);
  });
});
