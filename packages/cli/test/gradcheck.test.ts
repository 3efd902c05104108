/**
 * `gradlab gradcheck`: the CLI prints the check of @gradlab/probes (the one page 12's widget runs) for
 * the canonical net its flags name. The check's own claims (a smooth net passes, round-off grows as h
 * shrinks, float32 fails) are tested against their structure in @gradlab/probes and the site.
 */
import { createRegistry } from '@gradlab/core';
import standard from '@gradlab/preset-standard';
import { gradientCheck, gradientCheckSpec } from '@gradlab/probes';
import { describe, expect, it } from 'vitest';
import { gradlab, TIMEOUT } from './helpers.ts';

const registry = () => createRegistry().use(standard);
/** The JSON the CLI prints: non-finite numbers are strings there. */
const asJson = (v: unknown) =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)));

describe('gradlab gradcheck', { timeout: TIMEOUT }, () => {
  it('--json is gradientCheck() of the canonical net the flags name, at the given h and precision', async () => {
    const flags = ['--activation', 'sigmoid', '--init', 'xavier', '--depth', '6', '--width', '16', '--batch', '16'];
    const r = await gradlab(['gradcheck', ...flags, '--h', '1e-7', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout);
    const spec = gradientCheckSpec(
      { activation: 'sigmoid', initializer: 'glorot', depth: 6, width: 16, batch: 16 },
      { registry: registry() },
    );
    const direct = gradientCheck(spec, { registry: registry(), h: 1e-7 });
    const { setup, schema, entriesPerLayer, ...report } = printed;
    expect(report).toEqual(asJson(direct));
    expect([schema, entriesPerLayer]).toEqual(['gradlab/gradcheck@1', 6]);
    expect(setup).toMatchObject({ activation: 'sigmoid', init: 'glorot', depth: 6, h: 1e-7, precision: 'float64' });
    expect(printed.relError).toHaveLength(7);

    const f32 = JSON.parse((await gradlab(['gradcheck', ...flags, '--precision', 'float32', '--json'])).stdout);
    expect(f32.float32).toBe(true);
    expect(f32).toMatchObject(asJson(gradientCheck(spec, { registry: registry(), float32: true })));
  });

  it('prints one row per layer with the CS231n reading, the round-off floor and the worst layer', async () => {
    const r = await gradlab(['gradcheck', '--activation', 'tanh', '--init', 'glorot', '--depth', '3', '--width', '8']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Gradient check: 3 hidden × 8 tanh, initializer glorot, batch 64, seed 0');
    expect(lines[2]).toMatch(/^h = 0\.00001, float64; loss = [\d.]+$/);
    expect(lines[4]).toMatch(
      /^layer\s+units\s+act\s+rel error\s+abs error\s+median \|∂L\/∂W\|\s+kinks\s+reading \(CS231n\)$/,
    );
    const rows = lines.filter((l) => /^\s+\d+\s+\d+\s+(tanh|linear)\s/.test(l));
    expect(rows).toHaveLength(4);
    // A smooth net in float64: every layer below 1e-6, so "good" or the band just above it; no kinks.
    for (const row of rows)
      expect(row).toMatch(/0\/6\s+(good \(< 1e-7\)|fine with kinks, high without \(1e-7 … 1e-4\))$/);
    expect(r.stdout).toMatch(/Round-off floor ε·\|L\|\/h ≈ [\d.e-]+/);
    expect(r.stdout).toMatch(/Worst: layer \d, rel error [\d.e-]+, (good|fine with kinks)/);
  });

  it('ReLU with a large h crosses kinks and the rows say so', async () => {
    const r = await gradlab([
      'gradcheck',
      '--activation',
      'relu',
      '--depth',
      '4',
      '--width',
      '16',
      '--h',
      '0.01',
      '--json',
    ]);
    const report = JSON.parse(r.stdout);
    expect(report.kinksCrossed.some((k: number) => k > 0)).toBe(true);
  });

  it('is listed in gradlab --help, and its help has examples', async () => {
    expect((await gradlab(['--help'])).stdout).toMatch(/^ {2}gradcheck\s+Check the engine's backprop/m);
    const help = (await gradlab(['gradcheck', '--help'])).stdout;
    expect(help).toMatch(/--h X/);
    expect(help).toMatch(/--precision P/);
    expect(help).not.toMatch(/--steps|--lr|--optimizer/);
    expect(help).toMatch(/gradlab gradcheck --activation sigmoid/);
  });
});
