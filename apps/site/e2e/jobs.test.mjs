// The histogram and training jobs in Chromium against Node, bit for bit; view-only controls; a training
// run streams progress, pauses, resumes and cancels, and the divergent preset is stopped by the sentinel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { doctorJob } from '../src/lab/doctor-job.ts';
import { gradcheck } from '../src/lab/gradcheck-job.ts';
import { createJobs } from '../src/lab/jobs.ts';
import { createSiteRegistry } from '../src/lab/registry.ts';
import { rnnTime } from '../src/lab/rnn-job.ts';
import { primaryNumbers } from '../src/lab/views.ts';
import { ready, sameBits, start } from './harness.mjs';

const registry = createSiteRegistry();
const jobs = createJobs(registry);
const SAT = { activation: 'tanh', initializer: 'glorot', depth: 10, width: 64, batch: 64, seed: 0, gain: 3, layer: 1 };
const TRAIN_BASE = { activation: 'relu', initializer: 'he', depth: 10, width: 64, batch: 64, seed: 0, gain: 1 };
const TRAIN = {
  activation: 'relu',
  initializer: 'he',
  depth: 10,
  width: 64,
  batch: 64,
  seed: 0,
  gain: 1,
  optimizer: 'sgd',
  lr: 0.1,
  clip: 'none',
  norm: 'none',
  trainSteps: 100,
};

let lab;
before(async () => {
  lab = await start();
});
after(() => lab?.stop());

describe('jobs in the worker', { concurrency: 2 }, () => {
  test('histogram job: counts and saturation equal Node; the layer control redraws without recomputing', async () => {
    const { page, problems, close } = await lab.open('/1-saturation/');
    const first = await ready(page, 'sat');
    sameBits(first.result, primaryNumbers(jobs.histogram(SAT)));
    await page.fill('#sat-layer', '5');
    await page.waitForFunction(() =>
      document.querySelector('lab-widget[data-widget="sat"] .summary')?.textContent.startsWith('Hidden layer 5'),
    );
    assert.equal(
      await page.$eval('lab-widget[data-widget="sat"]', (el) => el.dataset.runId),
      String(first.runId),
      'no new run',
    );
    assert.equal(new URL(page.url()).searchParams.get('sat.layer'), '5');
    await page.selectOption('#sat-activation', 'sigmoid');
    const second = await ready(page, 'sat', first.runId + 1);
    sameBits(second.result, primaryNumbers(jobs.histogram({ ...SAT, activation: 'sigmoid', layer: 5 })));
    assert.deepEqual(problems, []);
    await close();
  });

  test('training: the divergent preset is stopped by the non-finite sentinel, same step and losses as Node', async () => {
    const { page, problems, close } = await lab.open('/4-relu-can-explode/');
    const node = jobs.train(TRAIN).finish();
    // Before any run in the page, the bar shows the build's run as its status line does: steps done of all.
    const bar = () => page.$eval('lab-widget[data-widget="train"] progress', (el) => [el.value, el.max]);
    assert.deepEqual(await bar(), [node.loss.length, node.totalSteps]);
    await page.click('lab-widget[data-widget="train"] button.run');
    const { result } = await ready(page, 'train');
    assert.deepEqual(await bar(), [node.loss.length, node.totalSteps]);
    assert.ok(node.stopped, 'the preset diverges in Node');
    sameBits(result, primaryNumbers(node));
    assert.match(
      await page.locator('lab-widget[data-widget="train"] .train-status').textContent(),
      /non-finite sentinel at step \d+/,
    );
    assert.deepEqual(problems, []);
    await close();
  });

  test('update/weight ratio view (page 7): Adam on a 20-layer sigmoid net, per-layer ratios equal Node bit for bit', async () => {
    const { page, problems, close } = await lab.open('/7-learning-rate-and-optimizers/');
    const { result } = await ready(page, 'floor');
    const floor = {
      ...TRAIN,
      activation: 'sigmoid',
      initializer: 'glorot',
      depth: 20,
      biasInit: 0,
      steps: 0,
      optimizer: 'adam',
      lr: 0.001,
    };
    const node = jobs.probe(floor);
    assert.ok(node.updateRatio[0] < 1e-6, 'the first layer is below the ε floor');
    sameBits(result, primaryNumbers(node));
    assert.match(
      await page.locator('lab-widget[data-widget="floor"] .summary').first().textContent(),
      /update\/weight ratio/,
    );
    assert.deepEqual(problems, []);
    await close();
  });

  test('initializer options (page 6): He fan-out from a link runs in the worker, equals Node, and the command says --init he:mode=fan-out', async () => {
    const { page, problems, close } = await lab.open('/6-initialization/?lab.initMode=fan-out#lab-initMode');
    const { result } = await ready(page, 'lab');
    const setting = {
      activation: 'relu',
      depth: 10,
      width: 64,
      batch: 64,
      seed: 0,
      gain: 1,
      initializer: 'he',
      initMode: 'fan-out',
      initDistribution: 'normal',
      initStd: 0.01,
      initValue: 0,
    };
    const node = jobs.probe(setting);
    const plain = jobs.probe({ ...setting, initMode: 'fan-in' });
    assert.notEqual(node.deltaNorm[0], plain.deltaNorm[0], 'fan-out changes the output layer, so every ‖δ‖');
    sameBits(result, primaryNumbers(node));
    assert.match(
      await page.locator('lab-widget[data-widget="lab"] .command').textContent(),
      /--init he:mode=fan-out:distribution=normal /,
    );
    assert.match(
      await page.locator('lab-widget[data-widget="lab"] .summary').first().textContent(),
      /pre-activations z/,
    );
    assert.deepEqual(problems, []);
    await close();
  });

  test('two-phase training (page 5, kill then revive): the switch to leaky ReLU equals Node bit for bit', async () => {
    const { page, problems, close } = await lab.open('/5-dead-relu/');
    await page.click('lab-widget[data-widget="revive"] button.run');
    const { result } = await ready(page, 'revive');
    const node = jobs
      .train({
        ...TRAIN,
        biasInit: 0,
        optimizer: 'adam',
        lr: 0.03,
        reviveAt: 20,
        reviveActivation: 'leaky-relu',
        alpha: 0.2,
        reviveLr: 0.001,
      })
      .finish();
    assert.equal(node.phases?.switchStep, 20);
    sameBits(result, primaryNumbers(node));
    // Reproducible from a terminal: phase 1 writes its model, phase 2 starts from it (test/reproduce-cli.test.ts
    // runs these commands with the CLI and gets these losses bit for bit); both specs are offered.
    const w = page.locator('lab-widget[data-widget="revive"]');
    assert.equal(
      await w.locator('.command').textContent(),
      'gradlab run revive.spec.json --out runs/revive && gradlab run revive-phase2.spec.json --weights runs/revive/model.json',
    );
    assert.equal(await w.locator('a.spec2').isVisible(), true);
    await w.locator('a.spec2').focus();
    const spec2 = await page.evaluate(async () => {
      const a = document.querySelector('lab-widget[data-widget="revive"] a.spec2');
      return (await fetch(a.href)).json();
    });
    assert.deepEqual(spec2, JSON.parse(JSON.stringify(node.phases.spec2)));
    assert.deepEqual(problems, []);
    await close();
  });

  test('training: a fix link runs on load, streams progress, pauses, resumes and equals Node', async () => {
    const { page, problems, close } = await lab.open(
      '/4-relu-can-explode/?train.lr=0.01&train.trainSteps=300#train-lr',
    );
    await page.waitForFunction(() => performance.getEntriesByName('lab:progress').length >= 1, undefined, {
      timeout: 60_000,
    });
    // Start the run again and pause it in the same task: 300 steps of this net take ~0.1 s on a quiet
    // machine, so a pause clicked after a progress message could find the run finished (a finished run
    // ignores pause, and the test waited in vain). The worker gets "run" then "pause", in that order.
    await page.$eval('lab-widget[data-widget="train"]', (w) => {
      w.querySelector('button.run').click();
      w.querySelector('button.pause').click();
    });
    await page.waitForSelector('lab-widget[data-widget="train"][data-state="paused"]');
    // The new run's first slice (after its chunk loads) still reports once; then it waits.
    await page.waitForFunction(() => {
      const ids = performance.getEntriesByType('mark').map((m) => Number(/^lab:change#(\d+)$/.exec(m.name)?.[1] ?? 0));
      const last = Math.max(...ids);
      return performance.getEntriesByName('lab:progress').some((e) => e.detail.id === last);
    });
    await page.waitForTimeout(150);
    const before = await page.evaluate(() => performance.getEntriesByName('lab:progress').length);
    await page.waitForTimeout(400);
    assert.equal(
      await page.evaluate(() => performance.getEntriesByName('lab:progress').length),
      before,
      'no progress while paused',
    );
    await page.click('lab-widget[data-widget="train"] button.pause');
    const { result } = await ready(page, 'train');
    const node = jobs.train({ ...TRAIN, lr: 0.01, trainSteps: 300 }).finish();
    assert.equal(node.stopped, null);
    sameBits(result, primaryNumbers(node));
    const marks = await page.evaluate(() => performance.getEntriesByName('lab:progress').length);
    assert.ok(marks >= 2, `${marks} progress messages`);
    assert.deepEqual(problems, []);
    await close();
  });

  test('myths: eight claims, eight verdicts; the clip job equals Node', async () => {
    const { page, problems, close } = await lab.open('/myths/');
    assert.equal(await page.locator('.verdict').count(), 8);
    assert.equal(await page.locator('lab-widget').count(), 8);
    const clip = await ready(page, 'm8');
    sameBits(
      clip.result,
      primaryNumbers(
        jobs.clip({ width: 64, batch: 64, seed: 0, gain: 1, activation: 'relu', initializer: 'he', depth: 10 }),
      ),
    );
    await page.selectOption('#m8-activation', 'tanh');
    const tanh = await ready(page, 'm8', clip.runId + 1);
    sameBits(
      tanh.result,
      primaryNumbers(
        jobs.clip({ width: 64, batch: 64, seed: 0, gain: 1, activation: 'tanh', initializer: 'he', depth: 10 }),
      ),
    );
    assert.deepEqual(problems, []);
    await close();
  });

  test('clipping page: the four-rule clip job and a clipped run (rate, pre-clip norms) equal Node', async () => {
    const { page, problems, close } = await lab.open('/8-gradient-clipping/?clip.clip=value&clip.clipThreshold=1');
    const dir = await ready(page, 'dir');
    sameBits(dir.result, primaryNumbers(jobs.clip({ ...TRAIN_BASE })));
    const { result } = await ready(page, 'clip');
    const node = jobs.train({ ...TRAIN, clip: 'value', clipThreshold: 1 }).finish();
    assert.equal(node.stopped, null);
    sameBits(result, primaryNumbers(node));
    assert.match(
      await page.locator('lab-widget[data-widget="clip"] .summary').nth(2).textContent(),
      /pre-clip gradient norm/,
    );
    assert.deepEqual(problems, []);
    await close();
  });

  test('normalization page: residual, batch-norm scale and eval-mode runs (per-layer ‖δ‖, ‖∂L/∂W‖, eval loss) equal Node', async () => {
    const { page, problems, close } = await lab.open(
      '/10-normalization-and-residuals/?deep.residual=on&scale.gain=2&modes.batch=16#deep-residual',
    );
    const DEEP = { activation: 'tanh', initializer: 'lecun', gain: 0.25, depth: 30, width: 64, batch: 64, seed: 0 };
    const BN = { activation: 'relu', initializer: 'he', gain: 1, depth: 10, width: 64, batch: 64, seed: 0 };
    const common = { optimizer: 'sgd', lr: 0.01, clip: 'none', trainSteps: 100 };
    const deep = await ready(page, 'deep');
    sameBits(deep.result, primaryNumbers(jobs.train({ ...DEEP, ...common, norm: 'none', residual: 'on' }).finish()));
    const scale = await ready(page, 'scale');
    const node = jobs
      .train({ ...BN, ...common, norm: 'batchnorm', residual: 'off', evalLoss: 'on', trainSteps: 1, gain: 2 })
      .finish();
    sameBits(scale.result, primaryNumbers(node));
    const modes = await ready(page, 'modes');
    const bn = jobs.train({ ...BN, ...common, norm: 'batchnorm', residual: 'off', evalLoss: 'on', batch: 16 }).finish();
    assert.equal(bn.bnEvalLoss.length, 100);
    sameBits(modes.result, primaryNumbers(bn));
    assert.deepEqual(problems, []);
    await close();
  });

  test('rnn-time job (page 11): ‖∂L/∂h_t‖ per time step equals Node; a link sets ρ and recomputes', async () => {
    const RNN = {
      activation: 'linear',
      recurrent: 'orthogonal',
      rho: 1,
      inputStd: 0.1,
      timeSteps: 50,
      truncate: 100,
      units: 32,
      batch: 32,
      seed: 0,
    };
    const { page, problems, close } = await lab.open('/11-recurrent-networks/');
    const first = await ready(page, 'time');
    sameBits(first.result, primaryNumbers(rnnTime(registry, RNN)));
    await page.selectOption('#time-activation', 'tanh');
    const tanh = await ready(page, 'time', first.runId + 1);
    sameBits(tanh.result, primaryNumbers(rnnTime(registry, { ...RNN, activation: 'tanh' })));
    await page.goto(new URL('/11-recurrent-networks/?time.rho=1.5&time.truncate=20#time-truncate', page.url()).href);
    const cut = await ready(page, 'time');
    sameBits(cut.result, primaryNumbers(rnnTime(registry, { ...RNN, rho: 1.5, truncate: 20 })));
    assert.match(
      await page.locator('lab-widget[data-widget="time"] .summary').textContent(),
      /steps 1–30 get no gradient/,
    );
    assert.deepEqual(problems, []);
    await close();
  });

  test('training a recurrent net (page 11, the adding task): losses, time ratios and the final loss equal Node', async () => {
    const { page, problems, close } = await lab.open(
      '/11-recurrent-networks/?adding.timeSteps=10&adding.trainSteps=30#adding-timeSteps',
    );
    const { result } = await ready(page, 'adding');
    const ADDING = { task: 'adding', optimizer: 'adam', lr: 0.01, clip: 'global-norm', clipThreshold: 1, seed: 0 };
    const node = jobs.train({ ...ADDING, timeSteps: 10, trainSteps: 30 }).finish();
    assert.equal(node.timeRatio.length, 30);
    sameBits(result, primaryNumbers(node));
    assert.deepEqual(problems, []);
    await close();
  });

  test('page 12 jobs: gradient check and doctor equal Node; a fix link re-runs doctor', async () => {
    const { page, problems, close } = await lab.open('/12-debugging-toolkit/');
    const NET = {
      activation: 'tanh',
      initializer: 'glorot',
      depth: 10,
      width: 32,
      batch: 32,
      seed: 0,
      gain: 1,
      h: 0.00001,
      precision: 'float64',
    };
    sameBits((await ready(page, 'gc')).result, primaryNumbers(gradcheck(registry, NET)));
    // The reproduce line is `gradlab gradcheck` with the widget's flags (reproduce-cli.test.ts runs it).
    assert.equal(
      await page.locator('lab-widget[data-widget="gc"] .command').textContent(),
      'gradlab gradcheck --activation tanh --init glorot --depth 10 --width 32 --batch 32 --seed 0 --gain 1 --h 0.00001 --precision float64',
    );
    const BROKEN = {
      activation: 'sigmoid',
      initializer: 'glorot',
      depth: 10,
      width: 64,
      batch: 64,
      seed: 0,
      gain: 1,
      biasInit: 0,
    };
    const before = await ready(page, 'doctor');
    sameBits(before.result, primaryNumbers(doctorJob(registry, BROKEN)));
    assert.match(await page.locator('lab-widget[data-widget="doctor"] .summary').textContent(), /VANISHING_GRADIENTS/);
    // The link is a page load with the fix in the URL: doctor runs again on the fixed network.
    await Promise.all([
      page.waitForURL(/doctor\.activation=relu/),
      page.click('a[href="?doctor.activation=relu&doctor.initializer=he#doctor-activation"]'),
    ]);
    const after = await ready(page, 'doctor');
    sameBits(after.result, primaryNumbers(doctorJob(registry, { ...BROKEN, activation: 'relu', initializer: 'he' })));
    assert.doesNotMatch(
      await page.locator('lab-widget[data-widget="doctor"] .summary').textContent(),
      /VANISHING_GRADIENTS/,
    );
    assert.deepEqual(problems, []);
    await close();
  });

  test('training: cancel stops the run', async () => {
    // 300 steps: with the default 100 a loaded machine finished the run before the click arrived.
    const { page, problems, close } = await lab.open('/4-relu-can-explode/?train.norm=batchnorm&train.trainSteps=300');
    await page.waitForFunction(() => performance.getEntriesByName('lab:progress').length >= 1, undefined, {
      timeout: 60_000,
    });
    await page.click('lab-widget[data-widget="train"] button.cancel');
    await page.waitForSelector('lab-widget[data-widget="train"][data-state="cancelled"]');
    assert.deepEqual(problems, []);
    await close();
  });
});
