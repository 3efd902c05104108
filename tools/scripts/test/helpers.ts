import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The real repository (tests read from it, never write to it). */
export const REPO = resolve(import.meta.dirname, '../../..');
export const CLI = join(REPO, 'tools/scripts/src/cli.ts');
export const FIXTURE = join(import.meta.dirname, 'fixtures/repo');

const made: string[] = [];

/** A new folder in the OS temp dir, removed by {@link cleanup}. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gradlab-${prefix}-`));
  made.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Give `root` the bits of the real repo the tools need: Biome's config and binary (READMEs are
 * Biome-formatted) and `@gradlab/plugin-api` (plugin sources import it).
 */
export function linkToolchain(root: string): void {
  cpSync(join(REPO, 'biome.json'), join(root, 'biome.json'));
  cpSync(join(REPO, '.gitignore'), join(root, '.gitignore'));
  mkdirSync(join(root, 'node_modules/.bin'), { recursive: true });
  mkdirSync(join(root, 'node_modules/@gradlab'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules/.bin/biome'), join(root, 'node_modules/.bin/biome'));
  symlinkSync(join(REPO, 'packages/plugin-api'), join(root, 'node_modules/@gradlab/plugin-api'));
}

/** A temporary copy of the fixture repo (two plugins, a preset, a changeset). */
export function fixtureRepo(): string {
  const root = tempDir('fixture');
  cpSync(FIXTURE, root, { recursive: true });
  linkToolchain(root);
  return root;
}

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
}

/** Run `gradlab-scripts …` in a child process, as CI does. */
export function cli(args: readonly string[], cwd = REPO): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
}
