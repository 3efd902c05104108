import {
  type Activation,
  type AnyDefinition,
  type Clipping,
  checkOptions,
  describeValue,
  type Initializer,
  isDefinition,
  PLUGIN_KINDS,
  type PluginKind,
  type PluginMeta,
  type Probe,
  type Regularizer,
  suggestNames,
} from '@gradlab/plugin-api';
import { linear, zeros } from './builtins.ts';
import { ErrorData, GradlabError, gradlabError, type SpecIssue } from './errors/index.ts';

/** What each kind's factory returns. */
export interface InstanceOf {
  activation: Activation;
  initializer: Initializer;
  clipping: Clipping;
  regularizer: Regularizer;
  probe: Probe;
}

/** A plugin, or a (nested) list of plugins such as a preset. */
export type Pluggable = AnyDefinition | readonly Pluggable[];

export interface Registry {
  /** Add plugins; ids and aliases must be new unless `override` (unified's `use`). */
  use(plugins: Pluggable, options?: { override?: boolean }): Registry;
  /** The definition for an id or alias, or undefined. */
  get(kind: PluginKind, id: string): AnyDefinition | undefined;
  /** Registered definitions of a kind, sorted by id. */
  list(kind: PluginKind): AnyDefinition[];
  /** Problems with a reference, each with its path; empty when it resolves. */
  check(kind: PluginKind, ref: unknown, path: string): SpecIssue[];
  /** Resolve `'relu'` or `['leaky-relu', { alpha: 0.1 }]` to an instance; throws a GradlabError. */
  resolve<K extends PluginKind>(kind: K, ref: unknown, path?: string): InstanceOf[K];
  /** No more `use()`: called when training starts. */
  freeze(): Registry;
  readonly frozen: boolean;
}

/** A new registry holding the built-ins (`linear`, `zeros`). No global registry exists. */
export function createRegistry(): Registry {
  const byKind = new Map<PluginKind, Map<string, AnyDefinition>>(PLUGIN_KINDS.map((k) => [k, new Map()]));
  let frozen = false;

  const names = (def: AnyDefinition) => [def.meta.id, ...((def.meta as PluginMeta).aliases ?? [])];

  function add(def: AnyDefinition, override: boolean) {
    if (frozen) throw gradlabError('RegistryFrozen', [def.meta.id]);
    const table = byKind.get(def.kind)!;
    for (const name of names(def)) {
      const existing = table.get(name);
      if (existing && existing !== def && !override) throw gradlabError('DuplicatePlugin', [def.kind, name]);
      // Unique across kinds too (even with override): an id in a finding or hint names one plugin.
      const other = PLUGIN_KINDS.find((k) => k !== def.kind && byKind.get(k)!.has(name));
      if (other) throw gradlabError('PluginIdInUse', [def.kind, name, other]);
    }
    for (const name of names(def)) table.set(name, def);
  }

  function walk(plugins: Pluggable, override: boolean) {
    if (Array.isArray(plugins)) for (const p of plugins) walk(p, override);
    else if (isDefinition(plugins)) add(plugins as AnyDefinition, override);
    else throw gradlabError('InvalidPreset', [describeValue(plugins)]);
  }

  function split(ref: unknown): { id: string; options: unknown } | undefined {
    if (typeof ref === 'string') return { id: ref, options: undefined };
    if (Array.isArray(ref) && (ref.length === 1 || ref.length === 2) && typeof ref[0] === 'string') {
      return { id: ref[0], options: ref[1] };
    }
    return undefined;
  }

  const registry: Registry = {
    get frozen() {
      return frozen;
    },
    use(plugins, options = {}) {
      walk(plugins, options.override ?? false);
      return registry;
    },
    get(kind, id) {
      return byKind.get(kind)?.get(id);
    },
    list(kind) {
      return [...new Set(byKind.get(kind)!.values())].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
    },
    check(kind, ref, path) {
      const parts = split(ref);
      if (!parts) {
        const err = gradlabError('InvalidPluginRef', [kind, describeValue(ref)]);
        return [{ path, code: 'InvalidPluginRef', message: err.message }];
      }
      const def = registry.get(kind, parts.id);
      if (!def) {
        const ids = registry.list(kind).map((d) => d.meta.id);
        const all = [...byKind.get(kind)!.keys()];
        const err = gradlabError('UnknownPlugin', [kind, parts.id, suggestNames(parts.id, all), ids]);
        return [{ path, code: 'UnknownPlugin', message: err.message, hint: err.hint }];
      }
      const optionsPath = Array.isArray(ref) ? `${path}[1]` : path;
      return checkOptions(`${kind} "${def.meta.id}"`, def.options, parts.options).map((issue) => ({
        path: issue.key ? `${optionsPath}.${issue.key}` : optionsPath,
        code: issue.code,
        message: issue.message,
        hint: issue.hint,
      }));
    },
    resolve(kind, ref, path = '') {
      const [issue] = registry.check(kind, ref, path);
      if (issue) {
        const { title } = ErrorData[issue.code as keyof typeof ErrorData];
        throw new GradlabError({ name: issue.code, title, message: issue.message, hint: issue.hint, path: issue.path });
      }
      const parts = split(ref)!;
      return (registry.get(kind, parts.id) as unknown as (o: unknown) => InstanceOf[typeof kind])(parts.options);
    },
    freeze() {
      frozen = true;
      return registry;
    },
  };
  return registry.use([linear, zeros]);
}
