import { createRegistry, DATASETS, LOSS_IDS, OPTIMIZERS, type Registry } from '@gradlab/core';
import type { AnyDefinition, OptionSpec, OptionsSchema, PluginKind } from '@gradlab/plugin-api';
import { suggestNames } from '@gradlab/plugin-api';
import standard from '@gradlab/preset-standard';
import { quoteList, usageError } from './errors.ts';
import { probeDefinitions } from './probes.ts';

/** Core built-ins, the standard preset and the probes: everything the CLI can name. */
export function cliRegistry(): Registry {
  return createRegistry().use(standard).use(probeDefinitions());
}

/** Which package a definition ships in (for `gradlab list`). */
export function packageOf(def: AnyDefinition): string {
  if ((standard as readonly unknown[]).includes(def)) return `@gradlab/${def.kind}-${def.meta.id}`;
  if (probeDefinitions().includes(def)) return '@gradlab/probes';
  return '@gradlab/core';
}

/** Every id and alias of a kind. */
export function namesOf(registry: Registry, kind: PluginKind): string[] {
  return registry.list(kind).flatMap((d) => [d.meta.id, ...(d.meta.aliases ?? [])]);
}

/**
 * The canonical id of a plugin named on the command line (ids and aliases both work), or a
 * usage error such as `Unknown activation "rleu". Did you mean "relu"?`.
 */
export function resolvePluginId(registry: Registry, kind: PluginKind, raw: string): string {
  const def = registry.get(kind, raw);
  if (def) return def.meta.id;
  const near = suggestNames(raw, namesOf(registry, kind));
  throw usageError(
    `Unknown ${kind} "${raw}".` +
      (near.length ? ` Did you mean ${quoteList(near)}?` : '') +
      ` Run "gradlab list ${kind}" to see all ${registry.list(kind).length}.`,
  );
}

const LOSS_TEXT: Record<string, [string, string]> = {
  mse: ['Mean squared error', 'Mean of (ŷ − y)² over rows and outputs; for regression, and usable for classification.'],
  'mse-sum': [
    'Sum of squared errors',
    "Σ (ŷ − y)² over rows and outputs, not averaged (PyTorch MSELoss(reduction='sum')); grows with the batch.",
  ],
  bce: ['Binary cross-entropy', 'Cross-entropy of sigmoid(logit) against 0/1 targets; the last layer must be linear.'],
  'softmax-ce': [
    'Softmax cross-entropy',
    'Cross-entropy of softmax(logits) against one-hot targets; the last layer must be linear.',
  ],
};

/** Option schemas of core's own tables, in the shape `gradlab list` prints. */
export const CORE_TABLES = {
  optimizer: Object.values(OPTIMIZERS).map((o) => ({ id: o.id, title: o.title, summary: '', options: o.options })),
  dataset: Object.values(DATASETS).map((d) => ({ id: d.id, title: d.title, summary: d.summary, options: d.options })),
  loss: LOSS_IDS.map((id) => ({
    id,
    title: LOSS_TEXT[id][0],
    summary: LOSS_TEXT[id][1],
    options: {} as OptionsSchema,
  })),
};

/** `number, default 0.01, range [0, 1]` for one option. */
export function describeOption(spec: OptionSpec): { type: string; default: string; range: string } {
  const range =
    spec.type === 'enum'
      ? spec.values.join(' | ')
      : spec.type === 'boolean'
        ? 'true | false'
        : spec.min !== undefined && spec.max !== undefined
          ? `[${spec.min}, ${spec.max}]`
          : spec.min !== undefined
            ? `≥ ${spec.min}`
            : spec.max !== undefined
              ? `≤ ${spec.max}`
              : 'any';
  return { type: spec.type, default: JSON.stringify(spec.default), range };
}
