import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCommand } from './lib/command-args.ts';
import { formatWithBiome } from './lib/format.ts';
import { isDefinitionLike, loadPluginSource, useSourceCondition } from './lib/load.ts';
import { applyBlocks, renderBlocks, replaceBlock } from './lib/readme.ts';
import {
  findRoot,
  KIND_FOLDERS,
  listPackages,
  listPluginPackages,
  PACKAGE_KINDS,
  type PluginPackage,
} from './lib/workspace.ts';

export const help = `Usage: gradlab-scripts gen-readmes [--check] [--root DIR] [--filter DIR]...

Writes the generated blocks (<!-- gradlab:gen:NAME --> … <!-- /gradlab:gen:NAME -->) of every
plugin README from the plugin's runtime metadata: summary, install, usage, options, formula,
properties and references. Missing sections are inserted in canonical order (# title, summary,
Install, Usage, Options, Formula, Notes, References); human text, such as ## Notes, is kept.
The result is formatted with Biome (which formats Markdown), so \`biome check\` agrees.
Also refreshes the package table of the root README.md (block "packages") and the plugin
table of packages/preset-standard/README.md (block "plugins").

Options:
  --check        Write nothing; exit 1 and list the files whose blocks are out of date.
  --root DIR     Repository root (default: found from the current folder).
  --filter DIR   Only this package folder (repeatable), e.g. packages/activations/relu.
  -h, --help     Show this help.`;

export type ReadmeResult =
  | { file: string; expected: string; actual: string | undefined }
  | { file: string; error: string };

/** The README a plugin package should have, next to the one it has. */
export async function expectedReadme(plugin: PluginPackage): Promise<ReadmeResult> {
  const file = join(plugin.path, 'README.md');
  const loaded = await loadPluginSource(plugin);
  if (!loaded.ok) return { file, error: `cannot import src/index.ts (${loaded.error})` };
  if (!loaded.definition) return { file, error: 'src/index.ts has no default export made with a define* helper' };
  const actual = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const blocks = renderBlocks({ packageName: plugin.pkg.name, kind: plugin.kind, id: plugin.id }, loaded.definition);
  const merged = applyBlocks(actual, blocks, plugin.pkg.name);
  try {
    return { file, expected: await formatWithBiome(findRoot(plugin.path), file, merged), actual };
  } catch (error) {
    return { file, error: (error as Error).message };
  }
}

/** The root README's package table: every workspace package, its folder and one line. */
export function renderPackageTable(root: string): string {
  const all = listPackages(root);
  const table = (rows: typeof all) =>
    [
      '| Package | Folder | What it is |',
      '| --- | --- | --- |',
      ...rows.map((p) => {
        const name = p.pkg.private ? `\`${p.pkg.name}\` (private)` : `\`${p.pkg.name}\``;
        const line = String(p.pkg.description ?? '').replace(/\|/g, '\\|');
        return `| ${name} | [\`${p.dir}\`](${p.dir}) | ${line} |`;
      }),
    ].join('\n');
  const inKind = (kind: (typeof PACKAGE_KINDS)[number]) => (p: (typeof all)[number]) =>
    p.dir.startsWith(`${KIND_FOLDERS[kind]}/`);
  const isPlugin = (p: (typeof all)[number]) => PACKAGE_KINDS.some((k) => inKind(k)(p));
  const parts = [table(all.filter((p) => !isPlugin(p)))];
  const headings: Record<string, string> = {
    activation: 'Activations',
    initializer: 'Initializers',
    clipping: 'Gradient clipping',
    regularizer: 'Regularizers',
  };
  for (const kind of PACKAGE_KINDS) {
    const rows = all.filter(inKind(kind));
    if (rows.length) parts.push(`**${headings[kind]}** (${rows.length})\n\n${table(rows)}`);
  }
  return parts.join('\n\n');
}

/** The preset README's table of the plugins it bundles, read from the preset's source. */
export async function renderPresetTable(root: string): Promise<string> {
  useSourceCondition();
  const preset = await import(pathToFileURL(join(root, 'packages/preset-standard/src/index.ts')).href);
  const defs = (preset.default as unknown[]).filter(isDefinitionLike);
  const rows = defs.map(
    (d) =>
      `| ${d.kind} | \`${d.meta.id}\` | \`@gradlab/${d.kind}-${d.meta.id}\` | ${String(d.meta.summary).replace(/\|/g, '\\|')} |`,
  );
  return [
    `${defs.length} plugins:`,
    '',
    '| Kind | Id | Package | Summary |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Refresh block `name` of a README that has it; returns the new text or undefined if unchanged/absent. */
async function refreshBlock(root: string, file: string, name: string, content: () => Promise<string>) {
  if (!existsSync(file)) return undefined;
  const actual = readFileSync(file, 'utf8');
  if (!actual.includes(`<!-- gradlab:gen:${name} -->`)) return undefined;
  const replaced = replaceBlock(actual, name, await content());
  const expected = replaced === undefined ? undefined : await formatWithBiome(root, file, replaced);
  return expected !== undefined && expected !== actual ? expected : undefined;
}

export async function run(argv: string[]): Promise<number> {
  const values = parseCommand(argv, help, {
    check: { type: 'boolean', default: false },
    root: { type: 'string' },
    filter: { type: 'string', multiple: true },
  });
  if (!values) return 0;
  const root = findRoot(values.root);
  const filters = (values.filter ?? []).map((f) => f.replace(/\/$/, ''));
  const plugins = listPluginPackages(root).filter((p) => filters.length === 0 || filters.includes(p.dir));
  if (filters.length && plugins.length === 0) {
    console.error(`gen-readmes: no plugin package matches --filter ${filters.join(', ')}`);
    return 1;
  }

  const drifted: string[] = [];
  const errors: string[] = [];
  const results = await Promise.all(plugins.map((p) => expectedReadme(p)));
  results.forEach((result, i) => {
    if ('error' in result) {
      errors.push(`${plugins[i].dir}: ${result.error}`);
      return;
    }
    if (result.actual === result.expected) return;
    drifted.push(`${plugins[i].dir}/README.md`);
    if (!values.check) writeFileSync(result.file, result.expected);
  });

  if (filters.length === 0) {
    const extra: [string, string, () => Promise<string>][] = [
      ['README.md', 'packages', async () => renderPackageTable(root)],
      ['packages/preset-standard/README.md', 'plugins', () => renderPresetTable(root)],
    ];
    for (const [file, name, content] of extra) {
      try {
        const expected = await refreshBlock(root, join(root, file), name, content);
        if (expected === undefined) continue;
        drifted.push(file);
        if (!values.check) writeFileSync(join(root, file), expected);
      } catch (error) {
        errors.push(`${file}: ${(error as Error).message}`);
      }
    }
  }

  if (filters.length === 0) errors.push(...unlistedDecisions(root));

  for (const e of errors) console.error(`✗ ${e}`);
  if (values.check) {
    if (drifted.length) {
      console.error(`gen-readmes --check: ${drifted.length} README(s) out of date:`);
      for (const f of drifted) console.error(`  ${f}`);
      console.error('Run `pnpm gen:readmes` (gradlab-scripts gen-readmes) and commit the result.');
    } else if (!errors.length) console.log(`gen-readmes --check: ${plugins.length} plugin READMEs up to date.`);
    return drifted.length || errors.length ? 1 : 0;
  }
  console.log(
    drifted.length
      ? `gen-readmes: updated ${drifted.join(', ')}`
      : `gen-readmes: ${plugins.length} READMEs up to date.`,
  );
  return errors.length ? 1 : 0;
}

/**
 * Every decision record in docs/decisions/ must be linked from the list in docs/README.md (the
 * list is hand-written: each row summarises its decision). Helpers add records concurrently, so a
 * forgotten row is caught here instead of in review.
 */
export function unlistedDecisions(root: string): string[] {
  const dir = join(root, 'docs/decisions');
  const index = join(root, 'docs/README.md');
  if (!existsSync(dir) || !existsSync(index)) return [];
  const listed = readFileSync(index, 'utf8');
  return readdirSync(dir)
    .filter((f) => /^\d{4}-.*\.md$/.test(f) && !listed.includes(`](decisions/${f})`))
    .sort()
    .map(
      (f) =>
        `docs/README.md does not list docs/decisions/${f}: add a row \`| [${f.slice(0, 4)}](decisions/${f}) | <the decision in one line> |\` to its Decisions table`,
    );
}
