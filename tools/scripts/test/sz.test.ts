import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUDGETS, countCodeLines } from '../src/sz.ts';
import { cleanup, cli, fixtureRepo } from './helpers.ts';

afterAll(cleanup);

/** `n` one-line code statements. */
const code = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n');

describe('countCodeLines', () => {
  it('skips blank lines, line comments and block comments', () => {
    const source = [
      '/**',
      ' * Doc.',
      ' */',
      'const a = 1; // trailing',
      '',
      '  // only a comment',
      '/* x */ const b = 2;',
    ];
    expect(countCodeLines(source.join('\n'))).toBe(2);
  });

  it('does not take // or /* inside strings and template literals for comments', () => {
    const source = ["const url = 'https://example.org';", 'const t = `a', '// still in the template', '`;'];
    expect(countCodeLines(source.join('\n'))).toBe(4);
  });
});

describe('gradlab-scripts sz', () => {
  it('passes the fixture repo and prints a table', () => {
    const r = cli(['sz', '--root', fixtureRepo()]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('packages/activations/ramp');
    expect(r.stdout).toContain('budgets:');
  });

  it('fails loudly when a plugin src/index.ts is over its budget', () => {
    const root = fixtureRepo();
    const n = BUDGETS.pluginIndex + 10;
    writeFileSync(join(root, 'packages/activations/ramp/src/index.ts'), code(n));
    const r = cli(['sz', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('OVER BUDGET');
    expect(r.stderr).toContain(`packages/activations/ramp/src/index.ts: ${n} code lines > ${BUDGETS.pluginIndex}`);
  });

  it('fails when a source file is over its budget', () => {
    const root = fixtureRepo();
    const n = BUDGETS.file + 1;
    writeFileSync(join(root, 'packages/activations/ramp/src/big.ts'), code(n));
    const r = cli(['sz', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`packages/activations/ramp/src/big.ts: ${n} code lines > ${BUDGETS.file} per file`);
  });

  it('fails when the core package is over its budget (spec and datasets count here)', () => {
    const root = fixtureRepo();
    mkdirSync(join(root, 'packages/core/src/spec'), { recursive: true });
    writeFileSync(join(root, 'packages/core/package.json'), '{ "name": "@gradlab/core" }');
    const total = BUDGETS.core + 100;
    for (let f = 0, left = total; left > 0; f++, left -= 300) {
      writeFileSync(join(root, `packages/core/src/spec/f${f}.ts`), code(Math.min(300, left)));
    }
    const r = cli(['sz', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`packages/core/src: ${total} code lines > ${BUDGETS.core} for the core package`);
    expect(r.stderr).not.toContain('for the engine');
  });

  it('fails when the engine part of core is over its own budget', () => {
    const root = fixtureRepo();
    mkdirSync(join(root, 'packages/core/src/layers'), { recursive: true });
    writeFileSync(join(root, 'packages/core/package.json'), '{ "name": "@gradlab/core" }');
    const total = BUDGETS.engine + 50;
    for (let f = 0, left = total; left > 0; f++, left -= 300) {
      writeFileSync(join(root, `packages/core/src/layers/f${f}.ts`), code(Math.min(300, left)));
    }
    const r = cli(['sz', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`packages/core/src (engine): ${total} code lines > ${BUDGETS.engine} for the engine`);
  });
});
