import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PackageJson } from '../src/lib/workspace.ts';
import { checkRelease, satisfies } from '../src/release-check.ts';
import { CLI, cleanup, REPO, tempDir } from './helpers.ts';

afterAll(cleanup);

describe('satisfies', () => {
  it('resolves workspace: ranges the way pnpm pack does and checks caret/tilde/exact', () => {
    expect(satisfies('1.0.0', 'workspace:^')).toBe(true);
    expect(satisfies('1.2.0', '^1.0.0')).toBe(true);
    expect(satisfies('0.1.0', '^1.0.0')).toBe(false);
    expect(satisfies('0.2.0', '^0.1.0')).toBe(false);
    expect(satisfies('0.1.5', '~0.1.0')).toBe(true);
    expect(satisfies('1.0.0', 'workspace:^0.1.0')).toBe(false);
    expect(satisfies('1.0.0', 'latest')).toBeUndefined();
  });
});

describe('checkRelease', () => {
  const before = [
    { dir: 'packages/api', pkg: { name: '@gradlab/plugin-api', version: '0.0.0' } },
    {
      dir: 'packages/relu',
      pkg: {
        name: '@gradlab/activation-relu',
        version: '0.0.0',
        peerDependencies: { '@gradlab/plugin-api': '^0.1.0' },
      },
    },
    { dir: 'apps/site', pkg: { name: '@gradlab/site', version: '0.0.0', private: true } },
  ];
  const after = new Map<string, PackageJson>(
    before.map((p) => [
      p.dir,
      { ...p.pkg, version: p.pkg.private ? '0.0.0' : p.pkg.name.endsWith('plugin-api') ? '1.0.0' : '0.1.0' },
    ]),
  );
  const named = new Map([
    ['@gradlab/plugin-api', ['a.md']],
    ['@gradlab/activation-relu', ['b.md']],
  ]);

  it('names the package, the range and the fix when an internal range is not satisfied', () => {
    const { problems } = checkRelease(before, after, named);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('@gradlab/activation-relu peerDependencies.@gradlab/plugin-api is "^0.1.0"');
    expect(problems[0]).toContain('^1.0.0');
  });

  it('flags plugin-api not at 1.0.0, an uncovered package and a versioned private package', () => {
    const bad = new Map(after);
    bad.set('packages/api', { ...bad.get('packages/api'), version: '0.1.0' });
    bad.set('apps/site', { ...bad.get('apps/site'), version: '0.1.0' });
    const { problems } = checkRelease(before, bad, new Map([['@gradlab/plugin-api', ['a.md']]]));
    const text = problems.join('\n');
    expect(text).toContain('@gradlab/plugin-api would be released as 0.1.0, not 1.0.0');
    expect(text).toContain('@gradlab/activation-relu is publishable but no changeset names it');
    expect(text).toContain('@gradlab/site (private) would be versioned');
  });
});

describe('gradlab-scripts release-check (real changeset version in a temp copy)', () => {
  function miniRepo(peerRange: string, reluChangeset = true): string {
    const root = tempDir('release');
    const write = (file: string, text: string) => {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), text);
    };
    write('package.json', JSON.stringify({ name: 'mini', private: true, version: '0.0.0' }));
    write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
    write(
      '.changeset/config.json',
      JSON.stringify({
        changelog: false,
        commit: false,
        access: 'public',
        baseBranch: 'main',
        updateInternalDependencies: 'patch',
        privatePackages: { version: false, tag: false },
      }),
    );
    write('.changeset/api.md', "---\n'@gradlab/plugin-api': major\n---\n\nFirst.\n");
    if (reluChangeset) write('.changeset/relu.md', "---\n'@gradlab/activation-relu': minor\n---\n\nFirst.\n");
    write('packages/plugin-api/package.json', JSON.stringify({ name: '@gradlab/plugin-api', version: '0.0.0' }));
    write(
      'packages/relu/package.json',
      JSON.stringify({
        name: '@gradlab/activation-relu',
        version: '0.0.0',
        peerDependencies: { '@gradlab/plugin-api': peerRange },
      }),
    );
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
    return root;
  }
  const runCheck = (root: string) =>
    spawnSync(process.execPath, [CLI, 'release-check', '--root', root], { encoding: 'utf8' });

  // changeset version itself rewrites a dependent's out-of-range peer range, so the range case is
  // covered by the checkRelease fixture above; here a package that no changeset names must fail.
  it('passes a consistent first release and fails a package without a changeset', () => {
    const good = runCheck(miniRepo('^1.0.0'));
    expect(good.stdout).toMatch(/@gradlab\/plugin-api\s+0\.0\.0\s+1\.0\.0/);
    expect(good.status).toBe(0);
    const bad = runCheck(miniRepo('^1.0.0', false));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('@gradlab/activation-relu is publishable but no changeset names it');
  });
});
