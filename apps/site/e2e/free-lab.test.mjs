// The free lab (/lab/) in Chromium: every control in the URL, a foreign URL validated with a notice,
// controls that do not apply (α with ReLU) disabled and left out of the job and the command, numbers
// equal to Node bit for bit, reset, and a training run with clipping, a regularizer and residual
// connections in the worker.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createJobs } from '../src/lab/jobs.ts';
import { createSiteRegistry } from '../src/lab/registry.ts';
import { primaryNumbers } from '../src/lab/views.ts';
import { ready, sameBits, start } from './harness.mjs';

const jobs = createJobs(createSiteRegistry());
const NET = { activation: 'relu', initializer: 'he', gain: 1, depth: 10, width: 64, batch: 64, seed: 0, biasInit: 0 };
const INIT = { initMode: 'fan-in', initDistribution: 'normal', initStd: 1, initMean: 0, initLimit: 1, initValue: 0 };
const PROBE_KEYS = [...Object.keys(NET), ...Object.keys(INIT), 'alpha', 'optimizer', 'lr', 'steps'];

/** The next result of widget `id` after run `runId` (run ids are shared by every widget of the page). */
async function nextResult(page, id, runId) {
  await page.waitForFunction(
    ([w, r]) => {
      const el = document.querySelector(`lab-widget[data-widget="${w}"]`);
      return el.dataset.state === 'ready' && Number(el.dataset.runId) > r;
    },
    [id, runId],
    { timeout: 60_000 },
  );
  return ready(page, id);
}

let lab;
before(async () => {
  lab = await start();
});
after(() => lab?.stop());

test('lab: foreign URL validated with a notice; α applies only with an alpha option; every control in the URL; reset', async () => {
  const { page, problems, close } = await lab.open(
    '/lab/?probe.activation=leaky-relu&probe.alpha=0.2&probe.depth=99&probe.width=16&probe.initializer=bogus',
  );
  const first = await ready(page, 'probe');
  const notice = await page.$eval('lab-widget[data-widget="probe"] .notice', (el) => el.textContent);
  assert.match(notice, /probe\.depth=99 is outside 1–30/);
  assert.match(notice, /probe\.initializer="bogus" is not one of/);
  const leaky = {
    ...NET,
    activation: 'leaky-relu',
    alpha: 0.2,
    depth: 30,
    width: 16,
    optimizer: 'sgd',
    lr: 0.001,
    steps: 0,
  };
  sameBits(first.result, primaryNumbers(jobs.probe(leaky)));
  assert.equal(await page.$eval('#probe-alpha', (el) => el.disabled), false);
  assert.match(await page.$eval('lab-widget[data-widget="probe"] .command', (el) => el.textContent), /--alpha 0\.2/);

  await page.selectOption('#probe-activation', 'relu');
  const second = await nextResult(page, 'probe', first.runId);
  assert.equal(await page.$eval('#probe-alpha', (el) => el.disabled), true);
  const { alpha: _alpha, ...relu } = { ...leaky, activation: 'relu' };
  sameBits(second.result, primaryNumbers(jobs.probe(relu)));
  assert.doesNotMatch(await page.$eval('lab-widget[data-widget="probe"] .command', (el) => el.textContent), /--alpha/);
  const url = new URL(page.url()).searchParams;
  for (const k of PROBE_KEYS) assert.ok(url.has(`probe.${k}`), `probe.${k} is in the URL`);
  assert.equal(url.get('probe.alpha'), '0.2', 'a control that does not apply keeps its value in the URL');

  await page.click('lab-widget[data-widget="probe"] button.reset');
  await nextResult(page, 'probe', second.runId);
  assert.ok(![...new URL(page.url()).searchParams.keys()].some((k) => k.startsWith('probe.')));
  assert.equal(await page.$eval('#probe-depth', (el) => el.value), '10');
  assert.deepEqual(problems, []);
  await close();
});

test('lab: a training run with value clipping, L2 and residual connections equals Node', async () => {
  const setting = {
    ...NET,
    ...INIT,
    depth: 4,
    width: 16,
    optimizer: 'sgd',
    lr: 0.1,
    trainSteps: 30,
    clip: 'value',
    clipThreshold: 0.1,
    reg: 'l2',
    lambda: 0.001,
    norm: 'none',
    residual: 'on',
  };
  const q = new URLSearchParams(Object.entries(setting).map(([k, v]) => [`train.${k}`, String(v)]));
  const { page, problems, close } = await lab.open(`/lab/?${q}`);
  const { result } = await ready(page, 'train');
  sameBits(result, primaryNumbers(jobs.train(setting).finish()));
  assert.equal(
    await page.$eval('lab-widget[data-widget="train"] .command', (el) => el.textContent),
    'gradlab run train.spec.json',
  );
  assert.deepEqual(problems, []);
  await close();
});
