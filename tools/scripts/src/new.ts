import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expectedReadme } from './gen-readmes.ts';
import { takenNames, variableName } from './lib/names.ts';
import { runCommand } from './lib/proc.ts';
import {
  findRoot,
  isPackageKind,
  KEBAB_CASE,
  KIND_FOLDERS,
  listPackages,
  PACKAGE_KINDS,
  type PackageJson,
  type PackageKind,
  packageName,
  readJson,
  titleCase,
  UsageError,
} from './lib/workspace.ts';

export const help = `Usage: gradlab-scripts new <kind> <id> [options]     (pnpm new:plugin <kind> <id>)

Scaffolds packages/<kind>s/<id> as @gradlab/<kind>-<id>, a plugin package with the same
anatomy as every other one, whose conformance suite passes from the start:
  package.json, tsconfig.json, tsconfig.build.json, src/index.ts (a working minimal plugin to
  edit), test/<id>.test.ts (calls the suite for the kind), README.md (title + Notes)
It also registers the plugin in packages/preset-standard and apps/site/src/plugins.ts (if it
exists), writes .changeset/add-<kind>-<id>.md, runs pnpm install and fills the README blocks.

Arguments:
  <kind>   ${PACKAGE_KINDS.join(' | ')}
  <id>     kebab-case, not yet used as an id or alias by any plugin of any kind

Options:
  --title TEXT   Human title (default: from the id, e.g. "Leaky Relu").
  --no-preset    Do not add the plugin to @gradlab/preset-standard.
  --no-install   Do not run pnpm install (nor fill the README blocks, which needs it).
  --root DIR     Repository root (default: found from the current folder).
  -h, --help     Show this help.`;

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '../templates');
const NOUN: Record<PackageKind, string> = {
  activation: 'activation',
  initializer: 'initializer',
  clipping: 'gradient clipping rule',
  regularizer: 'regularizer',
};
const PLURAL: Record<PackageKind, string> = {
  activation: 'activations',
  initializer: 'initializers',
  clipping: 'clipping',
  regularizer: 'regularizers',
};

class ScaffoldError extends Error {}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** package.json of a new plugin: the same fields, in the same order, as every plugin package. */
export function pluginPackageJson(
  kind: PackageKind,
  id: string,
  description: string,
  repositoryUrl: string,
  nodeRange = '>=22.12.0',
): PackageJson {
  const exportsMap = {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  };
  return {
    name: packageName(kind, id),
    version: '0.0.0',
    description,
    type: 'module',
    sideEffects: false,
    exports: {
      '.': { '@gradlab/source': './src/index.ts', ...exportsMap['.'] },
      './package.json': './package.json',
    },
    publishConfig: { exports: exportsMap },
    files: ['dist'],
    keywords: ['gradlab', 'gradlab-plugin', `gradlab-${kind}`],
    gradlab: { kind, id },
    license: 'MIT',
    repository: { type: 'git', url: repositoryUrl, directory: `${KIND_FOLDERS[kind]}/${id}` },
    engines: { node: nodeRange },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      lint: 'biome check .',
      test: 'vitest run',
      'check:package': 'gradlab-scripts check-package',
    },
    peerDependencies: { '@gradlab/plugin-api': 'workspace:^' },
    devDependencies: {
      '@gradlab/plugin-api': 'workspace:^',
      '@gradlab/testkit': 'workspace:*',
      '@types/node': 'catalog:',
      typescript: 'catalog:',
      vitest: 'catalog:',
    },
  };
}

const TSCONFIG = {
  extends: '../../../configs/tsconfig.base.json',
  compilerOptions: { noEmit: true, types: ['node'] },
  include: ['src', 'test'],
};
const TSCONFIG_BUILD = {
  extends: '../../../configs/tsconfig.build.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist' },
  include: ['src'],
};

const IMPORT_LINE = /^import\s+\w+\s+from\s+'(@gradlab\/[^']+)';\s*$/;
const REFERENCE_LINE = /^\/\/\/ <reference types="(@gradlab\/[^"]+)" preserve="true" \/>\s*$/;

/** Insert `line` among the lines of `text` that `pattern` matches, sorted by the module it captures. */
function insertSorted(text: string, line: string, module: string, pattern: RegExp, fallback: number): string {
  const lines = text.split('\n');
  const found = lines
    .map((l, i) => ({ i, m: pattern.exec(l)?.[1] }))
    .filter((x): x is { i: number; m: string } => x.m !== undefined);
  if (found.some((x) => x.m === module)) return text;
  const after = found.find((x) => x.m > module);
  const at = after ? after.i : found.length ? found[found.length - 1].i + 1 : fallback;
  lines.splice(at, 0, line);
  return lines.join('\n');
}

/** Insert `line` among the `import x from '@gradlab/…'` lines of `text`, keeping them sorted by module. */
export function insertImport(text: string, line: string, module: string): string {
  return insertSorted(text, line, module, IMPORT_LINE, 0);
}

/**
 * Insert `/// <reference types="<module>" preserve="true" />` among the preset's reference lines
 * (before the first import when there are none): it keeps the plugin's `declare module` augmentation
 * in the preset's emitted .d.ts, so users who import only the preset get the typed ids.
 */
export function insertTypeReference(text: string, module: string): string {
  const firstImport = text.split('\n').findIndex((l) => IMPORT_LINE.test(l));
  const line = `/// <reference types="${module}" preserve="true" />`;
  return insertSorted(text, line, module, REFERENCE_LINE, Math.max(firstImport, 0));
}

/** Whether `text` has the preset's type reference line for `module`. */
export const hasTypeReference = (text: string, module: string): boolean =>
  text.split('\n').some((l) => REFERENCE_LINE.exec(l)?.[1] === module);

/** Add `name` to the array literal `const <array> = [ … ]`, one entry per line, sorted; undefined when there is none. */
export function insertEntry(text: string, array: string, name: string): string | undefined {
  const head = new RegExp(`const\\s+${array}\\s*(?::[^=]+)?=\\s*\\[`).exec(text);
  if (!head) return undefined;
  const open = head.index + head[0].length;
  const close = text.indexOf(']', open);
  if (close < 0) return undefined;
  const entries = text
    .slice(open, close)
    .replace(/\/\/.*$/gm, '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.every((e) => /^[\w$]+$/.test(e))) return undefined;
  if (entries.includes(name)) return text;
  const sorted = [...entries, name].sort((a, b) => a.localeCompare(b));
  return `${text.slice(0, open)}\n${sorted.map((e) => `  ${e},\n`).join('')}${text.slice(close)}`;
}

function register(file: string, kind: PackageKind, id: string, typeReference = false): string | undefined {
  const name = packageName(kind, id);
  const variable = variableName(kind, id);
  let text = insertImport(readFileSync(file, 'utf8'), `import ${variable} from '${name}';`, name);
  if (typeReference) text = insertTypeReference(text, name);
  const withEntry = insertEntry(text, PLURAL[kind], variable) ?? insertEntry(text, 'plugins', variable);
  if (withEntry === undefined) {
    writeFileSync(file, text);
    return `added the import to ${file}, but found no \`const ${PLURAL[kind]} = [\` array: add \`${variable}\` by hand`;
  }
  text = withEntry;
  writeFileSync(file, text);
  return undefined;
}

function addDependency(file: string, name: string): void {
  const pkg = readJson(file);
  if (pkg.dependencies?.[name]) return;
  pkg.dependencies = { ...(pkg.dependencies ?? {}), [name]: 'workspace:^' };
  writeFileSync(file, json(pkg));
}

function render(template: string, vars: Record<string, string>): string {
  // `__ID__` in TypeScript templates, `{{ID}}` in Markdown (which Biome would turn into **ID**).
  return template.replace(
    /__(ID|TITLE|VAR|KEY|PKG)__|\{\{(ID|TITLE|VAR|KEY|PKG)\}\}/g,
    (_, a: string, b: string) => vars[a ?? b],
  );
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      title: { type: 'string' },
      preset: { type: 'boolean', default: true },
      install: { type: 'boolean', default: true },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    allowNegative: true,
    strict: true,
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const [kind, id, ...extra] = positionals;
  if (!kind || !id) throw new UsageError('expected two arguments, <kind> and <id>.');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  try {
    return await scaffold(kind, id, {
      root: findRoot(values.root),
      title: values.title,
      preset: values.preset ?? true,
      install: values.install ?? true,
    });
  } catch (error) {
    if (error instanceof ScaffoldError) {
      console.error(`gradlab-scripts new: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

interface ScaffoldOptions {
  root: string;
  title?: string;
  preset: boolean;
  install: boolean;
}

async function scaffold(kind: string, id: string, o: ScaffoldOptions): Promise<number> {
  if (!isPackageKind(kind)) {
    throw new ScaffoldError(`unknown kind "${kind}". Choose one of: ${PACKAGE_KINDS.join(', ')}.`);
  }
  if (!KEBAB_CASE.test(id)) {
    throw new ScaffoldError(
      `id "${id}" is not kebab-case: use lowercase letters and digits, words joined by "-", starting with a letter (e.g. "leaky-relu").`,
    );
  }
  const name = packageName(kind, id);
  const dir = `${KIND_FOLDERS[kind]}/${id}`;
  const taken = await takenNames(o.root);
  const owner = taken.get(id);
  if (owner) {
    throw new ScaffoldError(
      `id "${id}" is already taken by ${owner}. Ids and aliases are unique across every kind; pick another id.`,
    );
  }
  if (existsSync(join(o.root, dir))) throw new ScaffoldError(`${dir} already exists.`);
  if (listPackages(o.root).some((p) => p.pkg.name === name)) throw new ScaffoldError(`a package named ${name} exists.`);

  const title = o.title ?? titleCase(id);
  const variable = variableName(kind, id);
  const vars = {
    ID: id,
    TITLE: title,
    VAR: variable,
    KEY: /^[a-z_$][\w$]*$/i.test(id) ? id : `'${id}'`,
    PKG: name,
  };
  const source = render(readFileSync(join(TEMPLATES, kind, 'src/index.ts'), 'utf8'), vars);
  const summary = /summary:\s*'((?:[^'\\]|\\.)*)'/.exec(source)?.[1] ?? '';
  const presetPkg = join(o.root, 'packages/preset-standard/package.json');
  const repositoryUrl =
    (existsSync(presetPkg) ? readJson(presetPkg).repository?.url : undefined) ??
    'git+https://github.com/gradlab/gradlab.git';

  const target = join(o.root, dir);
  const files: Record<string, string> = {
    'package.json': json(
      pluginPackageJson(
        kind,
        id,
        `${title} ${NOUN[kind]} for gradlab: ${summary}`,
        repositoryUrl,
        readJson(join(o.root, 'package.json')).engines?.node,
      ),
    ),
    'tsconfig.json': json(TSCONFIG),
    'tsconfig.build.json': json(TSCONFIG_BUILD),
    'src/index.ts': source,
    [`test/${id}.test.ts`]: render(readFileSync(join(TEMPLATES, kind, 'test/__ID__.test.ts'), 'utf8'), vars),
    'README.md': render(readFileSync(join(TEMPLATES, kind, 'README.md'), 'utf8'), vars),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    writeFileSync(join(target, file), text);
  }
  console.log(`Created ${dir} (${name}):\n  ${Object.keys(files).join('  ')}`);

  const warnings: string[] = [];
  const touched = [target];
  const changesetPackages = [name];
  if (o.preset) {
    const presetIndex = join(o.root, 'packages/preset-standard/src/index.ts');
    if (existsSync(presetIndex) && existsSync(presetPkg)) {
      const warning = register(presetIndex, kind, id, true);
      if (warning) warnings.push(warning);
      addDependency(presetPkg, name);
      touched.push(presetIndex);
      changesetPackages.push('@gradlab/preset-standard');
      console.log('Registered in packages/preset-standard (src/index.ts, package.json)');
    } else warnings.push('packages/preset-standard not found; not registered in a preset');
  }
  const site = join(o.root, 'apps/site/src/plugins.ts');
  if (existsSync(site)) {
    const warning = register(site, kind, id);
    if (warning) warnings.push(warning);
    const sitePkg = join(o.root, 'apps/site/package.json');
    if (existsSync(sitePkg)) addDependency(sitePkg, name);
    touched.push(site);
    console.log('Registered in apps/site/src/plugins.ts');
  }

  const changesetDir = join(o.root, '.changeset');
  mkdirSync(changesetDir, { recursive: true });
  const changeset = join(changesetDir, `add-${kind}-${id}.md`);
  const frontmatter = changesetPackages.map((p) => `'${p}': minor`).join('\n');
  writeFileSync(changeset, `---\n${frontmatter}\n---\n\nAdds the ${title} ${NOUN[kind]} (\`${id}\`).\n`);
  console.log(`Wrote .changeset/add-${kind}-${id}.md`);

  const biome = join(o.root, 'node_modules/.bin/biome');
  if (existsSync(biome)) {
    const r = runCommand(biome, ['check', '--write', '--no-errors-on-unmatched', ...touched], { cwd: o.root });
    if (r.status !== 0) warnings.push(`biome check reported problems:\n${r.stdout}${r.stderr}`);
  }

  if (o.install) {
    console.log('\nRunning pnpm install …');
    const r = runCommand('pnpm', ['install', '--no-frozen-lockfile'], { cwd: o.root, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error('gradlab-scripts new: pnpm install failed; fix it and run `pnpm install` again.');
      return 1;
    }
    const readme = await expectedReadme({ path: target, dir, pkg: readJson(join(target, 'package.json')), kind, id });
    if ('error' in readme) warnings.push(`could not fill the README blocks: ${readme.error}`);
    else writeFileSync(readme.file, readme.expected);
  }

  for (const w of warnings) console.warn(`warning: ${w}`);
  const main = kind === 'activation' ? 'forward and derivative' : 'create()';
  console.log(`
Next steps:
  1. Edit ${dir}/src/index.ts: meta (title, summary, formula, references…) and ${main}.
     If you change the summary, end package.json "description" with the new one.
  2. Run its conformance suite:   pnpm vitest run --project ${name}
  3. Write the "## Notes" section of ${dir}/README.md, then:
       ${o.install ? '' : 'pnpm install && '}pnpm gen:readmes && pnpm check
  4. Reword .changeset/add-${kind}-${id}.md if needed, and open the PR.`);
  return 0;
}
