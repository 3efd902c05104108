import type { LoadedDefinition, OptionSpecLike } from './load.ts';
import { camelCase } from './workspace.ts';

/**
 * README generation for plugin packages. A README is human prose plus generated blocks
 * between `<!-- gradlab:gen:NAME -->` and `<!-- /gradlab:gen:NAME -->`; only the blocks are
 * ever rewritten, so the `## Notes` section (and anything else humans write) is kept. The
 * `# title` line is inserted when missing and otherwise left to humans.
 */
export const BLOCKS = ['summary', 'install', 'usage', 'options', 'formula', 'properties', 'references'] as const;
export type BlockName = (typeof BLOCKS)[number];
export type Blocks = Record<BlockName, string>;

/** Required `##` sections, in canonical order, with the generated blocks each one holds. */
export const SECTIONS: readonly { title: string; blocks: readonly BlockName[] }[] = [
  { title: 'Install', blocks: ['install'] },
  { title: 'Usage', blocks: ['usage'] },
  { title: 'Options', blocks: ['options'] },
  { title: 'Formula', blocks: ['formula', 'properties'] },
  { title: 'Notes', blocks: [] },
  { title: 'References', blocks: ['references'] },
];
export const NOTES_PLACEHOLDER = '_No notes yet._';

const open = (name: string) => `<!-- gradlab:gen:${name} -->`;
const close = (name: string) => `<!-- /gradlab:gen:${name} -->`;
const block = (name: string, content: string) => `${open(name)}\n${content.trim()}\n${close(name)}`;

export interface PluginInfo {
  readonly packageName: string;
  readonly kind: string;
  readonly id: string;
}

function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(value);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const yes = (value: unknown) => (value ? 'yes' : 'no');

function formatNumber(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (x === Number.NEGATIVE_INFINITY) return '−∞';
  return String(x).replace(/^-/, '−');
}

/** `'relu'` or `['leaky-relu', { alpha: 0.01 }]` with every option at its default. */
export function exampleRef(def: LoadedDefinition): string {
  const entries = Object.entries(def.options);
  if (entries.length === 0) return literal(def.meta.id);
  const opts = entries.map(([key, spec]) => `${key}: ${literal(spec.default)}`).join(', ');
  return `[${literal(def.meta.id)}, { ${opts} }]`;
}

function allowed(spec: OptionSpecLike): string {
  if (spec.type === 'boolean') return '`true`, `false`';
  if (spec.type === 'enum') return (spec.values ?? []).map((v) => `\`${literal(v)}\``).join(', ');
  const lo = spec.min === undefined ? '−∞' : formatNumber(spec.min);
  const hi = spec.max === undefined ? '∞' : formatNumber(spec.max);
  const range = spec.min === undefined && spec.max === undefined ? 'any finite number' : `${lo} … ${hi}`;
  return spec.type === 'integer' ? `integer, ${range}` : spec.step ? `${range} (step ${spec.step})` : range;
}

function usage(info: PluginInfo, def: LoadedDefinition): string {
  const v = camelCase(info.id);
  const ref = exampleRef(def);
  const where: Record<string, string> = {
    activation: `// In an experiment spec, refer to it by id (or [id, options]):\nconst layer = { type: 'dense', units: 64, activation: ${ref} };`,
    initializer: `// In an experiment spec, refer to it by id (or [id, options]):\nconst layer = { type: 'dense', units: 64, activation: 'relu', initializer: ${ref} };`,
    clipping: `// In an experiment spec, transforms run in the order listed:\nconst train = { loss: 'mse', optimizer: 'sgd', batchSize: 32, clipping: [${ref}] };`,
    regularizer: `// In an experiment spec (penalty gradients are added before clipping):\nconst train = { loss: 'mse', optimizer: 'sgd', batchSize: 32, regularizers: [${ref}] };`,
  };
  const direct: Record<string, string> = {
    activation: `// Or call it directly:\nconst f = ${v}();\nconst y = f.forward(0.5);\nconst dy = f.derivative(0.5, y);`,
  };
  return [
    '```ts',
    `import { createRegistry } from '@gradlab/core';`,
    `import ${v} from '${info.packageName}';`,
    '',
    `const registry = createRegistry().use(${v});`,
    '',
    where[info.kind] ?? `// Refer to it by id: ${ref}`,
    ...(direct[info.kind] ? ['', direct[info.kind]] : []),
    '```',
  ].join('\n');
}

function options(def: LoadedDefinition): string {
  const entries = Object.entries(def.options);
  if (entries.length === 0) return 'This plugin has no options.';
  const rows = entries.map(
    ([key, spec]) =>
      `| \`${key}\` | ${spec.type} | \`${literal(spec.default)}\` | ${cell(allowed(spec))} | ${cell(spec.description)} |`,
  );
  return ['| Option | Type | Default | Allowed | Description |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function formula(info: PluginInfo, def: LoadedDefinition): string {
  const m = def.meta;
  const math = (tex: unknown) => `$$\n${String(tex ?? '').trim()}\n$$`;
  if (info.kind === 'activation' && m.formula && typeof m.formula === 'object') {
    return `${math(m.formula.forward)}\n\n${math(m.formula.derivative)}`;
  }
  return m.formula ? math(m.formula) : 'No formula declared.';
}

function instanceOf(def: LoadedDefinition): Record<string, unknown> | undefined {
  try {
    return def();
  } catch {
    return undefined;
  }
}

function properties(info: PluginInfo, def: LoadedDefinition): string {
  const m = def.meta;
  const rows: [string, string][] = [];
  if (info.kind === 'activation') {
    const p = m.properties ?? {};
    const [lo, hi] = m.range ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    const left = lo === Number.NEGATIVE_INFINITY ? '(' : '[';
    const right = hi === Number.POSITIVE_INFINITY ? ')' : ']';
    rows.push(['Range', `${left}${formatNumber(lo)}, ${formatNumber(hi)}${right}`]);
    rows.push(['Monotonic', yes(p.monotonic)]);
    rows.push(['Passes through the origin (f(0) = 0)', yes(p.passesThroughOrigin)]);
    rows.push(['Zero-centred outputs (mean of f(z) ≈ 0 for z ~ N(0, 1))', yes(p.zeroCentered)]);
    rows.push(['Smooth (C¹)', yes(p.smooth)]);
    const sat: Record<string, string> = { none: 'no', negative: 'for negative inputs', both: 'on both sides' };
    rows.push(['Saturates', sat[p.saturates] ?? String(p.saturates)]);
    if (m.kinks?.length) rows.push(['Kinks', m.kinks.map((k: number) => `x = ${formatNumber(k)}`).join(', ')]);
    if (m.recommendedInitializer) rows.push(['Recommended initializer', `\`${m.recommendedInitializer}\``]);
    const gain = instanceOf(def)?.gain;
    if (typeof gain === 'number') rows.push(['Gain (default options)', String(Number(gain.toPrecision(6)))]);
  } else if (info.kind === 'initializer') {
    rows.push(['Family', String(m.family)]);
    if (m.pairsWith?.length) rows.push(['Pairs with', m.pairsWith.map((id: string) => `\`${id}\``).join(', ')]);
  } else if (info.kind === 'clipping') {
    const d = m.preservesDirection;
    rows.push(['Preserves direction', d === true ? 'yes' : d === false ? 'no' : `${d}`]);
  } else if (info.kind === 'regularizer') {
    const applies = instanceOf(def)?.appliesTo;
    if (Array.isArray(applies)) rows.push(['Applies to (default)', applies.join(', ')]);
  }
  if (m.aliases?.length) rows.push(['Aliases', m.aliases.map((a: string) => `\`${a}\``).join(', ')]);
  if (m.tags?.length) rows.push(['Tags', m.tags.join(', ')]);
  return ['| Property | Value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)].join('\n');
}

function references(def: LoadedDefinition): string {
  const refs: readonly { title: string; url: string; year?: number }[] = def.meta.references ?? [];
  if (refs.length === 0) return 'None.';
  return refs.map((r) => `- [${r.title}](${r.url})${r.year ? ` (${r.year})` : ''}`).join('\n');
}

/** The content of every generated block for one plugin. */
export function renderBlocks(info: PluginInfo, def: LoadedDefinition): Blocks {
  return {
    summary: `**${def.meta.title}** (\`${info.kind}:${info.id}\`): ${def.meta.summary}`,
    install: [
      '```sh',
      `npm install @gradlab/core ${info.packageName}`,
      '```',
      '',
      'The plugin itself depends only on `@gradlab/plugin-api` (a peer dependency that npm and pnpm install for you).',
    ].join('\n'),
    usage: usage(info, def),
    options: options(def),
    formula: formula(info, def),
    properties: properties(info, def),
    references: references(def),
  };
}

// ---------- merging into an existing README ----------

function findBlock(text: string, name: string): { start: number; end: number } | undefined {
  const start = text.indexOf(open(name));
  if (start < 0) return undefined;
  const endTag = text.indexOf(close(name), start);
  if (endTag < 0) return undefined;
  return { start, end: endTag + close(name).length };
}

/** Insert `chunk` at `pos` with exactly one blank line on each side (whitespace at the seam is normalised). */
function insertAt(text: string, pos: number, chunk: string): string {
  const before = text.slice(0, pos).replace(/\s*$/, '');
  const after = text.slice(pos).replace(/^\s*/, '');
  return `${before}${before ? '\n\n' : ''}${chunk}${after ? `\n\n${after}` : '\n'}`;
}

/** Offsets and text of every line outside fenced code blocks. */
function proseLines(text: string): { start: number; line: string }[] {
  const lines: { start: number; line: string }[] = [];
  let fence: string | undefined;
  let pos = 0;
  for (const line of text.split('\n')) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    } else if (marker) fence = marker;
    else lines.push({ start: pos, line });
    pos += line.length + 1;
  }
  return lines;
}

const isHeading = (line: string, title: string) =>
  /^##[ \t]+/.test(line) &&
  line
    .replace(/^##[ \t]+/, '')
    .trim()
    .toLowerCase() === title.toLowerCase();

/** Start of the `## title` line and end of its section (next `#`/`##` heading outside code, or end of text). */
function findSection(text: string, title: string): { start: number; bodyStart: number; end: number } | undefined {
  const lines = proseLines(text);
  const i = lines.findIndex((l) => isHeading(l.line, title));
  if (i < 0) return undefined;
  const next = lines.slice(i + 1).find((l) => /^##?[ \t]/.test(l.line));
  return {
    start: lines[i].start,
    bodyStart: lines[i].start + lines[i].line.length,
    end: next ? next.start : text.length,
  };
}

/**
 * Put every block into `existing` (or a new README): replace blocks in place, insert missing
 * blocks and sections in canonical order, and a `# title` line when there is none.
 */
export function applyBlocks(existing: string | undefined, blocks: Blocks, title: string): string {
  let text = (existing ?? '').replace(/\r\n/g, '\n');
  const upsert = (name: BlockName): boolean => {
    const found = findBlock(text, name);
    if (!found) return false;
    text = text.slice(0, found.start) + block(name, blocks[name]) + text.slice(found.end);
    return true;
  };

  const h1 = proseLines(text).find((l) => /^#[ \t]/.test(l.line));
  const firstSection = proseLines(text).find((l) => /^##[ \t]/.test(l.line));
  if (!h1 || (firstSection && firstSection.start < h1.start)) text = insertAt(text, 0, `# ${title}`);
  if (!upsert('summary')) {
    const heading = proseLines(text).find((l) => /^#[ \t]/.test(l.line))!;
    text = insertAt(text, heading.start + heading.line.length, block('summary', blocks.summary));
  }

  // Missing sections go after their canonical predecessor; Install, the first, after the preamble
  // (title, summary and any intro text), that is before the first `##` heading.
  const summaryEnd = findBlock(text, 'summary')!.end;
  let previousEnd =
    proseLines(text).find((l) => l.start >= summaryEnd && /^##[ \t]/.test(l.line))?.start ?? text.length;
  for (const section of SECTIONS) {
    let found = findSection(text, section.title);
    if (!found) {
      const body = section.blocks.length
        ? section.blocks.map((b) => block(b, blocks[b])).join('\n\n')
        : NOTES_PLACEHOLDER;
      text = insertAt(text, previousEnd, `## ${section.title}\n\n${body}`);
      found = findSection(text, section.title)!;
    } else {
      let anchor = found.bodyStart;
      for (const name of section.blocks) {
        if (!upsert(name)) text = insertAt(text, anchor, block(name, blocks[name]));
        anchor = findBlock(text, name)!.end;
      }
      found = findSection(text, section.title)!;
    }
    previousEnd = found.end;
  }
  return `${text.replace(/\s*$/, '')}\n`;
}

/** Required `##` sections that `text` lacks. */
export function missingSections(text: string): string[] {
  return SECTIONS.filter((s) => !findSection(text, s.title)).map((s) => s.title);
}

/** Replace one named block's content if its markers exist (used for the root README's package table). */
export function replaceBlock(text: string, name: string, content: string): string | undefined {
  const found = findBlock(text, name);
  if (!found) return undefined;
  return text.slice(0, found.start) + block(name, content) + text.slice(found.end);
}
