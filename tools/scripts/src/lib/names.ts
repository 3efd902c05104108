import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPluginSource, useSourceCondition } from './load.ts';
import { listPluginPackages } from './workspace.ts';

/** Where an id or alias is already used: `activation:relu (packages/activations/relu)`. */
export type NameOwners = Map<string, string>;

interface RegistryLike {
  list(kind: string): { meta: { id: string; aliases?: readonly string[] } }[];
}

/** Ids and aliases of the engine's built-ins (`linear`, `zeros`), read from core's source registry. */
export async function builtinNames(root: string): Promise<NameOwners> {
  const owners: NameOwners = new Map();
  const entry = join(root, 'packages/core/src/index.ts');
  if (!existsSync(entry)) return owners;
  useSourceCondition();
  try {
    const core = (await import(pathToFileURL(entry).href)) as { createRegistry?: () => RegistryLike };
    if (typeof core.createRegistry !== 'function') return owners;
    const registry = core.createRegistry();
    for (const kind of ['activation', 'initializer', 'clipping', 'regularizer', 'probe']) {
      for (const def of registry.list(kind)) {
        for (const name of [def.meta.id, ...(def.meta.aliases ?? [])])
          owners.set(name, `${kind}:${def.meta.id} (built into @gradlab/core)`);
      }
    }
  } catch {
    // An engine that does not load yet has no built-ins to protect.
  }
  return owners;
}

/** Every id and alias in the repo: plugin packages (meta from source, else package.json#gradlab) and built-ins. */
export async function takenNames(root: string): Promise<NameOwners> {
  const owners = await builtinNames(root);
  for (const plugin of listPluginPackages(root)) {
    const loaded = await loadPluginSource(plugin);
    const meta = loaded.ok ? loaded.definition?.meta : undefined;
    const names = new Set<string>([
      plugin.id,
      ...(meta ? [meta.id, ...((meta.aliases as string[] | undefined) ?? [])] : []),
    ]);
    for (const name of names) if (!owners.has(name)) owners.set(name, `${plugin.kind}:${plugin.id} (${plugin.dir})`);
  }
  return owners;
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof let new null return static super switch this throw true try typeof var void while with yield await implements interface package private protected public'.split(
    ' ',
  ),
);

/** The variable a plugin is imported as: camelCase of the id (`leakyRelu`), kind-suffixed if reserved. */
export function variableName(kind: string, id: string): string {
  const camel = id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return RESERVED.has(camel) ? `${camel}${kind.charAt(0).toUpperCase()}${kind.slice(1)}` : camel;
}
