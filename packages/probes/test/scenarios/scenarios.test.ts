/**
 * The labelled scenario suite (issue 7): every scenario's label must match the independent
 * measurements of `measure.ts`, and the findings must match the label: no warn/error finding
 * outside the label (false alarm), none missing from it (miss). Prints the confusion matrix and
 * precision/recall; `pnpm scenarios` runs only this file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { registry } from '../helpers.ts';
import { SCENARIOS } from './catalog.ts';
import { FAMILIES, type Family, type InfoFamily } from './measure.ts';
import { familyOf, runScenario, type ScenarioResult } from './run.ts';

const INFO: readonly InfoFamily[] = ['inactive-at-init', 'norm-jump'];
const results: ScenarioResult[] = [];
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('labelled scenarios', () => {
  it('has at least 40 scenarios covering every family', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(40);
    const covered = new Set(SCENARIOS.flatMap((s) => [...s.labels, ...(s.info ?? [])]));
    for (const f of [...FAMILIES, ...INFO]) expect(covered.has(f), f).toBe(true);
    expect(SCENARIOS.filter((s) => s.labels.length === 0).length).toBeGreaterThanOrEqual(12);
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
  });

  for (const s of SCENARIOS) {
    it(s.name, () => {
      const r = runScenario(s, registry);
      results.push(r);
      // 1. The label is what the measurements say.
      expect(sorted(r.measured.families), `measured labels (${JSON.stringify(r.measured.numbers)})`).toEqual(
        sorted(s.labels),
      );
      expect(sorted(r.measured.info), 'measured info').toEqual(sorted(s.info ?? []));
      // 2. The findings say the same: no false alarm, no miss (warn/error), info as labelled.
      const serious = new Set(r.findings.filter((f) => f.severity !== 'info').map(familyOf));
      const info = new Set(r.findings.filter((f) => f.severity === 'info').map(familyOf));
      expect(sorted(serious), 'warn/error findings').toEqual(sorted(s.labels));
      expect(sorted(info), 'info findings').toEqual(sorted(s.info ?? []));
    });
  }

  afterAll(() => {
    if (results.length === 0) return;
    const columns: (Family | InfoFamily | 'healthy')[] = ['healthy', ...FAMILIES, ...INFO];
    const rows: (Family | InfoFamily)[] = [...FAMILIES, ...INFO];
    const labelsOf = (r: ScenarioResult) => {
      const l = [...r.scenario.labels, ...(r.scenario.info ?? [])];
      return r.scenario.labels.length === 0 ? ['healthy', ...l] : l;
    };
    const found = (r: ScenarioResult) => new Set(r.findings.map(familyOf));
    const count = (row: string, column: string) =>
      results.filter((r) => found(r).has(row as Family) && labelsOf(r).includes(column)).length;
    const width = Math.max(...rows.map((x) => x.length)) + 2;
    const cell = (x: string | number) => String(x).padStart(Math.max(String(x).length, 4) + 1);
    const lines = [
      `Confusion matrix: finding family (rows) × scenario label (columns), ${results.length} scenarios`,
      `${''.padEnd(width)}${columns.map((c) => cell(c)).join('')}`,
      ...rows.map(
        (row) => `${row.padEnd(width)}${columns.map((c) => cell(count(row, c)).padStart(cell(c).length)).join('')}`,
      ),
      `${'(scenarios)'.padEnd(width)}${columns
        .map((c) => cell(results.filter((r) => labelsOf(r).includes(c)).length).padStart(cell(c).length))
        .join('')}`,
      '',
      'Per family (warn/error findings vs labels): TP FP FN precision recall',
    ];
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const f of [...FAMILIES, ...INFO]) {
      const hit = results.filter((r) => found(r).has(f));
      const labelled = results.filter((r) => labelsOf(r).includes(f));
      const t = hit.filter((r) => labelsOf(r).includes(f)).length;
      const p = hit.length - t;
      const n = labelled.length - t;
      if ((FAMILIES as readonly string[]).includes(f)) {
        tp += t;
        fp += p;
        fn += n;
      }
      const pr = hit.length ? (t / hit.length).toFixed(3) : '–';
      const rc = labelled.length ? (t / labelled.length).toFixed(3) : '–';
      lines.push(`  ${f.padEnd(width)}${cell(t)}${cell(p)}${cell(n)}  ${pr.padStart(6)} ${rc.padStart(6)}`);
    }
    lines.push(
      `  ${'all warn/error'.padEnd(width)}${cell(tp)}${cell(fp)}${cell(fn)}  ${(tp / (tp + fp)).toFixed(3).padStart(6)} ${(tp / (tp + fn)).toFixed(3).padStart(6)}`,
    );
    console.log(lines.join('\n'));
  });
});
