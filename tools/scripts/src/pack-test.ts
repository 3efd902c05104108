import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packPackage } from './check-package.ts';
import { removeOnExit, runCommand } from './lib/proc.ts';
import { findRoot, listPluginPackages, listPublishable, type WorkspacePackage } from './lib/workspace.ts';

export const help = `Usage: gradlab-scripts pack-test [--root DIR] [--keep]

Proves the packages work as npm users get them, outside the workspace:
  1. pnpm pack every publishable package (build must have run)
  2. create a scratch project in the OS temp folder whose dependencies are those tarballs
     (file:…tgz); packages whose dependencies or peers are not all among them, such as
     @gradlab/testkit (peer: vitest), are skipped and listed
  3. npm install --offline with an empty cache (no registry is needed or contacted)
  4. run an example there: a registry with @gradlab/preset-standard resolves and exercises
     every plugin, then a small network trains if @gradlab/core exports train()

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

/** npm reads its global config (registry, cafile) from <node prefix>/etc/npmrc; keep the machine's (TOOLCHAIN.md §1). */
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
  const { values } = parseArgs({
    args: argv,
    options: { root: { type: 'string' }, keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
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
  for (const p of publishable) {
    const needs = [...Object.keys(p.pkg.dependencies ?? {}), ...Object.keys(p.pkg.peerDependencies ?? {})];
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

    const install = runCommand('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      env: npmEnv(scratch),
    });
    if (install.status !== 0) {
      console.error(`pack-test: npm install --offline failed in ${app}:\n${install.stdout}${install.stderr}`);
      return 1;
    }
    console.log(`pack-test: npm install --offline ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    const result = runCommand(process.execPath, ['example.mjs'], { cwd: app });
    process.stdout.write(result.stdout);
    if (result.status !== 0) {
      console.error(`pack-test: the example failed:\n${result.stderr}`);
      return 1;
    }
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
