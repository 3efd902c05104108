// The playground (/playground/, decision 0046) in Chromium: a run in its own worker equals the same job in
// Node bit for bit (losses, accuracies, the boundary grid, the per-layer dashboard, the findings), the
// canvas is drawn while training, a foreign URL is validated with a notice, layers past the depth are
// greyed out and not sent, pause/resume, the reproduce command, keyboard use of a control.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPlayground } from '../src/lab/playground-job.ts';
import { createSiteRegistry } from '../src/lab/registry.ts';
import { primaryNumbers } from '../src/lab/views.ts';
import { ready, sameBits, start } from './harness.mjs';

const registry = createSiteRegistry();
const PRESET = {
  data: 'spirals',
  samples: 200,
  noise: 0,
  depth: 4,
  width: 8,
  act1: 'relu',
  act2: 'relu',
  act3: 'relu',
  act4: 'relu',
  act5: 'relu',
  act6: 'relu',
  initializer: 'he',
  gain: 1,
  biasInit: 0,
  optimizer: 'adam',
  lr: 0.03,
  batch: 16,
  trainSteps: 1000,
  seed: 0,
  clip: 'none',
  clipThreshold: 1,
  reg: 'none',
  lambda: 0.0001,
  norm: 'none',
  residual: 'off',
};
/** What the job receives: the activations of layers past the depth are not sent; gain 1 has no initializer option. */
const sent = (s) => {
  const out = { ...s };
  for (let k = s.depth + 1; k <= 6; k++) delete out[`act${k}`];
  return out;
};
const SLOW_SETTING = { trainSteps: 3000, samples: 1000, batch: 64, depth: 6, width: 16 };
const SLOW = new URLSearchParams(Object.entries(SLOW_SETTING).map(([k, v]) => [`play.${k}`, String(v)]));
const widget = (page, sel) => page.$eval(`lab-widget[data-widget="play"] ${sel}`, (el) => el.textContent);

let lab;
before(async () => {
  lab = await start();
});
after(() => lab?.stop());

test('playground: a foreign URL runs at once, equals Node bit for bit, and draws the boundary', async () => {
  const setting = {
    ...PRESET,
    data: 'moons',
    noise: 0.1,
    depth: 3,
    act2: 'tanh',
    act3: 'leaky-relu',
    trainSteps: 300,
    clip: 'global-norm',
    reg: 'l2',
  };
  const q = new URLSearchParams(Object.entries(setting).map(([k, v]) => [`play.${k}`, String(v)]));
  q.set('play.act4', 'bogus');
  const { page, problems, close } = await lab.open(`/playground/?${q}`);
  const { result } = await ready(page, 'play');
  sameBits(result, primaryNumbers(startPlayground(registry, sent({ ...setting, act4: 'relu' })).finish()));
  assert.match(await widget(page, '.notice'), /play\.act4="bogus" is not one of .*; using relu\./);
  assert.equal(await page.$eval('#play-act4', (el) => el.disabled), true, 'layer 4 is past the depth');
  assert.equal(await page.$eval('#play-act3', (el) => el.disabled), false);
  const draws = await page.$eval('lab-widget[data-widget="play"] .chart', (el) => Number(el.dataset.draws));
  assert.ok(draws >= 1, `the boundary canvas was drawn (${draws} draws)`);
  assert.equal(
    await page.$eval('lab-widget[data-widget="play"] .chart', (el) => el.dataset.step),
    '300',
    'the last drawing is of the final step',
  );
  assert.equal(await widget(page, '.command'), 'gradlab run play.spec.json');
  assert.match(await widget(page, '.summary'), /training accuracy \d+\.\d %, test accuracy \d+\.\d %/);
  assert.deepEqual(problems, []);
  await close();
});

test('playground: keyboard, pause and resume; the run after a change equals Node', async () => {
  const { page, problems, close } = await lab.open(`/playground/?${SLOW}`);
  // Keyboard only: focus the data-set select and pick the next option with the arrow key.
  await page.focus('#play-data');
  const lastRun = () =>
    Math.max(
      0,
      ...performance.getEntriesByType('mark').map((m) => Number(m.name.match(/^lab:change#(\d+)$/)?.[1] ?? 0)),
    );
  const before = await page.evaluate(lastRun);
  await page.keyboard.press('ArrowDown');
  // Pause the run the change started, not the one the page opened with: wait for its first progress.
  await page.waitForFunction((b) => performance.getEntriesByName('lab:progress').some((e) => e.detail.id > b), before);
  const data = await page.$eval('#play-data', (el) => el.value);
  assert.equal(data, 'xor');
  assert.equal(new URL(page.url()).searchParams.get('play.data'), 'xor');
  // Pause while it runs (a slow setting: 3000 steps of 64 rows through 6 × 16 units), then resume.
  await page.click('lab-widget[data-widget="play"] button.pause');
  await page.waitForSelector('lab-widget[data-widget="play"][data-state="paused"]');
  // The worker finishes the slice it was in when the pause arrived (≤ 60 ms) and reports it; then it stops.
  await new Promise((ok) => setTimeout(ok, 250));
  const at = await page.$eval('lab-widget[data-widget="play"] progress', (el) => el.value);
  await new Promise((ok) => setTimeout(ok, 400));
  assert.equal(await page.$eval('lab-widget[data-widget="play"] progress', (el) => el.value), at, 'paused');
  assert.ok(at < 3000, `paused at step ${at}`);
  await page.click('lab-widget[data-widget="play"] button.pause');
  const { result } = await ready(page, 'play');
  sameBits(
    result,
    primaryNumbers(startPlayground(registry, sent({ ...PRESET, ...SLOW_SETTING, data: 'xor' })).finish()),
  );
  assert.deepEqual(problems, []);
  await close();
});
