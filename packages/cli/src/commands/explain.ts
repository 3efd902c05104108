import { ErrorData, SpecIssueCodes } from '@gradlab/core';
import { suggestNames } from '@gradlab/plugin-api';
import { HELP_FLAG } from '../args.ts';
import { EXIT, quoteList, usageError } from '../errors.ts';
import { cliRegistry } from '../plugins.ts';
import { describeChange, type FindingInfo, findingsCatalog } from '../probes.ts';
import { stringify } from '../run-outputs.ts';
import type { Style } from '../term.ts';
import { type Command, print } from './types.ts';

/** Sample arguments that turn each catalog message into a realistic example. */
const EXAMPLE_ARGS: Record<string, readonly unknown[]> = {
  UnknownPluginOption: ['activation "leaky-relu"', 'alhpa', ['alpha'], ['alpha']],
  InvalidPluginOption: ['activation "leaky-relu"', 'alpha', 'a finite number between 0 and 1', 3],
  InvalidPluginOptions: ['activation "leaky-relu"', 0.1],
  InvalidPluginDefinition: ['activation "my-act"', 'meta.summary must be one sentence ending in a period'],
  PluginError: ['activation:gelu', 'derivative', 'returned NaN for x = 12.5 (layer 2, step 140).'],
  ExperimentSpecError: [[{ path: 'model.layers[1].activation', message: 'Unknown activation "rleu".' }]],
  UnknownPlugin: ['activation', 'rleu', ['relu', 'elu'], ['elu', 'gelu', 'leaky-relu', 'relu', 'sigmoid', 'tanh']],
  InvalidPluginRef: ['activation', 'an object'],
  DuplicatePlugin: ['activation', 'relu'],
  RegistryFrozen: ['my-act'],
  InvalidPreset: ['undefined'],
  NonFiniteLoss: [140, Number.NaN],
  DataShapeError: ['y has 99 values; rows × outputs is 100'],
  ModelFormatError: ['`format` must be "gradlab-model"'],
  MissingRegistry: ['train', 'no options'],
  PluginIdInUse: ['activation', 'zeros', 'initializer'],
  SessionFinished: [160],
  InvalidOptions: [
    'runProbe',
    [{ option: 'depth', message: 'must be a whole number between 1 and 999 (received 0).' }],
  ],
};

/** Commands that reproduce a finding in the canonical setup. */
const SEE_IT: Record<string, string> = {
  VANISHING_GRADIENTS: 'gradlab probe --activation sigmoid --init glorot --depth 8',
  EXPLODING_GRADIENTS: 'gradlab probe --activation relu --init he --gain 2 --depth 20',
  DEAD_UNITS: 'gradlab probe --activation relu --init he --bias -1 --depth 5 --steps 20 --lr 0.01',
  SATURATION: 'gradlab probe --activation tanh --init glorot --gain 8 --depth 5',
  SYMMETRY: 'gradlab probe --activation tanh --init zeros',
  LOSS_DIVERGING: 'gradlab probe --depth 4 --steps 10 --lr 10',
  NAN_DETECTED: 'gradlab probe --depth 4 --steps 10 --lr 10',
  UPDATE_RATIO: 'gradlab probe --activation tanh --init glorot --depth 3 --steps 3 --lr 1e-9',
};

/** A plugin id from a fix's `try` list, with the flag or spec field that sets it. */
function tryText(id: string): string {
  const registry = cliRegistry();
  if (registry.get('activation', id)) return `--activation ${id}`;
  if (registry.get('initializer', id)) return `--init ${id}`;
  for (const kind of ['clipping', 'regularizer', 'probe'] as const) {
    if (registry.get(kind, id)) return `${kind} "${id}"`;
  }
  return id;
}

type Explained =
  | { kind: 'finding'; code: string; info: FindingInfo }
  | { kind: 'error'; code: string; title: string; example?: string; hint?: string; specIssue?: string }
  | { kind: 'spec-issue'; code: string; title: string };

function catalog(): Map<string, Explained> {
  const map = new Map<string, Explained>();
  for (const [code, info] of Object.entries(findingsCatalog())) map.set(code, { kind: 'finding', code, info });
  for (const [code, entry] of Object.entries(ErrorData)) {
    const args = EXAMPLE_ARGS[code] ?? [];
    const call = (fn: ((...a: never[]) => string) | undefined) => {
      try {
        return fn ? (fn as (...a: unknown[]) => string)(...args) : undefined;
      } catch {
        return undefined;
      }
    };
    map.set(code, {
      kind: 'error',
      code,
      title: entry.title,
      example: EXAMPLE_ARGS[code] ? call(entry.message) : undefined,
      hint: call('hint' in entry ? entry.hint : undefined),
      specIssue: (SpecIssueCodes as Record<string, string>)[code],
    });
  }
  for (const [code, title] of Object.entries(SpecIssueCodes)) {
    if (!map.has(code)) map.set(code, { kind: 'spec-issue', code, title });
  }
  return map;
}

/** Finding codes are SCREAMING_SNAKE, error names PascalCase; accept any case and `-` for `_`. */
function lookup(map: Map<string, Explained>, raw: string): Explained {
  const key = raw.trim().replace(/-/g, '_').toLowerCase();
  for (const [code, e] of map) if (code.toLowerCase() === key || code.toLowerCase() === key.replace(/_/g, '')) return e;
  const near = suggestNames(raw.trim(), [...map.keys()]);
  throw usageError(
    `Unknown code "${raw}".${near.length ? ` Did you mean ${quoteList(near)}?` : ''} Run "gradlab explain" to list every code.`,
  );
}

function render(e: Explained, style: Style): string {
  const head = (text: string) => style.bold(text);
  if (e.kind === 'finding') {
    const { info } = e;
    return [
      `${style.bold(e.code)} ${style.dim('(finding)')}: ${info.title}`,
      '',
      head('What it means'),
      `  ${info.meaning}`,
      '',
      head('Common causes'),
      ...info.causes.map((c) => `  • ${c}`),
      '',
      head('Fixes'),
      ...info.fixes.flatMap((f) => [
        `  • ${f.text}`,
        ...(f.changes?.length
          ? [
              `    ${style.dim('gradlab probe/doctor:')} ${f.changes.map((c) => style.cyan(describeChange(c, 'cli'))).join(' · ')}`,
              `    ${style.dim('in a spec:')} ${f.changes.map((c) => describeChange(c, 'spec')).join(' · ')}`,
            ]
          : f.try?.length
            ? [`    ${style.dim('try:')} ${f.try.map((id) => style.cyan(tryText(id))).join(', ')}`]
            : []),
      ]),
      '',
      style.dim('gradlab doctor tries each of these on your setup with the same seed and reports which clear it.'),
      ...(info.emittedBy.length
        ? ['', style.dim(`Emitted by the probe${info.emittedBy.length > 1 ? 's' : ''} ${info.emittedBy.join(', ')}.`)]
        : []),
      ...(SEE_IT[e.code] ? [style.dim(`See it: ${SEE_IT[e.code]}`)] : []),
    ].join('\n');
  }
  if (e.kind === 'spec-issue') {
    return [
      `${style.bold(e.code)} ${style.dim('(spec issue code)')}: ${e.title}`,
      '',
      '  `gradlab validate spec.json` lists every issue of a spec with its path, code, message and hint.',
    ].join('\n');
  }
  return [
    `${style.bold(e.code)} ${style.dim('(error)')}: ${e.title}`,
    ...(e.specIssue ? ['', `  Also a spec issue code: ${e.specIssue}`] : []),
    ...(e.example
      ? ['', head('Example'), ...e.example.split('\n').map((l, i) => (i === 0 ? `  ${e.code}: ${l}` : `  ${l}`))]
      : []),
    ...(e.hint ? ['', head('What to do'), `  ${e.hint}`] : []),
  ].join('\n');
}

function renderIndex(map: Map<string, Explained>, style: Style): string {
  const width = Math.max(...[...map.keys()].map((k) => k.length)) + 2;
  const group = (kind: Explained['kind']) =>
    [...map.values()]
      .filter((e) => e.kind === kind)
      .map((e) => `  ${style.cyan(e.code.padEnd(width))}${style.dim('title' in e ? e.title : e.info.title)}`);
  return [
    head(style, 'Findings (from probes)'),
    ...group('finding'),
    '',
    head(style, 'Errors'),
    ...group('error'),
    '',
    head(style, 'Spec issue codes (gradlab validate)'),
    ...group('spec-issue'),
    '',
    'Run "gradlab explain <code>" for one of them.',
  ].join('\n');
}

const head = (style: Style, text: string) => style.bold(text);

export const explain: Command = {
  spec: {
    name: 'explain',
    summary: 'Explain a finding code (what it means, causes, fixes) or an error name; without a code, list them all.',
    positionals: [{ name: 'code', optional: true }],
    flags: {
      json: { type: 'boolean', description: 'Print the catalog entry as JSON.' },
      help: HELP_FLAG,
    },
    examples: [
      'gradlab explain VANISHING_GRADIENTS',
      'gradlab explain dead-units',
      'gradlab explain UnknownPlugin',
      'gradlab explain',
    ],
  },

  run({ values, positionals }, ctx) {
    const map = catalog();
    if (!positionals[0]) {
      print(ctx, values.json ? stringify([...map.values()]) : renderIndex(map, ctx.style));
      return EXIT.ok;
    }
    const entry = lookup(map, positionals[0]);
    print(ctx, values.json ? stringify(entry) : render(entry, ctx.style));
    return EXIT.ok;
  },
};
