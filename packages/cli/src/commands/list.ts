import type { Registry } from '@gradlab/core';
import { type OptionsSchema, PLUGIN_KINDS, suggestNames } from '@gradlab/plugin-api';
import { HELP_FLAG } from '../args.ts';
import { EXIT, quoteList, usageError } from '../errors.ts';
import { CORE_TABLES, describeOption, packageOf } from '../plugins.ts';
import { stringify } from '../run-outputs.ts';
import type { Style } from '../term.ts';
import { type Command, print } from './types.ts';

const KINDS = [...PLUGIN_KINDS, 'optimizer', 'dataset', 'loss'] as const;
type ListKind = (typeof KINDS)[number];

/** Accepted spellings of each kind, so `gradlab list activations` and `gradlab list init` work. */
const KIND_ALIASES: Record<string, ListKind> = {
  activations: 'activation',
  initializers: 'initializer',
  init: 'initializer',
  inits: 'initializer',
  clip: 'clipping',
  clippings: 'clipping',
  regularizers: 'regularizer',
  probes: 'probe',
  optimizers: 'optimizer',
  datasets: 'dataset',
  data: 'dataset',
  losses: 'loss',
};

interface Entry {
  readonly kind: ListKind;
  readonly id: string;
  readonly aliases: readonly string[];
  readonly title: string;
  readonly summary: string;
  readonly package: string;
  readonly options: readonly { name: string; type: string; default: string; range: string; description: string }[];
}

const optionsOf = (schema: OptionsSchema) =>
  Object.entries(schema).map(([name, spec]) => ({ name, ...describeOption(spec), description: spec.description }));

function entries(registry: Registry, kind: ListKind): Entry[] {
  if (kind === 'optimizer' || kind === 'dataset' || kind === 'loss') {
    return CORE_TABLES[kind].map((t) => ({
      kind,
      id: t.id,
      aliases: [],
      title: t.title,
      summary: t.summary,
      package: '@gradlab/core',
      options: optionsOf(t.options),
    }));
  }
  return registry.list(kind).map((def) => ({
    kind,
    id: def.meta.id,
    aliases: def.meta.aliases ?? [],
    title: def.meta.title,
    summary: def.meta.summary,
    package: packageOf(def),
    options: optionsOf(def.options),
  }));
}

function parseKind(raw: string): ListKind {
  const lower = raw.toLowerCase();
  if ((KINDS as readonly string[]).includes(lower)) return lower as ListKind;
  if (KIND_ALIASES[lower]) return KIND_ALIASES[lower];
  const near = suggestNames(lower, [...KINDS, ...Object.keys(KIND_ALIASES)]);
  throw usageError(
    `Unknown kind "${raw}".${near.length ? ` Did you mean ${quoteList(near)}?` : ''} Kinds: ${KINDS.join(', ')}.`,
  );
}

function render(kind: ListKind, list: readonly Entry[], style: Style): string {
  const heading = `${style.bold(kind === 'loss' ? 'LOSSES' : `${kind.toUpperCase()}S`)} (${list.length})`;
  if (list.length === 0) return `${heading}\n  (none installed)`;
  const width = Math.max(...list.map((e) => e.id.length)) + 2;
  const body = list.flatMap((e) => {
    const aka = e.aliases.length ? style.dim(` (alias ${e.aliases.join(', ')})`) : '';
    const text = e.summary ? `${e.title}: ${e.summary}` : e.title;
    return [
      `  ${style.cyan(e.id.padEnd(width))}${text}${aka}`,
      ...e.options.map(
        (o) =>
          `  ${' '.repeat(width)}${style.dim('·')} ${style.bold(o.name)} ${o.type}, default ${o.default}, ` +
          `${o.type === 'enum' || o.type === 'boolean' ? 'one of' : 'range'} ${o.range}: ${o.description}`,
      ),
    ];
  });
  return [heading, ...body].join('\n');
}

export const list: Command = {
  spec: {
    name: 'list',
    summary:
      'Show installed plugins (preset, probes, core built-ins), optimizers, datasets and losses, with their options.',
    description: `Kinds: ${KINDS.join(', ')} (plurals work too). Without a kind, every kind is listed.`,
    positionals: [{ name: 'kind', optional: true }],
    flags: {
      json: {
        type: 'boolean',
        description: 'Print the entries as JSON: [{ kind, id, aliases, title, summary, package, options }].',
      },
      help: HELP_FLAG,
    },
    examples: ['gradlab list', 'gradlab list activation', 'gradlab list optimizers --json'],
  },

  run({ values, positionals }, ctx) {
    const kinds: readonly ListKind[] = positionals[0] ? [parseKind(positionals[0])] : KINDS;
    const registry = ctx.registry();
    const all = kinds.map((k) => [k, entries(registry, k)] as const);
    if (values.json) print(ctx, stringify(all.flatMap(([, e]) => e)));
    else print(ctx, all.map(([k, e]) => render(k, e, ctx.style)).join('\n\n'));
    return EXIT.ok;
  },
};
