import { createError } from '@gradlab/plugin-api';
import { QuizErrors } from './errors.ts';
import type { Instantiated, Params, ParamValue, Question } from './types.ts';

/** A variant may use at most this many parameter combinations (keys are computed for each at build time). */
export const MAX_VARIANTS = 64;

/**
 * Every variant of a question, in a fixed order: the explicit `list`, or the cartesian product
 * of `params` with names sorted and the first name varying slowest. A question without
 * variants has one, `{}`.
 */
export function listVariants(question: Pick<Question, 'variants'>): Params[] {
  const v = question.variants;
  if (!v) return [{}];
  if ('list' in v) return v.list.map((p) => ({ ...p }));
  let out: Record<string, ParamValue>[] = [{}];
  for (const name of Object.keys(v.params).sort()) {
    out = out.flatMap((p) => v.params[name].map((value) => ({ ...p, [name]: value })));
  }
  return out;
}

/** FNV-1a, 32 bits: a small, platform-independent string hash (Math.imul keeps it in int32). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The variant index for a seed: the same seed and question id give the same variant everywhere. */
export function chooseVariant(question: Pick<Question, 'id' | 'variants'>, seed: number | string): number {
  return hashString(`${seed}/${question.id}`) % listVariants(question).length;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g;
const REFERENCE = /^\$([A-Za-z_]\w*)$/;

/** `{{name}}` placeholders and `$name` references anywhere in a value (to validate them). */
export function parameterNames(value: unknown): string[] {
  if (typeof value === 'string') {
    const ref = REFERENCE.exec(value);
    return ref ? [ref[1]] : [...value.matchAll(PLACEHOLDER)].map((m) => m[1]);
  }
  if (Array.isArray(value)) return value.flatMap(parameterNames);
  if (value && typeof value === 'object') return Object.values(value).flatMap(parameterNames);
  return [];
}

/**
 * Fills a variant into any value: a string that is exactly `$name` becomes the parameter itself
 * (a number stays a number, for run configurations and key arguments); `{{name}}` inside text
 * becomes its string form.
 */
export function fillParams<T>(value: T, params: Params): T {
  if (typeof value === 'string') {
    const ref = REFERENCE.exec(value);
    if (ref && ref[1] in params) return params[ref[1]] as T;
    return value.replace(PLACEHOLDER, (all, name: string) => (name in params ? String(params[name]) : all)) as T;
  }
  if (Array.isArray(value)) return value.map((x) => fillParams(x, params)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, fillParams(x, params)])) as T;
  }
  return value;
}

/** What the caller must compute for one variant: the key function's name and its filled-in arguments. */
export interface KeyRequest {
  readonly question: string;
  readonly variant: number;
  readonly compute: string;
  readonly args: Readonly<Record<string, ParamValue>>;
  /** The run configuration of a predict question, filled in, for callers that key by running it. */
  readonly run?: Readonly<Record<string, unknown>>;
}

/** The key computations a question needs, one per variant (none for literal keys or keyless types). */
export function keyRequests(question: Question): KeyRequest[] {
  if (!('key' in question) || !('compute' in question.key)) return [];
  const { compute, args = {} } = question.key;
  return listVariants(question).map((params, variant) => ({
    question: question.id,
    variant,
    compute,
    args: fillParams(args, params),
    ...(question.type === 'predict' ? { run: fillParams(question.run, params) } : {}),
  }));
}

/**
 * The question for one variant, placeholders filled and its key attached: the literal `value`,
 * or `key`, which the caller computed for this variant (from {@link keyRequests}).
 */
export function instantiate<Q extends Question>(
  question: Q,
  variant = 0,
  key?: number | readonly string[],
): Instantiated<Q> {
  const all = listVariants(question);
  if (!Number.isInteger(variant) || variant < 0 || variant >= all.length) {
    throw createError(QuizErrors.UnknownVariant, [question.id, variant, all.length]);
  }
  const params = all[variant];
  const { variants: _variants, key: source, ...rest } = question as Question & { key?: unknown };
  let resolved = key;
  if (source !== undefined && resolved === undefined) {
    if (typeof source === 'object' && source !== null && 'value' in source)
      resolved = (source as { value: number | string[] }).value;
    else throw createError(QuizErrors.MissingKey, [question.id, variant, (source as { compute: string }).compute]);
  }
  const filled = fillParams(rest, params);
  return {
    ...filled,
    ...(resolved === undefined ? {} : { key: resolved }),
    variant,
    params,
  } as unknown as Instantiated<Q>;
}
