/** The result of reading a learner's number: the value, or why it could not be read. */
export type ParsedNumber =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly reason: string };

export interface ParseNumberOptions {
  /** Accept a trailing `%` (`50%` → 0.5). Default false. */
  readonly percent?: boolean;
}

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '⁰': '0',
  '¹': '1',
  '²': '2',
  '³': '3',
  '⁴': '4',
  '⁵': '5',
  '⁶': '6',
  '⁷': '7',
  '⁸': '8',
  '⁹': '9',
  '⁻': '-',
  '⁺': '+',
};

const MANTISSA = '[+-]?(?:\\d+\\.?\\d*|\\.\\d+)';
const PLAIN = new RegExp(`^(${MANTISSA})(?:[eE]([+-]?\\d+))?$`);
// 3.1×10^-6, 3.1 x 10**-6, 3.1*10^(-6), 10^-3 (mantissa optional)
const SCIENTIFIC = new RegExp(
  `^(?:(${MANTISSA})\\s*[×xX*·⋅]\\s*)?10\\s*(?:\\^|\\*\\*)\\s*\\(?\\s*([+-]?\\d+)\\s*\\)?$`,
);
const FRACTION = new RegExp(`^(${MANTISSA})\\s*/\\s*(${MANTISSA})$`);

/** Replace a run of superscript characters by `^` and the plain characters (10⁻⁶ → 10^-6). */
function desuperscript(text: string): string {
  return text.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+/g, (run, offset: number) => {
    const plain = [...run].map((c) => SUPERSCRIPT[c]).join('');
    return text[offset - 1] === '^' ? plain : `^${plain}`;
  });
}

/** mantissa × 10^exponent, correctly rounded (through the decimal string, not a multiplication). */
function scaled(mantissa: string, exponent: string | undefined): number {
  return Number(exponent === undefined ? mantissa : `${mantissa}e${exponent}`);
}

/**
 * Reads a number as a learner types it: `0.25`, `.5`, `-3`, `1e-3`, `2.5E+4`, `3.1×10^-6`,
 * `3.1 x 10^-6`, `3.1*10**-6`, `3.1·10⁻⁶`, `10^-3`, `1/4`, with a Unicode minus (−) too, and
 * `50%` when `percent` is set. Decimal commas and thousands separators are refused with a
 * reason (is `1,000` one thousand or one?), as are non-finite results.
 */
export function parseNumber(text: string, options: ParseNumberOptions = {}): ParsedNumber {
  let s = text.trim().replace(/[−‒–]/g, '-').replace(/\s+/g, ' ');
  if (s === '') return { ok: false, reason: 'Enter a number.' };
  if (s.includes(',')) {
    return { ok: false, reason: 'Write decimals with a point (0.25, not 0,25) and no thousands separators.' };
  }
  let factor = 1;
  if (s.endsWith('%')) {
    if (!options.percent) return { ok: false, reason: 'Write a fraction, not a percentage (0.5, not 50%).' };
    s = s.slice(0, -1).trim();
    factor = 100;
  }
  s = desuperscript(s);
  let value: number | undefined;
  let m = PLAIN.exec(s);
  if (m) value = scaled(m[1], m[2]);
  else if ((m = SCIENTIFIC.exec(s))) value = scaled(m[1] ?? '1', m[2]);
  else if ((m = FRACTION.exec(s))) {
    const denominator = Number(m[2]);
    if (denominator === 0) return { ok: false, reason: 'The denominator is 0.' };
    value = Number(m[1]) / denominator;
  }
  if (value === undefined) {
    return {
      ok: false,
      reason: `Could not read "${text.trim()}" as a number; write it like 0.0625, 6.25e-2, 6.25×10^-2 or 1/16.`,
    };
  }
  value = factor === 1 ? value : value / factor;
  if (!Number.isFinite(value)) return { ok: false, reason: 'That number is too large to be an answer here.' };
  return { ok: true, value };
}
