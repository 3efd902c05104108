import { describe, expect, it } from 'vitest';
import { histogram, moments } from '../src/stats.ts';
import { fire, fmt, frobenius, num, Persistence, ratioSpan, Window } from '../src/util.ts';

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
  it('count into fixed bins with under/overflow', () => {
    const h = histogram(Float64Array.of(-3, -1, -0.5, 0, 0.5, 1, 2, Number.NaN), 4, 1);
    expect(h).toEqual({ min: -1, max: 1, counts: [1, 1, 1, 2], underflow: 1, overflow: 1, nonFinite: 1 });
  });
  it('fit adaptive bins to the finite values', () => {
    const h = histogram(Float64Array.of(0, 1, 2, 3, Number.POSITIVE_INFINITY), 3, 0);
    expect(h).toEqual({ min: 0, max: 3, counts: [1, 1, 2], underflow: 0, overflow: 1, nonFinite: 0 });
  });
});
