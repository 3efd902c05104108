import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginPackage } from './workspace.ts';

/** The export condition that maps every workspace package to its TypeScript source. */
export const SOURCE_CONDITION = '@gradlab/source';

let hooked = false;

/**
 * Make `import '@gradlab/x'` resolve through the `@gradlab/source` export condition, so this
 * process reads sibling packages' `src/*.ts` (Node 24 strips the types) and needs no build.
 */
export function useSourceCondition(): void {
  if (hooked || process.execArgv.some((a) => a.includes(SOURCE_CONDITION))) return;
  hooked = true;
  registerHooks({
    resolve(specifier, context, next) {
      const conditions = context.conditions.includes(SOURCE_CONDITION)
        ? context.conditions
        : [...context.conditions, SOURCE_CONDITION];
      return next(specifier, { ...context, conditions });
    },
  });
}

/** Minimal view of a definition, as the tools need it (the real types live in @gradlab/plugin-api). */
export interface LoadedDefinition {
  (options?: Record<string, unknown>): Record<string, unknown>;
  readonly kind: string;
  // biome-ignore lint/suspicious/noExplicitAny: metadata differs per kind; the renderers read it defensively.
  readonly meta: Record<string, any>;
  readonly options: Readonly<Record<string, OptionSpecLike>>;
}

export interface OptionSpecLike {
  readonly type: 'number' | 'integer' | 'boolean' | 'enum';
  readonly default: number | string | boolean;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly values?: readonly string[];
  readonly description: string;
}

export type LoadResult =
  | { ok: true; module: Record<string, unknown>; definition: LoadedDefinition | undefined }
  | { ok: false; error: string };

/** Same test as plugin-api's `isDefinition`, without importing it (the tools have no runtime deps on it). */
export function isDefinitionLike(value: unknown): value is LoadedDefinition {
  return (
    typeof value === 'function' &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    typeof (value as { meta?: { id?: unknown } }).meta?.id === 'string' &&
    typeof (value as { options?: unknown }).options === 'object'
  );
}

/** Import a plugin package's `src/index.ts`; never throws (the error message is returned instead). */
export async function loadPluginSource(plugin: Pick<PluginPackage, 'path'>): Promise<LoadResult> {
  useSourceCondition();
  try {
    const module = (await import(pathToFileURL(join(plugin.path, 'src/index.ts')).href)) as Record<string, unknown>;
    const definition = isDefinitionLike(module.default) ? module.default : undefined;
    return { ok: true, module, definition };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, error: message.split('\n')[0] };
  }
}
