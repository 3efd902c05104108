import { describe, expect, it } from 'vitest';
import { parseNumber } from '../src/index.ts';

const value = (text: string, percent = false) => {
  const r = parseNumber(text, { percent });
  if (!r.ok) throw new Error(`${text}: ${r.reason}`);
  return r.value;
};

describe('parseNumber', () => {
  it.each([
    ['0.25', 0.25],
    ['.5', 0.5],
    ['5.', 5],
    ['+3', 3],
    ['-3', -3],
    ['−3', -3],
    ['  42  ', 42],
    ['1e-3', 0.001],
    ['2.5E+4', 25000],
    ['3.1×10^-6', 3.1e-6],
    ['3.1 x 10^-6', 3.1e-6],
    ['3.1*10**-6', 3.1e-6],
    ['3.1*10^(-6)', 3.1e-6],
    ['3.1·10⁻⁶', 3.1e-6],
    ['3.1 × 10⁻⁶', 3.1e-6],
    ['−3.1×10^−6', -3.1e-6],
    ['10^-3', 0.001],
    ['10⁴', 10000],
    ['1/4', 0.25],
    ['1 / 16', 0.0625],
  ])('%s → %d', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('0.7×10^-2 is the correctly rounded 0.007, not 0.7 · 10^-2 = 0.006999999999999999', () => {
    expect(value('0.7×10^-2')).toBe(0.007);
    expect(0.7 * 10 ** -2).not.toBe(0.007);
  });

  it('50% → 0.5 only when percentages are accepted', () => {
    expect(value('50%', true)).toBe(0.5);
    expect(parseNumber('50%')).toEqual({ ok: false, reason: 'Write a fraction, not a percentage (0.5, not 50%).' });
  });

  it('refuses decimal commas, empty input, garbage, division by zero and overflow with a reason', () => {
    expect(parseNumber('0,25')).toMatchInlineSnapshot(`
      {
        "ok": false,
        "reason": "Write decimals with a point (0.25, not 0,25) and no thousands separators.",
      }
    `);
    expect(parseNumber('  ')).toEqual({ ok: false, reason: 'Enter a number.' });
    expect(parseNumber('about 3')).toMatchInlineSnapshot(`
      {
        "ok": false,
        "reason": "Could not read "about 3" as a number; write it like 0.0625, 6.25e-2, 6.25×10^-2 or 1/16.",
      }
    `);
    expect(parseNumber('1/0')).toEqual({ ok: false, reason: 'The denominator is 0.' });
    expect(parseNumber('1e400')).toEqual({ ok: false, reason: 'That number is too large to be an answer here.' });
    expect(parseNumber('NaN').ok).toBe(false);
    expect(parseNumber('Infinity').ok).toBe(false);
    expect(parseNumber('1e').ok).toBe(false);
  });
});
