import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packPackage } from './check-package.ts';
import { parseCommand } from './lib/command-args.ts';
import { blockFileName, collectDocBlocks, type DocBlock } from './lib/doc-blocks.ts';
import { NODE_ONLY, testTestkit, WORKSPACE_PEERS, workspacePackageDir } from './lib/pack-testkit.ts';
import { removeOnExit, runCommand } from './lib/proc.ts';
import { findRoot, listPluginPackages, listPublishable, type WorkspacePackage } from './lib/workspace.ts';

export const help = `Usage: gradlab-scripts pack-test [--root DIR] [--keep]

Proves the packages work as npm users get them, outside the workspace:
  1. pnpm pack every publishable package (build must have run)
  2. create a scratch project in the OS temp folder whose dependencies are those tarballs
     (file:…tgz); packages whose dependencies are not all among them are skipped and listed.
     A peer dependency of a test tool (vitest, for @gradlab/testkit) cannot come from the
     registry offline: it is linked from the workspace's own pinned install instead
  3. npm install --offline with an empty cache (no registry is needed or contacted)
  4. run an example there: a registry with @gradlab/preset-standard resolves and exercises
     every plugin, then a small network trains if @gradlab/core exports train()
  5. check that the installed packages' type declarations compile without @types/node
     (types: [], skipLibCheck: false): a browser or Deno user has no NodeJS namespace.
     @gradlab/testkit runs inside vitest in Node, so it is checked with @types/node
  5b. run the installed @gradlab/testkit's suites under vitest on installed plugins, and
     check that they fail on a deliberately broken plugin (a suite that cannot fail proves nothing)
  6. doc examples: every \`\`\`ts block of every README and doc (outside node_modules,
     CHANGELOGs and test fixtures) is typechecked there (strict, nodenext, @types/node,
     skipLibCheck: false), each as a program of its own, and run with node. Blocks marked \`<!-- doc-test: fragment, <reason> -->\` are only listed

Options:
  --root DIR   Repository root (default: found from the current folder).
  --keep       Keep the scratch folder and print its path.
  -h, --help   Show this help.`;

/** The example run inside the scratch project (plain ESM, no TypeScript: it runs what npm users run). */
function example(plugins: readonly { name: string; kind: string; id: string }[], installed: readonly string[]): string {
  return `// Written by gradlab-scripts pack-test.
import * as core from '@gradlab/core';
import standard from '@gradlab/preset-standard';

const plugins = ${JSON.stringify(plugins)};
// Every installed package must load as plain ESM from its published entry point.
for (const name of ${JSON.stringify(installed)}) await import(name);
const registry = core.createRegistry().use(standard);
const rng = core.createRng(42);
const finite = (xs) => Array.from(xs).every(Number.isFinite);
const fail = (message) => { throw new Error(message); };

for (const { name, kind, id } of plugins) {
  const def = (await import(name)).default;
  if (!standard.includes(def)) fail(name + ' is not the definition the preset holds');
  if (registry.get(kind, id) !== def) fail('registry.get(' + kind + ', ' + id + ') does not return ' + name);
  const p = registry.resolve(kind, id, 'pack-test');
  if (kind === 'activation') {
    const y = p.forward(0.5);
    if (!finite([y, p.derivative(0.5, y)])) fail(id + ': f or f\\' is not finite at 0.5');
  } else if (kind === 'initializer') {
    const w = p.init({ shape: [4, 3], fanIn: 4, fanOut: 3, role: 'weight', rng: rng.fork(id) });
    if (w.length !== 12 || !finite(w)) fail(id + ': init gave ' + w.length + ' values');
  } else if (kind === 'clipping') {
    const params = [{ name: 'dense_0.W', layer: 0, role: 'weight', shape: [2, 2], value: Float64Array.of(1, -2, 3, -4) }];
    const grads = [Float64Array.of(10, -20, 0.1, 0)];
    const out = [new Float64Array(4)];
    const state = p.init ? p.init(params) : undefined;
    const { stats } = p.update(grads, out, params, state);
    if (!finite(out[0]) || !finite(Object.values(stats ?? {}))) fail(id + ': update gave non-finite values');
  } else if (kind === 'regularizer') {
    const w = Float64Array.of(0.5, -1, 2);
    const g = new Float64Array(3);
    p.addGradient(w, g);
    if (!(p.penalty(w) >= 0) || !finite(g)) fail(id + ': penalty or gradient is wrong');
  }
}

let trained = '';
if (typeof core.train === 'function') trained = (await import('./train.mjs')).default(core, registry);
console.log('pack-test example: ${installed.length} packages imported; ' + plugins.length + ' plugins resolved and exercised through @gradlab/preset-standard' + trained);
`;
}

/** Trains a tiny net from the installed packages: every built kind of plugin takes part. */
const TRAIN = `export default function train(core, registry) {
  const run = core.train(
    {
      seed: 1,
      data: ['xor', { samples: 64 }],
      model: {
        layers: [
          { type: 'dense', units: 8, activation: 'relu', initializer: 'he' },
          { type: 'dense', units: 1, initializer: 'glorot' },
        ],
      },
      train: {
        loss: 'bce',
        optimizer: ['sgd', { lr: 0.1 }],
        batchSize: 16,
        epochs: 3,
        regularizers: ['l2'],
        clipping: ['global-norm'],
      },
    },
    { registry },
  );
  const loss = run.losses[run.losses.length - 1];
  if (!Number.isFinite(loss)) throw new Error('training gave a non-finite loss');
  return '; trained ' + run.steps + ' steps on xor (last loss ' + loss.toFixed(4) + ')';
}
`;

/** npm reads its global config (registry, cafile) from <node prefix>/etc/npmrc; keep the machine's (decision 0008). */
function npmEnv(scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_cache: join(scratch, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  if (!env.npm_config_globalconfig || !existsSync(env.npm_config_globalconfig)) {
    const asked = runCommand('npm', ['config', 'get', 'globalconfig'], {
      env: { ...env, npm_config_globalconfig: '' },
    });
    const found = [asked.stdout.trim(), '/usr/etc/npmrc', '/etc/npmrc', '/usr/local/etc/npmrc'].find(
      (f) => f && existsSync(f),
    );
    if (found) env.npm_config_globalconfig = found;
    else delete env.npm_config_globalconfig;
  }
  return env;
}

export async function run(argv: string[]): Promise<number> {
  const values = parseCommand(argv, help, { root: { type: 'string' }, keep: { type: 'boolean' } });
  if (!values) return 0;
  const started = Date.now();
  const root = findRoot(values.root);
  const publishable = listPublishable(root);
  const unbuilt = publishable.filter((p) => !existsSync(join(p.path, 'dist')));
  if (unbuilt.length) {
    console.error(`pack-test: build first (pnpm build); no dist/ in ${unbuilt.map((p) => p.dir).join(', ')}`);
    return 1;
  }
  const names = new Set(publishable.map((p) => p.pkg.name as string));
  const installable: WorkspacePackage[] = [];
  const skipped: string[] = [];
  const linkedPeers = new Map<string, string>();
  for (const p of publishable) {
    const peers = Object.keys(p.pkg.peerDependencies ?? {}).filter((n) => !names.has(n));
    const fromWorkspace = peers.filter((n) => WORKSPACE_PEERS.has(n) && workspacePackageDir(root, n));
    for (const n of fromWorkspace) linkedPeers.set(n, workspacePackageDir(root, n) as string);
    const needs = [...Object.keys(p.pkg.dependencies ?? {}), ...peers.filter((n) => !fromWorkspace.includes(n))];
    const missing = needs.filter((n) => !names.has(n));
    if (missing.length)
      skipped.push(`${p.pkg.name} (needs ${missing.join(', ')}, not a publishable workspace package)`);
    else installable.push(p);
  }
  for (const need of ['@gradlab/core', '@gradlab/preset-standard']) {
    if (!installable.some((p) => p.pkg.name === need)) {
      const why = skipped.find((s) => s.startsWith(`${need} `));
      console.error(
        `pack-test: ${need} must be publishable and installable offline${why ? `; it ${why.slice(need.length + 2, -1)}` : ''}`,
      );
      return 1;
    }
  }

  const scratch = mkdtempSync(join(tmpdir(), 'gradlab-pack-test-'));
  // Interrupted runs clean up too; a failed run keeps the folder (printed below) for debugging.
  const cleanup = removeOnExit(scratch, (d) => rmSync(d, { recursive: true, force: true }));
  let ok = false;
  try {
    const tarballs = join(scratch, 'tarballs');
    const app = join(scratch, 'app');
    mkdirSync(tarballs);
    mkdirSync(app);
    const files = new Map<string, string>();
    try {
      for (const p of installable) files.set(p.pkg.name, `file:${packPackage(p.path, tarballs)}`);
    } catch (error) {
      console.error(`pack-test: ${(error as Error).message}`);
      return 1;
    }
    const dependencies = Object.fromEntries([...files].sort());
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'gradlab-pack-test', private: true, type: 'module', dependencies, overrides: dependencies }, null, 2)}\n`,
    );
    const plugins = listPluginPackages(root)
      .filter((p) => files.has(p.pkg.name))
      .map((p) => ({ name: p.pkg.name as string, kind: p.kind, id: p.id }));
    writeFileSync(join(app, 'example.mjs'), example(plugins, [...files.keys()].sort()));
    writeFileSync(join(app, 'train.mjs'), TRAIN);
    console.log(`pack-test: packed ${files.size} packages in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // With peers linked from the workspace, npm must not try to fetch them (it would, offline, and fail).
    const peerFlags = linkedPeers.size ? ['--legacy-peer-deps'] : [];
    const install = runCommand(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', ...peerFlags],
      { cwd: app, env: npmEnv(scratch) },
    );
    if (install.status !== 0) {
      console.error(`pack-test: npm install --offline failed in ${app}:\n${install.stdout}${install.stderr}`);
      return 1;
    }
    console.log(`pack-test: npm install --offline ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    for (const [name, dir] of linkedPeers) {
      mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
      symlinkSync(dir, join(app, 'node_modules', name), 'dir');
    }
    const result = runCommand(process.execPath, ['example.mjs'], { cwd: app });
    process.stdout.write(result.stdout);
    if (result.status !== 0) {
      console.error(`pack-test: the example failed:\n${result.stderr}`);
      return 1;
    }
    const nodeOnly = [...files.keys()].filter((n) => NODE_ONLY.has(n));
    if (!checkDeclarations(root, app, [...files.keys()].filter((n) => !NODE_ONLY.has(n)).sort())) return 1;
    if (nodeOnly.length && !checkDeclarations(root, app, nodeOnly, ['node'])) return 1;
    console.log(
      `pack-test: the type declarations of ${files.size - nodeOnly.length} packages compile without @types/node${nodeOnly.length ? ` (and ${nodeOnly.join(', ')}, which runs in vitest, with it)` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    if (files.has('@gradlab/testkit') && !testTestkit(app, linkedPeers, started)) return 1;
    if (!testDocBlocks(root, app, started)) return 1;
    for (const s of skipped) console.log(`pack-test: skipped ${s}`);
    console.log(`pack-test: ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    ok = true;
    return 0;
  } finally {
    if (values.keep || !ok) {
      console.log(`pack-test: scratch project kept at ${scratch}`);
      cleanup.keep();
    } else cleanup.now();
  }
}

/** tsc of the workspace (the scratch project installs only the packed tarballs). */
function tsc(root: string, args: readonly string[], cwd: string) {
  const bin = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin/tsc');
  return runCommand(process.execPath, [bin, ...args], { cwd });
}

/** What a strict ESM user project sets; `lib`/`types` are left to each program. */
const USER_OPTIONS = {
  target: 'es2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  moduleDetection: 'force',
};

/**
 * Every installed package's .d.ts must compile without @types/node (no NodeJS namespace, no `node:` types);
 * the packages of NODE_ONLY are checked with `types: ['node']` instead.
 */
function checkDeclarations(root: string, app: string, names: readonly string[], types: string[] = []): boolean {
  const tag = types.length ? `-${types.join('-')}` : '';
  const lines = names.map((n, i) => `import type * as p${i} from '${n}';\nexport type T${i} = typeof p${i};`);
  writeFileSync(join(app, `declarations${tag}.ts`), `// Written by gradlab-scripts pack-test.\n${lines.join('\n')}\n`);
  const typeRoots = types.length ? { typeRoots: [join(root, 'node_modules/@types')] } : {};
  writeFileSync(
    join(app, `tsconfig.declarations${tag}.json`),
    JSON.stringify({
      compilerOptions: { ...USER_OPTIONS, lib: ['es2023'], types, ...typeRoots },
      files: [`declarations${tag}.ts`],
    }),
  );
  const r = tsc(root, ['-p', `tsconfig.declarations${tag}.json`, '--pretty', 'false'], app);
  if (r.status === 0) return true;
  console.error(
    `pack-test: the packages' type declarations need types that are not installed (a package must not need @types/node unless it depends on it):\n${r.stdout}${r.stderr}`,
  );
  return false;
}

/** Typecheck and run the docs' TypeScript blocks in the scratch project; false (after printing why) on any failure. */
function testDocBlocks(root: string, app: string, started: number): boolean {
  let blocks: DocBlock[];
  try {
    blocks = collectDocBlocks(root);
  } catch (error) {
    console.error(`pack-test: ${(error as Error).message}`);
    return false;
  }
  const tested = blocks.filter((b) => b.fragment === undefined);
  const dir = join(app, 'docs');
  mkdirSync(dir);
  const where = new Map<string, DocBlock>();
  for (const b of tested) {
    const name = blockFileName(b);
    where.set(name, b);
    writeFileSync(join(dir, name), `// ${b.file}:${b.line}\n${b.code}`);
  }
  const options = { ...USER_OPTIONS, lib: ['es2023'], types: ['node'], typeRoots: [join(root, 'node_modules/@types')] };
  // One program per block, as a user's project holds only that file: augmentations are global to a
  // program, so a block importing @gradlab/activation-tanh would otherwise make 'tanh' typecheck in
  // a block that imports only the preset. `tsc -b` builds the programs in one process.
  const failures: string[] = [];
  const references = tested.map((b) => {
    const name = blockFileName(b);
    const config = `docs/${name.replace(/\.ts$/, '.tsconfig.json')}`;
    const compilerOptions = {
      ...options,
      noEmit: false,
      composite: true,
      emitDeclarationOnly: true,
      outDir: `../out/${name.replace(/\.ts$/, '')}`,
    };
    writeFileSync(join(app, config), JSON.stringify({ compilerOptions, files: [name] }));
    return { path: config };
  });
  writeFileSync(join(app, 'tsconfig.docs.json'), JSON.stringify({ files: [], references }));
  const programs = references.length;
  const r = tsc(root, ['-b', 'tsconfig.docs.json', '--pretty', 'false'], app);
  if (r.status !== 0) {
    // Point at the Markdown line: docs/<name>.ts(l,c) → <file>:<line of the fence + l − 1>.
    const out = `${r.stdout}${r.stderr}`.replace(/(?:docs\/)?([^(\s/]+\.ts)\((\d+),(\d+)\)/g, (all, name, l) => {
      const b = where.get(name);
      return b ? `${b.file}:${b.line + Number(l) - 1}` : all;
    });
    failures.push(`typecheck:\n${out.trim()}`);
  }
  const checked = Date.now();
  if (!failures.length) {
    for (const b of tested) {
      const r = runCommand(process.execPath, [`docs/${blockFileName(b)}`], { cwd: app, timeout: 120_000 });
      if (r.status !== 0)
        failures.push(`run ${b.file}:${b.line} (exit ${r.status}):\n${r.stderr.trim().slice(0, 2000)}`);
    }
  }
  if (failures.length) {
    console.error(
      `pack-test: doc examples failed (mark a deliberate fragment with <!-- doc-test: fragment, <reason> -->):`,
    );
    for (const f of failures) console.error(`  ${f.replaceAll('\n', '\n    ')}`);
    return false;
  }
  const files = new Set(tested.map((b) => b.file)).size;
  const fragments = blocks.length - tested.length;
  console.log(
    `pack-test: doc examples: ${tested.length} TypeScript blocks from ${files} Markdown files typechecked as ${programs} programs (${((checked - started) / 1000).toFixed(1)} s) and run (${((Date.now() - checked) / 1000).toFixed(1)} s); ${fragments} marked fragments not run`,
  );
  return true;
}
