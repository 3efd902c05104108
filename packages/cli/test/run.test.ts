import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, createSession, type ExperimentSpec, loadModel } from '@gradlab/core';
import standard from '@gradlab/preset-standard';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, gradlab, STACK, TIMEOUT } from './helpers.ts';

const fixture = (name: string) => join(FIXTURES, name);
const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-cli-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('gradlab run', { timeout: TIMEOUT }, () => {
  it('trains, prints final metrics and findings, and writes outputs that load', async () => {
    const out = tempDir();
    const r = await gradlab(['run', fixture('xor.json'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Run "xor-relu" completed: 160\/160 steps/);
    expect(r.stdout).toMatch(/train loss [\d.e-]+ · test loss [\d.e-]+ · test accuracy [\d.]+%/);
    expect(r.stdout).toContain('Findings');
    for (const file of ['run.json', 'model.json', 'findings.json', 'history.csv', 'epochs.csv']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const run = readJson(join(out, 'run.json'));
    expect(run.schema).toBe('gradlab/run@1');
    expect(run.status).toBe('completed');
    expect(run.steps).toBe(160);
    expect(run.history.losses).toHaveLength(160);
    expect(run.history.epochs).toHaveLength(20);
    expect(run.findings).toEqual(readJson(join(out, 'findings.json')));
    expect(Object.keys(run.reports).length).toBeGreaterThan(0);
    for (const id of Object.keys(run.reports)) expect(existsSync(join(out, 'probes', `${id}.json`)), id).toBe(true);
    expect(readFileSync(join(out, 'history.csv'), 'utf8').split('\n')[0]).toBe('step,loss');

    const registry = createRegistry().use(standard);
    const { model, spec } = loadModel(readJson(join(out, 'model.json')), { registry });
    expect(spec.name).toBe('xor-relu');
    const x = new Float64Array([0.5, 0.5, -0.5, 0.5]);
    const logits = model.forward(x, 2, false);
    // A trained XOR net puts same-sign points (label 1) above opposite-sign ones (label 0).
    expect(logits[0]).toBeGreaterThan(logits[1]);
  });

  it('prints run.json with --json, and stdout stays pure JSON', async () => {
    const r = await gradlab(['run', fixture('xor.json'), '--json', '--probes', 'none']);
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.status).toBe('completed');
    expect(run.reports).toEqual({});
    expect(run.final.testAccuracy).toBeGreaterThan(0.5);
  });

  it('prints one plain progress line per tenth off a terminal, and nothing with --quiet', async () => {
    const r = await gradlab(['run', fixture('xor.json')]);
    expect(r.stderr).toMatch(/^Training "xor-relu" for 160 steps/);
    expect(r.stderr).toMatch(/step 160\/160 {2}loss [\d.e-]+ {2}[\d.e]+ steps\/s/);
    expect(r.stderr).not.toContain('\r');
    expect((await gradlab(['run', fixture('xor.json'), '--quiet'])).stderr).toBe('');
  });

  it('stops on a non-finite loss with exit code 1, the reason, NAN_DETECTED and every output', async () => {
    const out = tempDir();
    const r = await gradlab(['run', fixture('nan.json'), '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Run "nan" stopped: \d+\/100 steps/);
    expect(r.stdout).toMatch(/Training stopped at step \d+: the loss is (Infinity|NaN)/);
    expect(r.stdout).toContain('NAN_DETECTED');
    const run = readJson(join(out, 'run.json'));
    expect(run).toMatchObject({ status: 'stopped', stopped: { code: 'NonFiniteLoss' } });
    const findings = readJson(join(out, 'findings.json')) as { code: string; severity: string; hint?: string }[];
    expect(findings.map((f) => f.code)).toContain('NAN_DETECTED');
    // Hints speak spec fields for this spec (no CLI flags), and only fixes that change it.
    const nan = findings.find((f) => f.code === 'NAN_DETECTED');
    expect(nan?.hint).toContain('train: lr 0.5');
    expect(nan?.hint).toContain("train: clipping ['global-norm']");
    for (const f of findings) expect(f.hint ?? '').not.toMatch(/--[a-z]/);
  });

  it('trains on a CSV file given with --data', async () => {
    const r = await gradlab(['run', fixture('csv-spec.json'), '--data', fixture('points.csv'), '--json']);
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.data).toMatchObject({ rows: 10, source: expect.stringContaining('points.csv') });
  });

  it('stops cleanly on Ctrl-C (SIGINT) and still writes every output', async () => {
    const out = tempDir();
    const child = spawn(process.execPath, [
      '--conditions=@gradlab/source',
      BIN,
      'run',
      fixture('long.json'),
      '--out',
      out,
    ]);
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('Training')) setTimeout(resolve, 300);
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('Stopping after the current step');
    expect(code).toBe(130);
    expect(stdout).toMatch(/Run "long" interrupted: \d+\/5000000 steps/);
    const run = readJson(join(out, 'run.json'));
    expect(run.status).toBe('interrupted');
    expect(run.steps).toBeGreaterThan(0);
    expect(run.history.losses).toHaveLength(run.steps);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
  });
});

describe('gradlab run --weights: a second phase from an earlier run', { timeout: TIMEOUT }, () => {
  it("continues from the first run's model.json bit for bit as createSession(spec2, { weights }) does", async () => {
    const dir = tempDir();
    const spec1 = readJson(fixture('xor.json')) as ExperimentSpec;
    const spec1Short = { ...spec1, train: { ...spec1.train, epochs: undefined, steps: 30 } };
    // Phase 2: another activation and learning rate, and SGD, from phase 1's weights.
    const spec2 = {
      ...spec1Short,
      model: { ...spec1.model, defaults: { activation: 'leaky-relu', initializer: 'he' } },
      train: { ...spec1Short.train, optimizer: ['sgd', { lr: 0.05 }], steps: 40 },
    } as ExperimentSpec;
    writeFileSync(join(dir, 'p1.json'), JSON.stringify(spec1Short));
    writeFileSync(join(dir, 'p2.json'), JSON.stringify(spec2));
    const one = await gradlab(['run', join(dir, 'p1.json'), '--out', join(dir, 'run1'), '--quiet']);
    expect(one.code).toBe(0);
    const two = await gradlab(['run', join(dir, 'p2.json'), '--weights', join(dir, 'run1'), '--json', '--quiet']);
    expect(two.code, two.stderr).toBe(0);
    const run2 = JSON.parse(two.stdout);
    expect(run2.weights).toBe(join(dir, 'run1'));

    // The same two phases in memory, with no file in between (the site's train job does this).
    const registry = createRegistry().use(standard);
    const first = createSession(spec1Short, { registry });
    while (first.stepCount < first.totalSteps) first.step();
    const second = createSession(spec2, { registry, weights: first.model });
    const losses: number[] = [];
    while (second.stepCount < second.totalSteps) losses.push(second.step().loss);
    expect(run2.history.losses).toEqual(losses);
    // Starting from the weights matters: the same spec from its own initialization gives other losses.
    const fresh = createSession(spec2, { registry });
    expect(fresh.step().loss).not.toBe(losses[0]);
  });
});

describe('gradlab validate', { timeout: TIMEOUT }, () => {
  it('accepts a valid spec', async () => {
    const r = await gradlab(['validate', fixture('xor.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('is a valid experiment spec');
  });

  it('lists every problem with its path and exits 1', async () => {
    const r = await gradlab(['validate', fixture('bad-spec.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 problems');
    expect(r.stdout).toMatch(/model\.layers\[0\]\.activation Unknown activation "rleu"\. Did you mean "relu"/);
    expect(r.stdout).toMatch(/train\.epohcs is not a field of this object\. Did you mean `epochs`\?/);
    const json = JSON.parse((await gradlab(['validate', fixture('bad-spec.json'), '--json'])).stdout);
    expect(json.valid).toBe(false);
    expect(json.issues.map((i: { path: string }) => i.path)).toEqual(['model.layers[0].activation', 'train.epohcs']);
  });

  it('run refuses an invalid spec with every problem and no stack trace', async () => {
    const r = await gradlab(['run', fixture('bad-spec.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ExperimentSpecError: The experiment spec has 2 problems/);
    expect(r.stderr).not.toMatch(STACK);
  });
});
