import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedReadme } from './gen-readmes.ts';
import { parseCommand } from './lib/command-args.ts';
import { loadPluginSource } from './lib/load.ts';
import { missingSections } from './lib/readme.ts';
import {
  findRoot,
  isPackageKind,
  KEBAB_CASE,
  KIND_FOLDERS,
  listPluginPackages,
  type PluginPackage,
  packageName,
  SUITES,
} from './lib/workspace.ts';
import { hasTypeReference } from './new.ts';

export const help = `Usage: gradlab-scripts check-plugins [--root DIR]

Checks every package that has package.json#gradlab against the repo-wide plugin rules
(docs/plugin-contract.md) and reports every problem at once:
  1. name, folder, package.json#gradlab and meta (kind, id) agree
  2. src/index.ts has exactly one export, a default made with a define* helper
  3. keywords include gradlab-plugin and gradlab-<kind>
  4. description ends with meta.summary
  5. peerDependencies only @gradlab/plugin-api; sideEffects false; files ["dist"];
     repository.directory is the folder
  6. ids and aliases are unique across the repo (all kinds)
  7. test/*.test.ts calls the conformance suite for the kind
  8. registered in packages/preset-standard/src/index.ts (and apps/site/src/plugins.ts if present)
  9. README.md has the required sections and up-to-date generated blocks
 10. a changeset in .changeset/ names the package, or it has a CHANGELOG.md
Plugin sources are imported directly (TypeScript, @gradlab/source condition): no build needed.

Options:
  --root DIR   Repository root (default: found from the current folder).
  -h, --help   Show this help.`;

export interface Problem {
  readonly dir: string;
  readonly message: string;
}

/** Package names listed in the frontmatter of every changeset in `.changeset/`. */
function changesetPackages(root: string): Set<string> {
  const names = new Set<string>();
  const dir = join(root, '.changeset');
  if (!existsSync(dir)) return names;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n'));
    for (const line of front?.[1].split('\n') ?? []) {
      const m = /^\s*['"]?([^'":]+)['"]?\s*:/.exec(line);
      if (m) names.add(m[1].trim());
    }
  }
  return names;
}

const importsPackage = (source: string, name: string) =>
  new RegExp(`from\\s+['"]${name.replace(/[/.-]/g, '\\$&')}['"]`).test(source);

export async function checkPlugins(root: string): Promise<{ problems: Problem[]; count: number }> {
  const plugins = listPluginPackages(root);
  const problems: Problem[] = [];
  const seen = new Map<string, string>(); // id or alias → "kind:id (dir)"
  const changesets = changesetPackages(root);
  const presetFile = join(root, 'packages/preset-standard/src/index.ts');
  const preset = existsSync(presetFile) ? readFileSync(presetFile, 'utf8') : undefined;
  const siteFile = join(root, 'apps/site/src/plugins.ts');
  const site = existsSync(siteFile) ? readFileSync(siteFile, 'utf8') : undefined;

  const loaded = await Promise.all(plugins.map((p) => loadPluginSource(p)));
  const readmes = await Promise.all(plugins.map((p) => expectedReadme(p)));

  plugins.forEach((plugin: PluginPackage, i) => {
    const fail = (message: string) => problems.push({ dir: plugin.dir, message });
    const { pkg, kind, id } = plugin;

    // 1. name, folder, kind, id
    if (!isPackageKind(kind))
      fail(`package.json#gradlab.kind "${kind}" is not one of activation, initializer, clipping, regularizer`);
    else {
      if (pkg.name !== packageName(kind, id)) fail(`name is "${pkg.name}", expected "${packageName(kind, id)}"`);
      if (plugin.dir !== `${KIND_FOLDERS[kind]}/${id}`) fail(`folder should be ${KIND_FOLDERS[kind]}/${id}`);
    }
    if (!KEBAB_CASE.test(id)) fail(`id "${id}" is not kebab-case`);

    // 2. exactly one export, the default definition
    const result = loaded[i];
    const def = result.ok ? result.definition : undefined;
    if (!result.ok) fail(`cannot import src/index.ts: ${result.error}`);
    else {
      const names = Object.keys(result.module);
      if (!def) fail('src/index.ts must `export default` a definition made with a define* helper');
      const extra = names.filter((n) => n !== 'default');
      if (extra.length)
        fail(`src/index.ts must export only the default definition (also exports: ${extra.join(', ')})`);
    }
    if (def) {
      if (def.kind !== kind || def.meta.kind !== kind)
        fail(`meta.kind is "${def.meta.kind}", package.json#gradlab.kind is "${kind}"`);
      if (def.meta.id !== id) fail(`meta.id is "${def.meta.id}", package.json#gradlab.id is "${id}"`);
    }

    // 3. keywords
    const keywords: unknown[] = Array.isArray(pkg.keywords) ? pkg.keywords : [];
    for (const k of ['gradlab-plugin', `gradlab-${kind}`])
      if (!keywords.includes(k)) fail(`keywords must include "${k}"`);

    // 4. description ends with the summary
    if (def && !String(pkg.description ?? '').endsWith(def.meta.summary)) {
      fail(`description must end with meta.summary "${def.meta.summary}" (description is "${pkg.description}")`);
    }

    // 5. package shape
    const peers = Object.keys(pkg.peerDependencies ?? {});
    if (peers.join() !== '@gradlab/plugin-api') {
      fail(`peerDependencies must be exactly { "@gradlab/plugin-api" } (found: ${peers.join(', ') || 'none'})`);
    }
    const deps = Object.keys(pkg.dependencies ?? {});
    if (deps.length)
      fail(`plugins have no dependencies, only the @gradlab/plugin-api peer (found: ${deps.join(', ')})`);
    if (pkg.sideEffects !== false) fail('sideEffects must be false');
    if (JSON.stringify(pkg.files) !== '["dist"]') fail('files must be ["dist"]');
    if (pkg.repository?.directory !== plugin.dir) fail(`repository.directory must be "${plugin.dir}"`);
    if (pkg.exports?.['.']?.['@gradlab/source'] !== './src/index.ts') {
      fail('exports["."] must map the "@gradlab/source" condition to ./src/index.ts');
    }
    if (JSON.stringify(pkg.publishConfig?.exports ?? {}).includes('@gradlab/source')) {
      fail('publishConfig.exports must not contain the @gradlab/source condition');
    }

    // 6. unique ids and aliases (across every kind, as the scaffold promises)
    for (const name of [id, ...((def?.meta.aliases as string[] | undefined) ?? [])]) {
      const owner = seen.get(name);
      if (owner) fail(`id or alias "${name}" is already used by ${owner}`);
      else seen.set(name, `${kind}:${id} (${plugin.dir})`);
    }

    // 7. the test calls the suite for its kind
    const testDir = join(plugin.path, 'test');
    const tests = existsSync(testDir) ? readdirSync(testDir).filter((f) => f.endsWith('.test.ts')) : [];
    const suite = isPackageKind(kind) ? SUITES[kind] : undefined;
    if (!tests.length) fail('has no test/*.test.ts');
    else if (suite && !tests.some((f) => readFileSync(join(testDir, f), 'utf8').includes(`${suite}(`))) {
      fail(`no test/*.test.ts calls ${suite}() from @gradlab/testkit`);
    }

    // 8. registered in the preset and the site
    if (preset !== undefined && !importsPackage(preset, pkg.name)) {
      fail(`not imported in packages/preset-standard/src/index.ts (run \`gradlab-scripts new\` or add it by hand)`);
    } else if (preset !== undefined && !hasTypeReference(preset, pkg.name)) {
      fail(
        `packages/preset-standard/src/index.ts lacks \`/// <reference types="${pkg.name}" preserve="true" />\`: without it the preset's .d.ts does not carry this plugin's typed id`,
      );
    }
    if (site !== undefined && !importsPackage(site, pkg.name)) fail('not imported in apps/site/src/plugins.ts');

    // 9. README
    const readme = readmes[i];
    const readmePath = join(plugin.path, 'README.md');
    if (!existsSync(readmePath)) fail('has no README.md (run `pnpm gen:readmes`)');
    else {
      const missing = missingSections(readFileSync(readmePath, 'utf8'));
      if (missing.length) fail(`README.md lacks sections: ${missing.map((s) => `## ${s}`).join(', ')}`);
      if (!('error' in readme) && readme.actual !== readme.expected) {
        fail('README.md generated blocks are out of date (run `pnpm gen:readmes`)');
      }
    }

    // 10. release notes
    if (!changesets.has(pkg.name) && !existsSync(join(plugin.path, 'CHANGELOG.md'))) {
      fail(`no changeset names ${pkg.name} and there is no CHANGELOG.md (run \`pnpm changeset\`)`);
    }
  });
  return { problems, count: plugins.length };
}

export async function run(argv: string[]): Promise<number> {
  const values = parseCommand(argv, help, { root: { type: 'string' } });
  if (!values) return 0;
  const root = findRoot(values.root);
  const { problems, count } = await checkPlugins(root);
  if (!problems.length) {
    console.log(`check-plugins: ${count} plugin packages pass every rule.`);
    return 0;
  }
  const byDir = new Map<string, Problem[]>();
  for (const p of problems) byDir.set(p.dir, [...(byDir.get(p.dir) ?? []), p]);
  for (const [dir, list] of byDir) {
    console.error(`\n${dir}`);
    for (const p of list) console.error(`  ✗ ${p.message}`);
  }
  console.error(`\ncheck-plugins: ${problems.length} problem(s) in ${byDir.size} of ${count} plugin packages.`);
  return 1;
}
