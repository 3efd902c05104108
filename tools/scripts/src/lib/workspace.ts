import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The four kinds that ship as one npm package per plugin, and the folder that groups each. */
export const PACKAGE_KINDS = ['activation', 'initializer', 'clipping', 'regularizer'] as const;
export type PackageKind = (typeof PACKAGE_KINDS)[number];
export const KIND_FOLDERS: Readonly<Record<PackageKind, string>> = {
  activation: 'packages/activations',
  initializer: 'packages/initializers',
  clipping: 'packages/clipping',
  regularizer: 'packages/regularizers',
};
/** The conformance suite each kind's tests must call (`@gradlab/testkit`). */
export const SUITES: Readonly<Record<PackageKind, string>> = {
  activation: 'describeActivation',
  initializer: 'describeInitializer',
  clipping: 'describeClipping',
  regularizer: 'describeRegularizer',
};
export const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function isPackageKind(value: string): value is PackageKind {
  return (PACKAGE_KINDS as readonly string[]).includes(value);
}

// biome-ignore lint/suspicious/noExplicitAny: package.json is free-form JSON.
export type PackageJson = Record<string, any>;

export interface WorkspacePackage {
  /** Folder relative to the repo root, with forward slashes: `packages/activations/relu`. */
  readonly dir: string;
  /** Absolute folder. */
  readonly path: string;
  readonly pkg: PackageJson;
}

export interface PluginPackage extends WorkspacePackage {
  readonly kind: string;
  readonly id: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function readJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** The repo root: the nearest folder upwards that holds `pnpm-workspace.yaml`. */
export function findRoot(start = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new UsageError(`No pnpm-workspace.yaml found in ${start} or any folder above it.`);
    dir = parent;
  }
}

/** The `packages:` globs of pnpm-workspace.yaml (only `dir`, `dir/*` forms, which is all we use). */
export function workspaceGlobs(root: string): string[] {
  const text = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs: string[] = [];
  let inPackages = false;
  for (const line of text.split('\n')) {
    if (/^packages:\s*$/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const m = line.match(/^\s+-\s+['"]?([^'"#\s]+)['"]?/);
      if (m) globs.push(m[1]);
    }
  }
  return globs;
}

/** Every workspace package (folders matched by the globs that contain a package.json), sorted by folder. */
export function listPackages(root: string): WorkspacePackage[] {
  const dirs = new Set<string>();
  for (const glob of workspaceGlobs(root)) {
    if (glob.startsWith('!')) continue;
    if (glob.endsWith('/*')) {
      const base = join(root, glob.slice(0, -2));
      if (!existsSync(base)) continue;
      for (const entry of readdirSync(base, { withFileTypes: true })) {
        if (entry.isDirectory()) dirs.add(`${glob.slice(0, -2)}/${entry.name}`);
      }
    } else dirs.add(glob.replace(/\/$/, ''));
  }
  return [...dirs]
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .sort()
    .map((dir) => ({ dir, path: join(root, dir), pkg: readJson(join(root, dir, 'package.json')) }));
}

/** Packages that declare `package.json#gradlab = { kind, id }`. */
export function listPluginPackages(root: string): PluginPackage[] {
  return listPackages(root)
    .filter((p) => p.pkg.gradlab && typeof p.pkg.gradlab === 'object')
    .map((p) => ({ ...p, kind: String(p.pkg.gradlab.kind), id: String(p.pkg.gradlab.id) }));
}

/** Packages that get published: not private. */
export function listPublishable(root: string): WorkspacePackage[] {
  return listPackages(root).filter((p) => !p.pkg.private);
}

export function packageName(kind: string, id: string): string {
  return `@gradlab/${kind}-${id}`;
}

/** `leaky-relu` → `leakyRelu`. */
export function camelCase(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `leaky-relu` → `Leaky Relu` (a starting point; contributors edit titles). */
export function titleCase(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

export function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

export function rel(root: string, path: string): string {
  return toPosix(relative(root, path)) || '.';
}
