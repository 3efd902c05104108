import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseCommand } from './lib/command-args.ts';
import { removeOnExit, runCommand } from './lib/proc.ts';
import { findRoot, listPackages, type PackageJson, readJson } from './lib/workspace.ts';

export const help = `Usage: gradlab-scripts release-check [--root DIR]

Dry-runs the next release without touching the repository: copies the root and workspace
package.json files and .changeset/ into a temp folder, runs \`changeset version\` there (the
@changesets/cli from node_modules, no network), and checks that
  - every publishable package is named by a changeset and gets a version > 0.0.0
  - @gradlab/plugin-api is 1.0.0 (its first release is a major, docs/releasing.md)
  - every internal dependency range (workspace:^ becomes ^<version> on pack) is satisfied
  - no private package is versioned or named by a changeset
Prints a table; exits 1 naming the package and the fix on any problem.

Options:
  --root DIR   Repository root (default: found from the current folder).
  -h, --help   Show this help.`;

export const PLUGIN_API = '@gradlab/plugin-api';
const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;

type Version = [number, number, number];

function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether `version` satisfies `range`, for the range forms this repo writes (`*`, exact, `^x.y.z`,
 * `~x.y.z`, `>=x.y.z`, `a || b`). `workspace:^`/`workspace:~`/`workspace:*` are resolved first,
 * the way pnpm pack rewrites them. Returns undefined for a form it cannot check.
 */
export function satisfies(version: string, range: string, depVersion = version): boolean | undefined {
  const v = parseVersion(version);
  if (!v) return undefined;
  let r = range.trim();
  if (r.startsWith('workspace:')) {
    r = r.slice('workspace:'.length);
    if (r === '*') r = depVersion;
    else if (r === '^' || r === '~') r = `${r}${depVersion}`;
  }
  if (r.includes('||')) {
    const parts = r.split('||').map((p) => satisfies(version, p));
    if (parts.includes(true)) return true;
    return parts.includes(undefined) ? undefined : false;
  }
  if (r === '*' || r === '') return true;
  const op = /^(\^|~|>=)?\s*(.*)$/.exec(r);
  const base = parseVersion(op?.[2] ?? '');
  if (!base) return undefined;
  if (compare(v, base) < 0) return false;
  switch (op?.[1]) {
    case '>=':
      return true;
    case '~':
      return v[0] === base[0] && v[1] === base[1];
    case '^':
      if (base[0] > 0) return v[0] === base[0];
      if (base[1] > 0) return v[0] === 0 && v[1] === base[1];
      return compare(v, base) === 0;
    default:
      return compare(v, base) === 0;
  }
}

/** Package names in the front matter of every `.changeset/*.md` (README.md excluded). */
export function changesetNames(changesetDir: string): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const file of readdirSync(changesetDir).sort()) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const text = readFileSync(join(changesetDir, file), 'utf8');
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
    for (const line of front.split(/\r?\n/)) {
      const m = /^\s*['"]?([^'":]+)['"]?\s*:\s*(major|minor|patch)\s*$/.exec(line);
      if (m?.[1]) names.set(m[1], [...(names.get(m[1]) ?? []), file]);
    }
  }
  return names;
}

export interface Row {
  readonly name: string;
  readonly dir: string;
  readonly private: boolean;
  readonly from: string;
  readonly to: string;
  readonly changesets: number;
}

export interface CheckResult {
  readonly rows: Row[];
  readonly problems: string[];
}

/** Pure check of a before/after pair of workspaces (what `changeset version` did). */
export function checkRelease(
  before: readonly { dir: string; pkg: PackageJson }[],
  after: ReadonlyMap<string, PackageJson>,
  named: ReadonlyMap<string, string[]>,
): CheckResult {
  const problems: string[] = [];
  const rows: Row[] = [];
  const newVersions = new Map<string, string>();
  for (const p of before) newVersions.set(p.pkg.name, after.get(p.dir)?.version ?? p.pkg.version);
  for (const p of before) {
    const name: string = p.pkg.name;
    const from = String(p.pkg.version ?? '0.0.0');
    const to = String(after.get(p.dir)?.version ?? from);
    const files = named.get(name) ?? [];
    const isPrivate = Boolean(p.pkg.private);
    rows.push({ name, dir: p.dir, private: isPrivate, from, to, changesets: files.length });
    if (isPrivate) {
      if (to !== from)
        problems.push(
          `${name} (private) would be versioned ${from} → ${to}: keep privatePackages.version false in .changeset/config.json.`,
        );
      if (files.length > 0)
        problems.push(`${name} is private but named in ${files.join(', ')}: remove it from those changesets.`);
      continue;
    }
    if (files.length === 0)
      problems.push(
        `${name} is publishable but no changeset names it: add .changeset/<name>.md with '${name}': minor (see docs/releasing.md).`,
      );
    const v = parseVersion(to);
    if (!v || compare(v, [0, 0, 0]) <= 0)
      problems.push(`${name} would be released as ${to}: add a changeset that bumps it (minor for a first release).`);
    if (name === PLUGIN_API && to !== '1.0.0' && from === '0.0.0')
      problems.push(
        `${PLUGIN_API} would be released as ${to}, not 1.0.0: its first changeset must be 'major' (docs/releasing.md).`,
      );
    const pkgAfter = after.get(p.dir) ?? p.pkg;
    for (const field of DEP_FIELDS) {
      for (const [dep, range] of Object.entries<string>(pkgAfter[field] ?? {})) {
        const depVersion = newVersions.get(dep);
        if (depVersion === undefined) continue;
        const ok = satisfies(depVersion, range, depVersion);
        if (ok === undefined)
          problems.push(
            `${name} ${field}.${dep} is "${range}", a form release-check cannot verify: use workspace:^ or ^x.y.z.`,
          );
        else if (!ok)
          problems.push(
            `${name} ${field}.${dep} is "${range}", which ${dep}@${depVersion} does not satisfy: widen the range (e.g. ^${depVersion}) or fix the changeset of ${dep}.`,
          );
      }
    }
  }
  return { rows, problems };
}

export function formatTable(rows: readonly Row[]): string {
  const head = ['package', 'from', 'to', 'changesets'];
  const body = rows.map((r) => [r.name, r.from, r.private ? `${r.to} (private)` : r.to, String(r.changesets)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Copy what `changeset version` reads into a temp dir, run it there, read the results. */
function dryRunVersion(root: string, packages: readonly { dir: string }[]): Map<string, PackageJson> {
  const tmp = mkdtempSync(join(tmpdir(), 'gradlab-release-check-'));
  const cleanup = removeOnExit(tmp, (d) => rmSync(d, { recursive: true, force: true }));
  try {
    for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(tmp, file));
    cpSync(join(root, '.changeset'), join(tmp, '.changeset'), { recursive: true });
    for (const p of packages) {
      mkdirSync(join(tmp, p.dir), { recursive: true });
      cpSync(join(root, p.dir, 'package.json'), join(tmp, p.dir, 'package.json'));
    }
    // The changelog generator named in config.json resolves from the temp root's node_modules.
    symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'));
    const bin = join(
      dirname(createRequire(join(root, 'package.json')).resolve('@changesets/cli/package.json')),
      'bin.js',
    );
    const r = runCommand(process.execPath, [bin, 'version'], { cwd: tmp, env: { ...process.env, CI: '1' } });
    if (r.status !== 0) throw new Error(`changeset version failed in ${tmp}:\n${r.stdout}${r.stderr}`);
    const after = new Map<string, PackageJson>();
    for (const p of packages) after.set(p.dir, readJson(join(tmp, p.dir, 'package.json')));
    return after;
  } finally {
    cleanup.now();
  }
}

export async function run(argv: string[]): Promise<number> {
  const values = parseCommand(argv, help, { root: { type: 'string' } });
  if (!values) return 0;
  const root = findRoot(values.root);
  if (!existsSync(join(root, '.changeset/config.json'))) {
    console.error(`release-check: no .changeset/config.json under ${root}: run it from the repository.`);
    return 1;
  }
  const packages = listPackages(root);
  const after = dryRunVersion(root, packages);
  const { rows, problems } = checkRelease(packages, after, changesetNames(join(root, '.changeset')));
  console.log(formatTable(rows));
  if (problems.length > 0) {
    console.error(`\nrelease-check: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  console.log(`\nrelease-check: ${rows.filter((r) => !r.private).length} publishable packages release consistently.`);
  return 0;
}
