/**
 * Build time only: what the generated reference pages list. Everything comes from catalogs (the
 * registry's metadata, the error catalog, the findings catalog), never from a hand-written list, so a
 * new plugin, error or finding gets its page by existing; e2e/reference.test.mjs checks that each did.
 */
import { ErrorData } from '@gradlab/core';
import type { AnyDefinition, PluginKind } from '@gradlab/plugin-api';
import { FINDINGS } from '@gradlab/probes';
import katex from 'katex';
import { buildRegistry } from '../lab/build.ts';

export const KINDS: readonly PluginKind[] = ['activation', 'initializer', 'clipping', 'regularizer', 'probe'];

export const KIND_TITLES: Record<PluginKind, string> = {
  activation: 'Activations',
  initializer: 'Initializers',
  clipping: 'Clipping rules',
  regularizer: 'Regularizers',
  probe: 'Probes',
};

export const pluginsOf = (kind: PluginKind): AnyDefinition[] => buildRegistry.list(kind);

/** The package a plugin comes from: core built-ins, the probes package, or its own package. */
export function packageOf(def: AnyDefinition): string {
  if (def.kind === 'probe') return '@gradlab/probes';
  if (['linear', 'zeros'].includes(def.meta.id)) return '@gradlab/core';
  return `@gradlab/${def.kind}-${def.meta.id}`;
}

export const pluginHref = (kind: string, id: string) => `/reference/${kind}/${id}/`;
export const errorNames = () => Object.keys(ErrorData).sort();
export const findingCodes = () => Object.keys(FINDINGS).sort();

/** KaTeX HTML for a formula in the metadata (display mode, keyboard-scrollable when wide). */
export const tex = (source: string) => katex.renderToString(source, { displayMode: true, throwOnError: false });

/** Finds the definition a fix's `try` id names, in any kind (ids are unique across kinds). */
export function findPlugin(id: string): AnyDefinition | undefined {
  for (const kind of KINDS) {
    const def = buildRegistry.get(kind, id);
    if (def) return def;
  }
  return undefined;
}

/** "camelCase" or "kebab" property names in words for tables. */
export const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** A metadata value in words: booleans as yes/no, arrays joined, objects as JSON. */
export function show(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return String(v);
}
