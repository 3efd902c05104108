import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, fixtureRepo } from './helpers.ts';

afterAll(cleanup);

const RAMP = 'packages/activations/ramp';
const TINY = 'packages/initializers/tiny';

function edit(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

function editJson(root: string, file: string, change: (pkg: Record<string, unknown>) => void): void {
  edit(root, file, (text) => {
    const pkg = JSON.parse(text);
    change(pkg);
    return JSON.stringify(pkg, null, 2);
  });
}

describe('gradlab-scripts check-plugins', () => {
  it('passes the fixture repo', () => {
    const r = cli(['check-plugins', '--root', fixtureRepo()]);
    expect(r.output).toContain('2 plugin packages pass every rule');
    expect(r.status).toBe(0);
  });

  it('catches a wrong package name', () => {
    const root = fixtureRepo();
    editJson(root, `${RAMP}/package.json`, (pkg) => {
      pkg.name = '@gradlab/activation-ramps';
    });
    const r = cli(['check-plugins', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(RAMP);
    expect(r.stderr).toContain('name is "@gradlab/activation-ramps", expected "@gradlab/activation-ramp"');
  });

  it('catches package.json#gradlab disagreeing with meta', () => {
    const root = fixtureRepo();
    edit(root, `${TINY}/src/index.ts`, (t) => t.replace("id: 'tiny'", "id: 'tiny-one'"));
    const r = cli(['check-plugins', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('meta.id is "tiny-one", package.json#gradlab.id is "tiny"');
  });

  it('catches a missing keyword', () => {
    const root = fixtureRepo();
    editJson(root, `${RAMP}/package.json`, (pkg) => {
      pkg.keywords = ['gradlab', 'gradlab-plugin'];
    });
    const r = cli(['check-plugins', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('keywords must include "gradlab-activation"');
  });

  it('catches a description that does not end with the summary', () => {
    const root = fixtureRepo();
    editJson(root, `${TINY}/package.json`, (pkg) => {
      pkg.description = 'Tiny initializer for gradlab: small weights.';
    });
    const r = cli(['check-plugins', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('description must end with meta.summary "Draws weights with a small fixed variance."');
  });

  it('catches an alias that another plugin uses as its id', () => {
    const root = fixtureRepo();
    edit(root, `${TINY}/src/index.ts`, (t) => t.replace("aliases: ['small']", "aliases: ['ramp']"));
    const r = cli(['check-plugins', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('id or alias "ramp" is already used by activation:ramp (packages/activations/ramp)');
  });

  it('catches extra exports, a wrong peer, a test that skips the suite and a missing preset entry, all at once', () => {
    const root = fixtureRepo();
    edit(root, `${RAMP}/src/index.ts`, (t) => `${t}\nexport const helper = 1;\n`);
    editJson(root, `${RAMP}/package.json`, (pkg) => {
      pkg.peerDependencies = { '@gradlab/plugin-api': 'workspace:^', '@gradlab/core': 'workspace:^' };
    });
    writeFileSync(join(root, `${TINY}/test/tiny.test.ts`), "import { it } from 'vitest';\nit('works', () => {});\n");
    edit(root, 'packages/preset-standard/src/index.ts', (t) =>
      t
        .replace("import tiny from '@gradlab/initializer-tiny';\n", '')
        .replace('/// <reference types="@gradlab/activation-ramp" preserve="true" />\n', ''),
    );
    rmSync(join(root, '.changeset/add-fixtures.md'));
    const r = cli(['check-plugins', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('must export only the default definition (also exports: helper)');
    expect(r.stderr).toContain(
      'peerDependencies must be exactly { "@gradlab/plugin-api" } (found: @gradlab/plugin-api, @gradlab/core)',
    );
    expect(r.stderr).toContain('no test/*.test.ts calls describeInitializer() from @gradlab/testkit');
    expect(r.stderr).toContain('not imported in packages/preset-standard/src/index.ts');
    expect(r.stderr).toContain('lacks `/// <reference types="@gradlab/activation-ramp" preserve="true" />`');
    expect(r.stderr).toContain('no changeset names @gradlab/activation-ramp and there is no CHANGELOG.md');
    expect(r.stderr).toMatch(/problem\(s\) in 2 of 2 plugin packages/);
  });

  it('catches a drifted README and a missing section', () => {
    const root = fixtureRepo();
    edit(root, `${RAMP}/README.md`, (t) => t.replace('| `top`', '| `bottom`'));
    edit(root, `${TINY}/README.md`, (t) => t.replace('## Notes\n\nA fixture.\n\n', ''));
    const r = cli(['check-plugins', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('README.md generated blocks are out of date (run `pnpm gen:readmes`)');
    expect(r.stderr).toContain('README.md lacks sections: ## Notes');
  });

  it('reports a plugin source that does not import', () => {
    const root = fixtureRepo();
    writeFileSync(join(root, `${RAMP}/src/index.ts`), "import x from './missing.ts';\nexport default x;\n");
    const r = cli(['check-plugins', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot import src\/index\.ts: .*missing\.ts/);
  });
});
