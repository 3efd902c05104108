import { describeValue, suggestNames } from '@gradlab/plugin-api';
import type { QuizIssue } from './errors.ts';
import { COMPARISON_OPS } from './types.ts';

/** Collects issues for one question (or the file), so every problem is reported at once. */
export class Checker {
  readonly issues: QuizIssue[] = [];
  readonly file: string;
  readonly question: string | undefined;
  constructor(file: string, question: string | undefined) {
    this.file = file;
    this.question = question;
  }

  add(field: string, problem: string, fix: string): false {
    this.issues.push({ file: this.file, question: this.question, field, problem, fix });
    return false;
  }

  /** A value of the wrong type: `must be … (received …)`. */
  expect(field: string, value: unknown, expected: string, fix: string): false {
    return this.add(field, `must be ${expected} (received ${describeValue(value)})`, fix);
  }

  text(field: string, value: unknown, required = true): value is string {
    if (value === undefined && !required) return true;
    if (typeof value === 'string' && value.trim() !== '') return true;
    const name = (field.split('.').pop() as string).replace(/\[\d+\]$/, '');
    return this.expect(field, value, 'a non-empty string', `write the ${name} as text`);
  }

  id(field: string, value: unknown): value is string {
    if (typeof value === 'string' && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value)) return true;
    return this.expect(
      field,
      value,
      'a kebab-case id such as "max-slope"',
      'use lower-case letters, digits and dashes',
    );
  }

  isObject(field: string, value: unknown): value is Record<string, unknown> {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return true;
    return this.expect(field, value, 'an object', 'write it as { … }');
  }

  array(field: string, value: unknown, min: number, what: string): value is unknown[] {
    if (Array.isArray(value) && value.length >= min) return true;
    if (Array.isArray(value))
      return this.add(
        field,
        min === 1 ? 'is empty' : `needs at least ${min} ${what} (has ${value.length})`,
        `add ${what}`,
      );
    return this.expect(field, value, `an array of ${what}`, `write it as [ … ]`);
  }

  number(
    field: string,
    value: unknown,
    rule: { min?: number; integer?: boolean; positive?: boolean } = {},
  ): value is number {
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!rule.integer || Number.isInteger(value)) &&
      (rule.min === undefined || value >= rule.min) &&
      (!rule.positive || value > 0);
    if (ok) return true;
    const kind = `${rule.integer ? 'an integer' : 'a finite number'}${rule.positive ? ' > 0' : rule.min !== undefined ? ` ≥ ${rule.min}` : ''}`;
    return this.expect(field, value, kind, `write a number such as ${rule.integer ? 2 : 0.5}`);
  }

  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): value is T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return true;
    const near = typeof value === 'string' ? suggestNames(value, allowed) : [];
    return this.add(
      field,
      `must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (received ${describeValue(value)})`,
      near.length ? `did you mean "${near[0]}"?` : `use one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
    );
  }

  /** Unknown keys, with a did-you-mean (`hint` → `hints`). */
  keys(field: string, value: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const near = suggestNames(key, allowed);
      this.add(
        field ? `${field}.${key}` : key,
        'is not a field of this schema',
        near.length ? `did you mean \`${near[0]}\`?` : `remove it; allowed: ${allowed.join(', ')}`,
      );
    }
  }

  /** `[lo, hi]` with numbers (or `null` for an open end when `open`), lo ≤ hi. */
  interval(field: string, value: unknown, open: boolean): boolean {
    const bound = (x: unknown) => (typeof x === 'number' && Number.isFinite(x)) || (open && x === null);
    if (!Array.isArray(value) || value.length !== 2 || !bound(value[0]) || !bound(value[1]))
      return this.expect(field, value, `[low, high]${open ? ' (null for an open end)' : ''}`, 'write two numbers');
    if (value[0] !== null && value[1] !== null && value[0] > value[1])
      return this.add(field, `low ${value[0]} is above high ${value[1]}`, 'swap the bounds');
    return true;
  }

  /** A metric name, checked against the names the caller can measure when it gave them. */
  metric(field: string, value: unknown, metrics: readonly string[] | undefined): boolean {
    if (!this.text(field, value)) return false;
    if (!metrics || metrics.includes(value as string)) return true;
    const near = suggestNames(value as string, metrics);
    return this.add(
      field,
      `"${value}" is not a metric the site measures`,
      near.length ? `did you mean "${near[0]}"?` : `use one of ${metrics.join(', ')}`,
    );
  }

  predicate(field: string, p: unknown, metrics: readonly string[] | undefined): void {
    if (!this.isObject(field, p)) return;
    const forms = ['all', 'any', 'not', 'metric'].filter((k) => k in p);
    if (forms.length !== 1) {
      this.add(
        field,
        `must have exactly one of all, any, not or metric (has ${forms.join(', ') || 'none'})`,
        'split it into nested predicates',
      );
      return;
    }
    const form = forms[0];
    if (form === 'all' || form === 'any') {
      this.keys(field, p, [form]);
      if (this.array(`${field}.${form}`, p[form], 1, 'predicates'))
        (p[form] as unknown[]).forEach((q, i) => {
          this.predicate(`${field}.${form}[${i}]`, q, metrics);
        });
      return;
    }
    if (form === 'not') {
      this.keys(field, p, ['not']);
      this.predicate(`${field}.not`, p.not, metrics);
      return;
    }
    this.keys(field, p, ['metric', 'op', 'value']);
    this.metric(`${field}.metric`, p.metric, metrics);
    if (!this.oneOf(`${field}.op`, p.op, COMPARISON_OPS)) return;
    if (p.op === 'between') this.interval(`${field}.value`, p.value, false);
    else if (p.op === 'eq' || p.op === 'ne') {
      if (typeof p.value !== 'boolean') this.number(`${field}.value`, p.value);
    } else this.number(`${field}.value`, p.value);
  }
}
