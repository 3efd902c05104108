import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unlistedDecisions } from '../src/gen-readmes.ts';
import { cleanup, cli, FIXTURE, fixtureRepo, REPO } from './helpers.ts';

afterAll(cleanup);

const README = 'packages/activations/ramp/README.md';

describe('gradlab-scripts gen-readmes', () => {
  it('--check passes when every README is up to date', () => {
    const r = cli(['gen-readmes', '--check', '--root', fixtureRepo()]);
    expect(r.stdout).toContain('2 plugin READMEs up to date');
    expect(r.status).toBe(0);
  });

  it('--check fails on a drifted block and lists the file; a write run restores it and keeps ## Notes', () => {
    const root = fixtureRepo();
    const path = join(root, README);
    writeFileSync(path, readFileSync(path, 'utf8').replace('Where the ramp flattens.', 'Edited by hand.'));
    const check = cli(['gen-readmes', '--check', '--root', root]);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain(`1 README(s) out of date:\n  ${README}`);

    expect(cli(['gen-readmes', '--root', root]).status).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(readFileSync(join(FIXTURE, README), 'utf8'));
    expect(cli(['gen-readmes', '--check', '--root', root]).status).toBe(0);
  });

  it('fills a README that has only a title and notes, in canonical order', () => {
    const root = fixtureRepo();
    const path = join(root, README);
    writeFileSync(path, '# @gradlab/activation-ramp\n\n## Notes\n\nA fixture.\n');
    expect(cli(['gen-readmes', '--filter', 'packages/activations/ramp', '--root', root]).status).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(readFileSync(join(FIXTURE, README), 'utf8'));
  });

  it('refreshes the package table in the root README', () => {
    const root = fixtureRepo();
    writeFileSync(
      join(root, 'README.md'),
      '# Repo\n\n<!-- gradlab:gen:packages -->\nold\n<!-- /gradlab:gen:packages -->\n',
    );
    expect(cli(['gen-readmes', '--check', '--root', root]).stderr).toContain('  README.md');
    expect(cli(['gen-readmes', '--root', root]).status).toBe(0);
    const text = readFileSync(join(root, 'README.md'), 'utf8');
    expect(text).toMatch(
      /\| `@gradlab\/activation-ramp` +\| \[`packages\/activations\/ramp`\]\(packages\/activations\/ramp\) +\| Ramp activation/,
    );
    expect(cli(['gen-readmes', '--check', '--root', root]).status).toBe(0);
  });

  it('rejects unknown flags with the help text', () => {
    const r = cli(['gen-readmes', '--chek']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Unknown option '--chek'");
    expect(r.stderr).toContain('Usage: gradlab-scripts gen-readmes');
  });
});

describe('the decision list in docs/README.md', () => {
  it('names every decision record that docs/README.md does not link', () => {
    const root = mkdtempSync(join(tmpdir(), 'gradlab-decisions-'));
    try {
      mkdirSync(join(root, 'docs/decisions'), { recursive: true });
      writeFileSync(join(root, 'docs/decisions/0001-a.md'), '# 0001\n');
      writeFileSync(join(root, 'docs/decisions/0002-b.md'), '# 0002\n');
      writeFileSync(join(root, 'docs/README.md'), '| [0001](decisions/0001-a.md) | A |\n');
      const problems = unlistedDecisions(root);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/does not list docs\/decisions\/0002-b.md/);
      writeFileSync(
        join(root, 'docs/README.md'),
        '| [0001](decisions/0001-a.md) | A |\n| [0002](decisions/0002-b.md) | B |\n',
      );
      expect(unlistedDecisions(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('holds for this repository', () => {
    expect(unlistedDecisions(REPO)).toEqual([]);
  });
});
