import { createError, PluginErrors } from './errors.ts';
import { type OptionsOf, type OptionsSchema, resolveOptions } from './options.ts';
import type {
  ActivationDefinition,
  ActivationFunctions,
  ActivationMeta,
  ClippingDefinition,
  ClippingFunctions,
  ClippingMeta,
  Definition,
  InitializerDefinition,
  InitializerFunctions,
  InitializerMeta,
  PluginKind,
  PluginMeta,
  ProbeDefinition,
  ProbeFunctions,
  ProbeMeta,
  RegularizerDefinition,
  RegularizerFunctions,
  RegularizerMeta,
} from './types.ts';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Checks that hold for every kind, at definition time, so a broken plugin fails on import. */
function assertMeta(kind: PluginKind, meta: PluginMeta, options: OptionsSchema): void {
  const owner = `${kind} "${meta?.id}"`;
  const fail = (problem: string) => {
    throw createError(PluginErrors.InvalidPluginDefinition, [owner, problem]);
  };
  if (!meta || meta.kind !== kind) fail(`meta.kind must be "${kind}"`);
  if (!KEBAB.test(meta.id)) fail('meta.id must be kebab-case, e.g. "leaky-relu"');
  for (const alias of meta.aliases ?? []) if (!KEBAB.test(alias)) fail(`alias "${alias}" must be kebab-case`);
  if (!meta.title) fail('meta.title is required');
  if (!/^[^.]+(\.[^.]+)*\.$/.test(meta.summary ?? '') || meta.summary.length > 200) {
    fail('meta.summary must be one sentence ending in a period');
  }
  for (const [key, spec] of Object.entries(options)) {
    if (!spec.description) fail(`option \`${key}\` needs a description`);
    if ((spec.type === 'number' || spec.type === 'integer') && !Number.isFinite(spec.default)) {
      fail(`option \`${key}\` needs a finite default`);
    }
    if ((spec.type === 'number' || spec.type === 'integer') && spec.min !== undefined && spec.default < spec.min) {
      fail(`option \`${key}\` default lies below its min`);
    }
    if ((spec.type === 'number' || spec.type === 'integer') && spec.max !== undefined && spec.default > spec.max) {
      fail(`option \`${key}\` default lies above its max`);
    }
    if (spec.type === 'enum' && !spec.values.includes(spec.default)) fail(`option \`${key}\` default is not a value`);
  }
}

function define<K extends PluginKind, S extends OptionsSchema, F extends object, M extends PluginMeta<K>>(
  kind: K,
  def: { meta: M; options?: S; create(options: OptionsOf<S>): F },
): Definition<K, S, F & { readonly id: string; readonly options: OptionsOf<S> }, M> {
  const schema = (def.options ?? {}) as S;
  assertMeta(kind, def.meta, schema);
  const owner = `${kind} "${def.meta.id}"`;
  const factory = (given?: Partial<OptionsOf<S>>) => {
    const options = Object.freeze(resolveOptions(owner, schema, given));
    const functions = def.create(options);
    return Object.freeze({ ...functions, id: def.meta.id, options });
  };
  Object.defineProperty(factory, 'name', { value: def.meta.id });
  return Object.assign(factory, { kind, meta: def.meta, options: schema });
}

export function defineActivation<S extends OptionsSchema = {}>(def: {
  meta: Omit<ActivationMeta, 'kind'> & { kind?: 'activation' };
  options?: S;
  create(options: OptionsOf<S>): ActivationFunctions;
}): ActivationDefinition<S> {
  return define('activation', { ...def, meta: { ...def.meta, kind: 'activation' } }) as ActivationDefinition<S>;
}

export function defineInitializer<S extends OptionsSchema = {}>(def: {
  meta: Omit<InitializerMeta, 'kind'> & { kind?: 'initializer' };
  options?: S;
  create(options: OptionsOf<S>): InitializerFunctions;
}): InitializerDefinition<S> {
  return define('initializer', { ...def, meta: { ...def.meta, kind: 'initializer' } }) as InitializerDefinition<S>;
}

export function defineClipping<S extends OptionsSchema = {}, State = unknown>(def: {
  meta: Omit<ClippingMeta, 'kind'> & { kind?: 'clipping' };
  options?: S;
  create(options: OptionsOf<S>): ClippingFunctions<State>;
}): ClippingDefinition<S> {
  return define('clipping', { ...def, meta: { ...def.meta, kind: 'clipping' } }) as unknown as ClippingDefinition<S>;
}

export function defineRegularizer<S extends OptionsSchema = {}>(def: {
  meta: Omit<RegularizerMeta, 'kind'> & { kind?: 'regularizer' };
  options?: S;
  create(options: OptionsOf<S>): RegularizerFunctions;
}): RegularizerDefinition<S> {
  return define('regularizer', { ...def, meta: { ...def.meta, kind: 'regularizer' } }) as RegularizerDefinition<S>;
}

export function defineProbe<S extends OptionsSchema = {}, Report = unknown>(def: {
  meta: Omit<ProbeMeta, 'kind'> & { kind?: 'probe' };
  options?: S;
  create(options: OptionsOf<S>): ProbeFunctions<Report>;
}): ProbeDefinition<S> {
  return define('probe', { ...def, meta: { ...def.meta, kind: 'probe' } }) as unknown as ProbeDefinition<S>;
}

/** True for anything made by a `define*` helper. */
export function isDefinition(value: unknown): value is Definition<PluginKind, OptionsSchema, unknown, PluginMeta> {
  return (
    typeof value === 'function' &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    typeof (value as { meta?: { id?: unknown } }).meta?.id === 'string'
  );
}
