/**
 * "Reproduce in a terminal" taken literally: the command a widget prints is run by the real CLI
 * (`main` of @gradlab/cli, in-process) on the specs the widget offers for download, and the numbers it
 * prints must equal the widget's bit for bit. The widget's numbers are the Node job's (jobs.test.mjs in
 * e2e checks the browser's data-result against the same job bit for bit).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@gradlab/cli';
import { GRADIENT_CHECK_BANDS } from '@gradlab/probes';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { phase2SpecFile, REPRODUCE_SCOPE, reproduceCommand } from '../src/lab/command.ts';
import { BANDS } from '../src/lab/debug-views.ts';
import { gradcheck } from '../src/lab/gradcheck-job.ts';
import { createJobs } from '../src/lab/jobs.ts';
import { GRADCHECK_CONFIGS } from '../src/quiz/debug-keys.ts';

const TMP = mkdtempSync(join(tmpdir(), 'gradlab-site-repro-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Runs one `gradlab …` command line (split on spaces; the commands have no quoting) in `cwd`. */
async function gradlab(line: string, cwd: string) {
  const words = line.trim().split(/\s+/);
  expect(words[0]).toBe('gradlab');
  let stdout = '';
  let stderr = '';
  const code = await main(words.slice(1), {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { CI: '1' },
    cwd,
  });
  return { code, stdout, stderr };
}

// Page 5's "Kill, then revive" widget (5-dead-relu.mdx: revive('leaky-relu', 0.2, 0.001)).
const net = { activation: 'relu', initializer: 'he', depth: 10, width: 64, batch: 64, seed: 0, gain: 1 };
const revive = {
  ...net,
  biasInit: 0,
  optimizer: 'adam',
  lr: 0.03,
  trainSteps: 100,
  reviveAt: 20,
  reviveActivation: 'leaky-relu',
  alpha: 0.2,
  reviveLr: 0.001,
};

describe('page 10, train against eval mode: the "train loss" gradlab run prints is the widget\'s evalLoss', () => {
  it("bit for bit, and one update later than the chart's last evaluation-mode point", async () => {
    // 10-normalization-and-residuals.mdx: bn() with 100 steps and evaluation between steps.
    const bn = {
      ...net,
      optimizer: 'sgd',
      lr: 0.01,
      clip: 'none',
      norm: 'batchnorm',
      residual: 'off',
      trainSteps: 100,
      evalLoss: 'on',
    };
    const widget = createJobs(buildRegistry).train(bn).finish();
    writeFileSync(join(TMP, 'bn.spec.json'), `${JSON.stringify(widget.spec, null, 2)}\n`);
    expect(reproduceCommand('train', bn, 'bn.spec.json')).toBe('gradlab run bn.spec.json');
    const r = await gradlab('gradlab run bn.spec.json --quiet --json', TMP);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(widget.evalLoss).toBe(run.final.trainLoss);
    expect(widget.evalLoss).not.toBe(widget.bnEvalLoss.at(-1));
    expect(run.history.losses).toEqual(widget.loss);
  });
});

describe('page 5, kill then revive: the two printed commands reproduce both phases', () => {
  it('phase 1 with --out, phase 2 with --weights: the losses equal the widget’s bit for bit', async () => {
    const jobs = createJobs(buildRegistry);
    const widget = jobs.train(revive).finish();
    expect(widget.phases?.switchStep).toBe(20);
    // The downloads, as the widget writes them (LabWidget.astro / widget.ts).
    writeFileSync(join(TMP, 'revive.spec.json'), `${JSON.stringify(widget.spec, null, 2)}\n`);
    writeFileSync(join(TMP, phase2SpecFile('revive.spec.json')), `${JSON.stringify(widget.phases?.spec2, null, 2)}\n`);

    const command = reproduceCommand('train', revive, 'revive.spec.json');
    expect(command).toBe(
      'gradlab run revive.spec.json --out runs/revive && gradlab run revive-phase2.spec.json --weights runs/revive/model.json',
    );
    const [first, second] = command.split('&&');
    const one = await gradlab(`${first} --quiet`, TMP);
    expect(one.code, one.stderr).toBe(0);
    const two = await gradlab(`${second} --quiet --json`, TMP);
    expect(two.code, two.stderr).toBe(0);
    const run1 = JSON.parse(readFileSync(join(TMP, 'runs/revive/run.json'), 'utf8'));
    const run2 = JSON.parse(two.stdout);
    expect(run1.history.losses).toHaveLength(20);
    expect(run2.history.losses).toHaveLength(80);
    expect([...run1.history.losses, ...run2.history.losses]).toEqual(widget.loss);
    // Phase 2 really is leaky ReLU at 0.001 from phase 1's weights (not a fresh draw of the same net).
    expect(JSON.stringify(run2.spec.train.optimizer)).toContain('0.001');
    expect(JSON.stringify(run2.spec.model)).toContain('leaky-relu');
    const fresh = await gradlab(`gradlab run ${phase2SpecFile('revive.spec.json')} --quiet --json`, TMP);
    expect(JSON.parse(fresh.stdout).history.losses[0]).not.toBe(widget.loss[20]);
  });

  it('a one-phase setting keeps the one-command form', () => {
    expect(reproduceCommand('train', { ...revive, reviveAt: 0 }, 'revive.spec.json')).toBe(
      'gradlab run revive.spec.json',
    );
  });
});

// Page 12's gradient-check widget (12-debugging-toolkit.mdx: net(…)) and the settings its prose quotes:
// the quiz's named gradient-check settings hold the page's preset.
const gc = (o = {}) => ({ ...GRADCHECK_CONFIGS['tanh-h-1e-5'], ...o });

describe('page 12, gradient check: gradlab gradcheck prints the widget’s numbers', () => {
  it.each([
    ['the preset (tanh, h = 1e-5)', gc()],
    ['sigmoid at h = 1e-7 (round-off)', gc({ activation: 'sigmoid', h: 1e-7 })],
    ['ReLU with He at h = 0.01 (kinks)', gc({ activation: 'relu', initializer: 'he', h: 0.01 })],
    ['float32 loss values', gc({ precision: 'float32' })],
  ])('%s', async (_name, setting) => {
    const widget = gradcheck(buildRegistry, setting);
    const command = reproduceCommand('gradcheck', setting, 'gc.spec.json');
    expect(command).toMatch(
      /^gradlab gradcheck --activation \S+ --init \S+ --depth 10 .* --h \S+ --precision float(64|32)$/,
    );
    const r = await gradlab(`${command} --json`, TMP);
    expect(r.code, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout);
    expect(cli.h).toBe(widget.h);
    expect(cli.loss).toBe(widget.loss);
    expect(cli.relError).toEqual(widget.relError);
    expect(cli.absError).toEqual(widget.absError);
    expect(cli.gradMagnitude).toEqual(widget.gradMagnitude);
    expect(cli.kinksCrossed).toEqual(widget.kinksCrossed);
    expect(cli.float32).toBe(widget.float32);
  });

  it('the page’s bands are the CLI’s', () => {
    expect(BANDS).toEqual(GRADIENT_CHECK_BANDS);
  });
});

describe('page 8, direction after clipping: the command prints the raw gradient the cosines start from', () => {
  it('gradlab probe’s global ‖∇L‖ is the clip job’s pre-clip norm (two implementations, to 1e-12)', async () => {
    const setting = { ...net };
    const widget = createJobs(buildRegistry).clip(setting);
    const command = reproduceCommand('clip', setting, 'clip.spec.json');
    expect(command).toMatch(/^gradlab probe --activation relu --init he --depth 10 /);
    const r = await gradlab(`${command} --json`, TMP);
    expect(r.code, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout);
    expect(Math.abs(cli.globalGradNorm / widget.preNorm! - 1)).toBeLessThan(1e-12);
    // The note under the command names that number as the one printed.
    expect(REPRODUCE_SCOPE.clip).toContain('global ‖∇L‖');
  });
});

describe('page 1, pre-activation histograms: the command prints the saturation and the std the bins show', () => {
  it('gradlab probe --json gives the histogram job’s saturation and pre-activation std per layer, bit for bit', async () => {
    const setting = { ...net, activation: 'sigmoid', initializer: 'glorot', gain: 2 };
    const widget = createJobs(buildRegistry).histogram(setting);
    const r = await gradlab(`${reproduceCommand('histogram', setting, 'h.spec.json')} --json`, TMP);
    expect(r.code, r.stderr).toBe(0);
    const layers = JSON.parse(r.stdout).layers as { saturation: number | null; preactivationStd: number | null }[];
    expect(layers.map((l) => l.saturation)).toEqual(widget.saturation);
    expect(layers.map((l) => l.preactivationStd)).toEqual(widget.preactivationStd);
    expect(widget.saturation.some((x) => x! > 0)).toBe(true);
    expect(REPRODUCE_SCOPE.histogram).toContain('preactivationStd');
  });
});
