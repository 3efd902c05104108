// The README's example specs are files in examples/, and the output it shows for them is the output
// they give: a change to training, the probes or the hints that alters a shown line fails here.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gradlab, TIMEOUT } from './helpers.ts';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(PKG, 'README.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'gradlab-readme-'));
cpSync(join(PKG, 'examples'), join(work, 'examples'), { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The console block that starts with `$ <command>`: its command and the lines shown after it. */
function consoleBlock(command: string): string[] {
  const start = README.indexOf(`\`\`\`console\n$ ${command}\n`);
  expect(start, `README has a console block for "${command}"`).toBeGreaterThan(-1);
  const body = README.slice(start, README.indexOf('\n```', start + 10)).split('\n');
  return body.slice(2);
}

/** Wall-clock figures are the only part allowed to differ. */
const untimed = (line: string) => line.replace(/in [\d.]+ s \([\d.]+ steps\/s\)/, 'in … s (… steps/s)');

describe('the CLI README examples', { timeout: TIMEOUT }, () => {
  it('deep-sigmoid.json prints what the README shows', async () => {
    const shown = consoleBlock('gradlab run examples/deep-sigmoid.json --out runs/deep-sigmoid --quiet');
    const r = await gradlab(['run', 'examples/deep-sigmoid.json', '--out', 'runs/deep-sigmoid', '--quiet'], {
      cwd: work,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map(untimed)).toEqual(shown.map(untimed));
  });

  it('gradlab gradcheck on the deep sigmoid net prints what the README shows', async () => {
    const command = 'gradlab gradcheck --activation sigmoid --init glorot --depth 10 --width 32 --batch 32';
    const shown = consoleBlock(command);
    const r = await gradlab(command.split(' ').slice(1));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(shown);
  });

  it('the CSV shown is examples/points.csv, and csv-spec.json trains on it', async () => {
    const csv = readFileSync(join(PKG, 'examples/points.csv'), 'utf8').trimEnd();
    expect(README).toContain(`\`\`\`csv\n${csv}\n\`\`\``);
    const r = await gradlab(['run', 'examples/csv-spec.json', '--data', 'examples/points.csv', '--quiet'], {
      cwd: work,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Run completed: 6\/6 steps/);
  });
});
