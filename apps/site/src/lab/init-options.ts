/**
 * The initializers' own options as lab controls (page 6): He's `mode` and `distribution`, Glorot's
 * `distribution`, normal's `std`, constant's `value`, … read from each plugin's option schema, so a new
 * initializer or option appears without a site change and no value is listed by hand here.
 *
 * A setting holds an option under `init` + its capitalized name (`initMode`, `initDistribution`,
 * `initStd`, `initValue`). It goes to the selected initializer only if that initializer declares the
 * option (`initMode` is ignored for Glorot, which has no mode): one set of controls serves every
 * initializer in the select. `gain` keeps its own control (the canonical probe multiplies it in).
 */
import type { Registry } from '@gradlab/core';
import type { LoosePluginRef } from '@gradlab/plugin-api';
import type { Setting } from './protocol.ts';
import type { ControlDef } from './state.ts';

interface OptionSpec {
  readonly type?: string;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly default?: unknown;
}

/** `mode` → `initMode`. */
export const initKey = (option: string): string => `init${option[0].toUpperCase()}${option.slice(1)}`;

/** The option a setting key names (`initMode` → `mode`), or undefined for any other key. */
export function optionOfKey(key: string): string | undefined {
  return /^init[A-Z]/.test(key) ? `${key[4].toLowerCase()}${key.slice(5)}` : undefined;
}

/** Initializer id → the options of its own that a setting can set (all but `gain`), from the schemas. */
export type InitOptions = Readonly<Record<string, readonly string[]>>;

export function declaredInitOptions(registry: Registry): InitOptions {
  return Object.fromEntries(
    registry.list('initializer').map((d) => [d.meta.id, Object.keys(d.options).filter((o) => o !== 'gain')]),
  );
}

/** The `init…` options of a setting that its initializer declares, in the setting's key order. */
function chosen(s: Setting, declared: InitOptions): Record<string, number | string> {
  const own = typeof s.initializer === 'string' ? (declared[s.initializer] ?? []) : [];
  const options: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(s)) {
    const option = optionOfKey(key);
    if (option && own.includes(option)) options[option] = value;
  }
  return options;
}

/** The initializer reference a setting names: its id, with every `init…` option it declares. */
export function initializerRef(registry: Registry, s: Setting): LoosePluginRef | undefined {
  if (typeof s.initializer !== 'string') return undefined;
  const options = chosen(s, declaredInitOptions(registry));
  return Object.keys(options).length ? [s.initializer, options] : s.initializer;
}

/** The same as `gradlab probe --init`: `he`, or `he:mode=fan-out:distribution=uniform`. */
export function initFlag(s: Setting, declared: InitOptions): string {
  const options = Object.entries(chosen(s, declared));
  return [String(s.initializer), ...options.map(([k, v]) => `${k}=${v}`)].join(':');
}

/**
 * A control for one initializer option, built from every initializer that declares it: an enum
 * becomes a select of the union of its values, a number a range over the union of the declared bounds
 * (`fallback` supplies a bound the schemas leave open, e.g. normal's std has no maximum).
 */
export function initOptionControl(
  registry: Registry,
  key: string,
  fallback: { min?: number; max?: number; step?: number; label?: string } = {},
): ControlDef {
  const option = optionOfKey(key);
  const specs = registry
    .list('initializer')
    .map((d) => ({ id: d.meta.id, spec: (d.options as Record<string, OptionSpec>)[option ?? ''] }))
    .filter((x): x is { id: string; spec: OptionSpec } => x.spec !== undefined);
  if (!option || specs.length === 0)
    throw new TypeError(`lab control ${key}: no registered initializer declares an option "${option ?? key}".`);
  const who = specs.map((x) => x.id).join(', ');
  const label = fallback.label ?? `${option} (${who})`;
  // Disabled (and not sent) while the selected initializer does not declare the option.
  const appliesWhen = { control: 'initializer', values: specs.map((x) => x.id) };
  if (specs.every((x) => x.spec.type === 'enum')) {
    const values = [...new Set(specs.flatMap((x) => x.spec.values ?? []))];
    return { kind: 'select', name: key, label, options: values.map((v) => ({ value: v, label: v })), appliesWhen };
  }
  if (specs.every((x) => x.spec.type === 'number')) {
    const mins = specs.map((x) => x.spec.min).filter((v): v is number => v !== undefined);
    const maxs = specs.map((x) => x.spec.max).filter((v): v is number => v !== undefined);
    const min = fallback.min ?? (mins.length ? Math.min(...mins) : -1);
    const max = fallback.max ?? (maxs.length ? Math.max(...maxs) : 1);
    const step = fallback.step ?? Math.min(...specs.map((x) => x.spec.step ?? 0.01));
    return { kind: 'range', name: key, label, min, max, step, appliesWhen };
  }
  throw new TypeError(`lab control ${key}: option "${option}" has different types across initializers (${who}).`);
}
