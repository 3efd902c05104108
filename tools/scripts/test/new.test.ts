import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, cli, fixtureRepo, linkToolchain, REPO, tempDir } from './helpers.ts';

afterAll(cleanup);

const KINDS = [
  ['activation', 'packages/activations'],
  ['initializer', 'packages/initializers'],
  ['clipping', 'packages/clipping'],
  ['regularizer', 'packages/regularizers'],
] as const;
const TOOLS_MODULES = join(REPO, 'tools/scripts/node_modules');

/** What `pnpm install` would link into a new plugin package: its declared dev dependencies. */
function linkDevDependencies(pkgDir: string): void {
  const modules = join(pkgDir, 'node_modules');
  mkdirSync(join(modules, '@gradlab'), { recursive: true });
  mkdirSync(join(modules, '@types'), { recursive: true });
  symlinkSync(join(REPO, 'packages/plugin-api'), join(modules, '@gradlab/plugin-api'));
  symlinkSync(join(REPO, 'packages/testkit'), join(modules, '@gradlab/testkit'));
  for (const dep of ['typescript', 'vitest', '@types/node']) {
    symlinkSync(realpathSync(join(TOOLS_MODULES, dep)), join(modules, dep));
  }
}

/** Child processes must not think they run inside this Vitest worker. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST'));
}

describe('gradlab-scripts new: a scaffolded plugin of every kind builds and passes its suite', () => {
  let root: string;
  const results = new Map<string, ReturnType<typeof cli>>();

  beforeAll(() => {
    root = tempDir('scaffold');
    for (const file of ['configs', 'package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) {
      cpSync(join(REPO, file), join(root, file), { recursive: true });
    }
    for (const file of ['package.json', 'src']) {
      cpSync(join(REPO, 'packages/preset-standard', file), join(root, 'packages/preset-standard', file), {
        recursive: true,
      });
    }
    linkToolchain(root);
    for (const [kind] of KINDS) results.set(kind, cli(['new', kind, `zz-${kind}`, '--root', root, '--no-install']));
  }, 120_000); // four CLI runs: well past the default 10 s hook timeout on a loaded two-core machine

  it.each(KINDS)('scaffolds %s into %s/zz-<kind>', (kind, folder) => {
    const r = results.get(kind)!;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Next steps:');
    const dir = join(root, folder, `zz-${kind}`);
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src/index.ts', 'README.md']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(existsSync(join(dir, `test/zz-${kind}.test.ts`))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe(`@gradlab/${kind}-zz-${kind}`);
    expect(pkg.gradlab).toEqual({ kind, id: `zz-${kind}` });
    expect(pkg.repository.directory).toBe(`${folder}/zz-${kind}`);
    expect(pkg.exports['.']['@gradlab/source']).toBe('./src/index.ts');
    expect(readFileSync(join(root, `.changeset/add-${kind}-zz-${kind}.md`), 'utf8')).toContain(
      `'@gradlab/${kind}-zz-${kind}': minor`,
    );
    linkDevDependencies(dir);
  });

  it('registers every new plugin in the preset (imports, arrays, dependencies)', () => {
    const preset = readFileSync(join(root, 'packages/preset-standard/src/index.ts'), 'utf8');
    expect(preset).toContain("import zzActivation from '@gradlab/activation-zz-activation';");
    expect(preset).toContain('/// <reference types="@gradlab/activation-zz-activation" preserve="true" />');
    expect(preset).toMatch(/export const activations = \[[^\]]*\n {2}zzActivation,\n/);
    expect(preset).toMatch(/export const regularizers = \[[^\]]*\n {2}zzRegularizer,\n/);
    const deps = JSON.parse(readFileSync(join(root, 'packages/preset-standard/package.json'), 'utf8')).dependencies;
    expect(deps['@gradlab/clipping-zz-clipping']).toBe('workspace:^');
  });

  it.each(KINDS)('typechecks the new %s package with tsc', (kind, folder) => {
    const tsc = join(TOOLS_MODULES, '.bin/tsc');
    const r = spawnSync(tsc, ['-p', join(root, folder, `zz-${kind}`, 'tsconfig.json'), '--noEmit'], {
      encoding: 'utf8',
    });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('fills the README blocks, and the new packages pass check-plugins', () => {
    expect(cli(['gen-readmes', '--root', root]).status).toBe(0);
    const readme = readFileSync(join(root, 'packages/activations/zz-activation/README.md'), 'utf8');
    expect(readme).toContain('## Notes\n\nZz Activation was scaffolded');
    const r = cli(['check-plugins', '--root', root]);
    expect(r.output).toContain('4 plugin packages pass every rule');
    expect(r.status).toBe(0);
  });

  it('passes the conformance suites of all four new packages (vitest, spawned)', () => {
    writeFileSync(
      join(root, 'vitest.config.mjs'),
      `export default {
  resolve: { conditions: ['@gradlab/source'] },
  ssr: { resolve: { conditions: ['@gradlab/source'] } },
  test: { include: ['packages/*/*/test/*.test.ts'], reporters: [['json', { outputFile: 'report.json' }]] },
};\n`,
    );
    const vitest = join(TOOLS_MODULES, '.bin/vitest');
    const r = spawnSync(vitest, ['run', '--root', root, '--config', join(root, 'vitest.config.mjs')], {
      cwd: root,
      encoding: 'utf8',
      env: cleanEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(existsSync(join(root, 'report.json')), r.stderr).toBe(true);
    const report = JSON.parse(readFileSync(join(root, 'report.json'), 'utf8'));
    const failed = report.testResults.flatMap((f: { assertionResults: { status: string; fullName: string }[] }) =>
      f.assertionResults.filter((a) => a.status !== 'passed').map((a) => a.fullName),
    );
    expect(failed).toEqual([]);
    expect(report.numTotalTestSuites).toBeGreaterThan(4);
    expect(report.numPassedTests).toBeGreaterThan(40);
    expect(r.status).toBe(0);
  }, 120_000);
});

describe('gradlab-scripts new: refusals (exit 1, nothing written)', () => {
  it('refuses an id that another plugin uses as an alias', () => {
    const root = fixtureRepo();
    const r = cli(['new', 'activation', 'small', '--root', root, '--no-install']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('id "small" is already taken by initializer:tiny (packages/initializers/tiny)');
    expect(existsSync(join(root, 'packages/activations/small'))).toBe(false);
  });

  it('refuses an id that is taken in another kind', () => {
    const root = fixtureRepo();
    const r = cli(['new', 'regularizer', 'ramp', '--root', root, '--no-install']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('id "ramp" is already taken by activation:ramp');
  });

  it('refuses an id that is not kebab-case', () => {
    const root = fixtureRepo();
    const r = cli(['new', 'activation', 'Leaky_ReLU', '--root', root, '--no-install']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('id "Leaky_ReLU" is not kebab-case');
    expect(existsSync(join(root, 'packages/activations/Leaky_ReLU'))).toBe(false);
  });

  it('refuses an unknown kind and missing arguments', () => {
    const root = fixtureRepo();
    const kind = cli(['new', 'optimizer', 'lion', '--root', root]);
    expect(kind.status).toBe(1);
    expect(kind.stderr).toContain(
      'unknown kind "optimizer". Choose one of: activation, initializer, clipping, regularizer.',
    );
    const missing = cli(['new', 'activation']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('expected two arguments, <kind> and <id>.');
  });
});
