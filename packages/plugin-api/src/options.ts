import { createError, describeValue, GradlabError, PluginErrors } from './errors.ts';
import { suggestNames } from './suggest.ts';

/**
 * Options are declarative data, so the site can render controls from them and specs
 * can be validated without a schema library in every plugin (docs/decisions/0004).
 */
export type OptionSpec =
  | { type: 'number'; default: number; min?: number; max?: number; step?: number; description: string }
  | { type: 'integer'; default: number; min?: number; max?: number; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'enum'; default: string; values: readonly string[]; description: string };

export type OptionsSchema = Readonly<Record<string, OptionSpec>>;

/** The resolved options object of a schema (widened: `as const` schemas must not freeze values). */
export type OptionsOf<S extends OptionsSchema> = {
  -readonly [K in keyof S]: S[K] extends { type: 'enum'; values: readonly (infer V)[] }
    ? V
    : S[K] extends { type: 'boolean' }
      ? boolean
      : number;
};

/** One problem with one option; `key` is undefined when the options value itself is wrong. */
export interface OptionIssue {
  readonly key?: string;
  readonly code: 'UnknownPluginOption' | 'InvalidPluginOption' | 'InvalidPluginOptions';
  readonly message: string;
  readonly hint?: string;
}

/** What a value must be, in words, for messages: "a number between 0 and 1". */
export function describeExpected(spec: OptionSpec): string {
  switch (spec.type) {
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default: {
      const noun = spec.type === 'integer' ? 'an integer' : 'a finite number';
      if (spec.min !== undefined && spec.max !== undefined) return `${noun} between ${spec.min} and ${spec.max}`;
      if (spec.min !== undefined) return `${noun} ≥ ${spec.min}`;
      if (spec.max !== undefined) return `${noun} ≤ ${spec.max}`;
      return noun;
    }
  }
}

function valueFits(spec: OptionSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value);
    default:
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (spec.type !== 'integer' || Number.isInteger(value)) &&
        (spec.min === undefined || value >= spec.min) &&
        (spec.max === undefined || value <= spec.max)
      );
  }
}

/**
 * Every problem with `given` against `schema`, without throwing. `owner` names the plugin
 * in messages, e.g. `activation "leaky-relu"`.
 */
export function checkOptions(owner: string, schema: OptionsSchema, given: unknown): OptionIssue[] {
  if (given === undefined) return [];
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    const err = createError(PluginErrors.InvalidPluginOptions, [owner, given]);
    return [{ code: 'InvalidPluginOptions', message: err.message }];
  }
  const issues: OptionIssue[] = [];
  const valid = Object.keys(schema);
  for (const [key, value] of Object.entries(given)) {
    const spec = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (!spec) {
      const err = createError(PluginErrors.UnknownPluginOption, [owner, key, suggestNames(key, valid), valid]);
      issues.push({ key, code: 'UnknownPluginOption', message: err.message, hint: err.hint });
    } else if (value !== undefined && !valueFits(spec, value)) {
      const err = createError(PluginErrors.InvalidPluginOption, [owner, key, describeExpected(spec), value]);
      issues.push({ key, code: 'InvalidPluginOption', message: err.message, hint: spec.description });
    }
  }
  return issues;
}

/** Defaults merged with `given`; throws the first problem as a GradlabError. */
export function resolveOptions<S extends OptionsSchema>(owner: string, schema: S, given: unknown): OptionsOf<S> {
  const [first] = checkOptions(owner, schema, given);
  if (first) {
    throw new GradlabError({
      name: first.code,
      title: PluginErrors[first.code].title,
      message: first.message,
      hint: first.hint,
    });
  }
  const resolved: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) resolved[key] = spec.default;
  if (given) for (const [key, value] of Object.entries(given)) if (value !== undefined) resolved[key] = value;
  return resolved as OptionsOf<S>;
}

export { describeValue };
