import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { parseCommand } from './lib/command-args.ts';
import { removeOnExit, runCommand } from './lib/proc.ts';
import { findRoot, readJson } from './lib/workspace.ts';

export const help = `Usage: gradlab-scripts check-package [--dir DIR]

Lints one publishable package the way npm users will get it. Run by every package's
\`check:package\` script (turbo runs it after \`build\`), from the package folder.
  1. pnpm pack (publishConfig applied, so the tarball is what would be published)
  2. publint on that tarball: fails on errors, prints warnings and suggestions
  3. @arethetypeswrong/cli on that tarball, profile esm-only: fails on any problem
Works offline.

Options:
  --dir DIR    Package folder (default: the current folder).
  -h, --help   Show this help.`;

/** pnpm pack into a fresh temp folder; returns the tarball path. */
export function packPackage(dir: string, destination: string): string {
  const r = runCommand('pnpm', ['pack', '--json', '--pack-destination', destination], { cwd: dir });
  if (r.status !== 0) throw new Error(`pnpm pack failed in ${dir}:\n${r.stderr || r.stdout}`);
  const json = r.stdout.slice(r.stdout.indexOf('{'));
  return (JSON.parse(json) as { filename: string }).filename;
}

function attwBin(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@arethetypeswrong/cli/package.json');
  const bin = (readJson(pkgJson).bin as Record<string, string>).attw;
  return join(dirname(pkgJson), bin);
}

export async function run(argv: string[]): Promise<number> {
  const values = parseCommand(argv, help, { dir: { type: 'string' } });
  if (!values) return 0;
  const dir = resolve(values.dir ?? process.cwd());
  if (!existsSync(join(dir, 'package.json'))) {
    console.error(`check-package: no package.json in ${dir}`);
    return 1;
  }
  const pkg = readJson(join(dir, 'package.json'));
  if (pkg.private) {
    console.log(`check-package: ${pkg.name} is private; nothing to check.`);
    return 0;
  }
  // engines.node: npm warns users on an untested Node; the range is the root's, the one CI tests.
  const rootEngines = readJson(join(findRoot(dir), 'package.json')).engines?.node;
  if (rootEngines && pkg.engines?.node !== rootEngines) {
    console.error(
      `check-package: ${pkg.name} must declare "engines": { "node": "${rootEngines}" } (the root package.json's range, which CI tests); found ${JSON.stringify(pkg.engines?.node ?? null)}`,
    );
    return 1;
  }
  if (!existsSync(join(dir, 'dist'))) {
    console.error(
      `check-package: ${pkg.name} has no dist/ folder. Build first (turbo runs build before check:package).`,
    );
    return 1;
  }

  const tmp = mkdtempSync(join(tmpdir(), 'gradlab-check-package-'));
  const cleanup = removeOnExit(tmp, (d) => rmSync(d, { recursive: true, force: true }));
  try {
    const tarball = packPackage(dir, tmp);
    let failed = false;

    const data = readFileSync(tarball);
    const { messages, pkg: packed } = await publint({
      level: 'suggestion',
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer },
    });
    for (const m of messages) {
      const text = formatMessage(m, packed, { color: false }) ?? m.code;
      console.log(`publint ${m.type}: ${text}`);
      if (m.type === 'error') failed = true;
    }

    const attw = runCommand(
      process.execPath,
      [
        attwBin(),
        tarball,
        '--profile',
        'esm-only',
        '--no-definitely-typed',
        '--format',
        'ascii',
        '--no-emoji',
        '--no-color',
      ],
      { cwd: tmp, env: { ...process.env, FORCE_COLOR: '0' } },
    );
    if (attw.status !== 0) {
      console.error(`attw (esm-only) found problems in ${pkg.name}:\n${attw.stdout}${attw.stderr}`);
      failed = true;
    }
    if (failed) {
      console.error(`check-package: ${pkg.name} FAILED`);
      return 1;
    }
    const warnings = messages.filter((m) => m.type !== 'error').length;
    console.log(
      `check-package: ${pkg.name} ok (publint: 0 errors, ${warnings} warnings/suggestions; attw esm-only: ok)`,
    );
    return 0;
  } finally {
    cleanup.now();
  }
}
