import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradlab, TIMEOUT } from './helpers.ts';

interface Fix {
  finding: { code: string };
  change: string;
  before: Record<string, number | null>;
  after: Record<string, number | null>;
  cleared: boolean;
}
interface Report {
  findings: { code: string; severity: string }[];
  fixes: Fix[];
}

/** `--a 1 --b 2` as a map, so a fix's flags replace the base flags of the same name. */
const flagMap = (args: readonly string[]) => {
  const m = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) m.set(args[i], args[i + 1]);
  return m;
};
const flat = (m: Map<string, string>) => [...m].flat();

async function probeCodes(args: readonly string[]): Promise<string[]> {
  const r = await gradlab(['probe', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout) as { findings: Report['findings']; warmupFindings?: Report['findings'] };
  return [...report.findings, ...(report.warmupFindings ?? [])].filter((f) => f.severity !== 'info').map((f) => f.code);
}

describe('gradlab doctor', () => {
  for (const base of [
    ['--activation', 'sigmoid', '--init', 'glorot', '--depth', '8', '--width', '32', '--batch', '32'],
    ['--bias', '-1', '--depth', '5', '--steps', '20', '--lr', '0.01', '--width', '32', '--batch', '32'],
    ['--init', 'zeros', '--activation', 'tanh', '--width', '16', '--batch', '16', '--depth', '4'],
  ]) {
    it(
      `${base.join(' ')}: every fix marked cleared really clears when re-run with gradlab probe`,
      async () => {
        const r = await gradlab(['doctor', ...base, '--json']);
        expect(r.code, r.stderr).toBe(0);
        const report = JSON.parse(r.stdout) as Report;
        expect(Object.keys(report)).toEqual(['findings', 'fixes']);
        expect(report.fixes.length).toBeGreaterThan(0);
        const cleared = report.fixes.filter((f) => f.cleared);
        expect(cleared.length).toBeGreaterThan(0);
        for (const fix of report.fixes) {
          expect(typeof fix.cleared).toBe('boolean');
          expect(fix.change).toMatch(/^--/);
          // Never a change to what the setting already has.
          const m = flagMap(base);
          for (const [flag, v] of flagMap(fix.change.split(' '))) expect(m.get(flag), fix.change).not.toBe(v);
        }
        for (const fix of cleared) {
          const args = flagMap(base);
          for (const [flag, v] of flagMap(fix.change.split(' '))) args.set(flag, v);
          expect(await probeCodes(flat(args)), `${fix.change} should clear ${fix.finding.code}`).not.toContain(
            fix.finding.code,
          );
        }
        // And each uncleared one really does not.
        for (const fix of report.fixes.filter((f) => !f.cleared).slice(0, 2)) {
          const args = flagMap(base);
          for (const [flag, v] of flagMap(fix.change.split(' '))) args.set(flag, v);
          expect(await probeCodes(flat(args))).toContain(fix.finding.code);
        }
      },
      4 * TIMEOUT,
    );
  }

  it(
    'on a spec file: tries spec changes and prints before → after',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gradlab-doctor-'));
      const spec = join(dir, 'diverging.json');
      writeFileSync(
        spec,
        JSON.stringify({
          seed: 1,
          data: ['moons', { samples: 128, noise: 0.1 }],
          model: {
            layers: [
              { type: 'dense', units: 16, activation: 'relu', initializer: 'he' },
              { type: 'dense', units: 16, activation: 'relu', initializer: 'he' },
              { type: 'dense', units: 16, activation: 'relu', initializer: 'he' },
              { type: 'dense', units: 1, initializer: 'glorot' },
            ],
          },
          train: { loss: 'bce', optimizer: ['sgd', { lr: 3 }], batchSize: 32, steps: 150, testFraction: 0 },
        }),
      );
      const json = await gradlab(['doctor', spec, '--json']);
      expect(json.code, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout) as Report;
      expect(report.findings.map((f) => f.code)).toContain('LOSS_DIVERGING');
      expect(
        report.fixes.find((f) => f.finding.code === 'LOSS_DIVERGING' && f.change === 'train: lr 0.3'),
      ).toMatchObject({
        cleared: true,
      });
      expect(report.fixes.some((f) => f.change === "train: clipping ['global-norm']")).toBe(true);
      const text = await gradlab(['doctor', spec]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/Fixes tried \(\d+\)/);
      expect(text.stdout).toMatch(/cleared\s+train: lr 0\.3: loss\/first/);
      const mixed = await gradlab(['doctor', spec, '--depth', '3']);
      expect(mixed.code).toBe(2);
      expect(mixed.stderr).toContain('--depth sets the canonical probe setup');
    },
    4 * TIMEOUT,
  );

  it(
    'a healthy setting has nothing to fix',
    async () => {
      const r = await gradlab([
        'doctor',
        '--depth',
        '4',
        '--width',
        '16',
        '--batch',
        '16',
        '--activation',
        'leaky-relu',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('nothing to fix');
    },
    TIMEOUT,
  );
});
