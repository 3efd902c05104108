// The lab in Chromium against the engine in Node: numbers bit for bit, URL state, reset, notices,
// errors, latest-request-wins, keyboard use, JavaScript off. Widgets of page 0 stand for every widget:
// they all run the same element, client and worker.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { canonicalSpec, runProbe } from '@gradlab/probes';
import { canonicalOptions, createJobs, summarize } from '../src/lab/jobs.ts';
import { createSiteRegistry } from '../src/lab/registry.ts';
import { predictedNumbers, primaryNumbers } from '../src/lab/views.ts';
import { closeTo, ready, sameBits, start } from './harness.mjs';

const registry = createSiteRegistry();
const jobs = createJobs(registry);
const PAGE = '/0-backprop-is-a-product/';
const NET = { activation: 'sigmoid', initializer: 'glorot', depth: 20, width: 64, batch: 64, seed: 0, gain: 1 };
// The reference is plain runProbe (not the site's cached runner), so the browser path is checked
// against the engine as the CLI runs it.
const node = (setting) => {
  const options = canonicalOptions(setting);
  return primaryNumbers(summarize(runProbe(options, { registry }), canonicalSpec(options, { registry })));
};
const query = (s) =>
  Object.entries(s)
    .map(([k, v]) => `net.${k}=${v}`)
    .join('&');

let lab;
before(async () => {
  lab = await start();
});
after(() => lab?.stop());

describe('lab widget (page 0)', { concurrency: 2 }, () => {
  test('loads with build-time KaTeX, self-hosted woff2 fonts, no console errors or off-origin requests; numbers = Node', async () => {
    const { page, problems, close } = await lab.open(PAGE);
    assert.ok((await page.locator('.katex-display').count()) >= 2);
    await page.evaluate(() => document.fonts.ready);
    const fonts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((r) => /KaTeX/.test(r.name))
        .map((r) => new URL(r.name).pathname),
    );
    assert.ok(fonts.length > 0 && fonts.every((f) => f.endsWith('.woff2')), `KaTeX fonts: ${fonts}`);
    const { result } = await ready(page, 'net');
    sameBits(result, node(NET));
    const chain = await ready(page, 'chain');
    sameBits(
      chain.result,
      node({ activation: 'sigmoid', initializer: 'glorot', depth: 12, width: 1, batch: 64, seed: 0 }),
    );
    assert.ok(await page.locator('lab-widget[data-widget="net"] .chart canvas').count(), 'uPlot canvas drawn');
    assert.deepEqual(problems, []);
    await close();
  });

  test('a control change redraws, writes the URL, and the numbers, table and legend agree with Node', async () => {
    const { page, problems, close } = await lab.open(PAGE);
    const { runId } = await ready(page, 'net');
    await page.selectOption('#net-activation', 'relu');
    await page.selectOption('#net-initializer', 'he');
    await page.fill('#net-gain', '1.5');
    await page.fill('#net-depth', '10');
    const setting = { ...NET, activation: 'relu', initializer: 'he', gain: 1.5, depth: 10 };
    const { result, predicted } = await ready(page, 'net', runId + 4);
    sameBits(result, node(setting));
    closeTo(predicted, predictedNumbers(jobs.probe(setting)));
    const q = new URL(page.url()).searchParams;
    assert.deepEqual(
      [q.get('net.activation'), q.get('net.initializer'), q.get('net.gain'), q.get('net.depth')],
      ['relu', 'he', '1.5', '10'],
    );
    const w = page.locator('lab-widget[data-widget="net"]');
    const cells = await w
      .locator('table.numbers tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent));
    const { fmt } = await import('../src/lab/views.ts');
    assert.deepEqual(cells, result.deltaNorm.map(fmt));
    // The redrawn cells (created by widget.ts, not the build) keep the table's padding and alignment.
    const style = await w
      .locator('table.numbers tbody td')
      .first()
      .evaluate((td) => [
        getComputedStyle(td).paddingLeft,
        getComputedStyle(td).textAlign,
        getComputedStyle(td).whiteSpace,
      ]);
    assert.deepEqual(style, ['9.6px', 'right', 'nowrap']);
    assert.deepEqual(await w.locator('.u-legend .u-series').allTextContents(), [
      'measured ‖δ_l‖ = ‖∂L/∂z_l‖',
      'mean-field prediction',
    ]);
    assert.match(
      await w.locator('.summary').textContent(),
      /at the first hidden layer is .* × that at the last hidden layer/,
    );
    assert.equal(
      await w.locator('.command').textContent(),
      'gradlab probe --activation relu --init he --depth 10 --width 64 --batch 64 --seed 0 --gain 1.5',
    );
    // ReLU + He with gain 1.5 over 9 layer steps: the δ ratio is about 1.5^9 ≈ 38 (EXPLAINER §3.4).
    const ratio = result.deltaNorm[0] / result.deltaNorm[9];
    assert.ok(ratio > 10 && ratio < 150, `δ ratio ${ratio}`);
    // Round trip: reloading the written URL restores the same controls and numbers.
    await page.reload();
    const again = await ready(page, 'net');
    sameBits(again.result, node(setting));
    assert.equal(await page.inputValue('#net-gain'), '1.5');
    assert.deepEqual(problems, []);
    await close();
  });

  test('a fast drag (10 changes without waiting) draws only the last state', async () => {
    const { page, problems, close } = await lab.open(PAGE);
    const { runId } = await ready(page, 'net');
    await page.evaluate(() => {
      performance.clearMeasures('lab:latency');
      const gain = document.querySelector('#net-gain');
      for (let i = 1; i <= 10; i++) {
        gain.value = String(0.5 + 0.1 * i);
        gain.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    const { result } = await ready(page, 'net', runId + 10);
    sameBits(result, node({ ...NET, gain: 1.5 }));
    const drawn = await page.evaluate(() =>
      performance
        .getEntriesByName('lab:latency')
        .filter((e) => e.detail.widget === 'net')
        .map((e) => e.detail.id),
    );
    assert.deepEqual(drawn, [runId + 10], 'stale results are never drawn');
    assert.deepEqual(problems, []);
    await close();
  });

  test('URL state is restored; a malformed URL gives a notice, never a crash; reset returns to the preset', async () => {
    const good = { ...NET, depth: 12, activation: 'gelu', initializer: 'lecun', gain: 1.3 };
    const { page, problems, close } = await lab.open(`${PAGE}?${query(good)}`);
    sameBits((await ready(page, 'net')).result, node(good));
    assert.equal(await page.locator('lab-widget[data-widget="net"] .notice').isHidden(), true);
    await page.goto(`${lab.origin}${PAGE}?net.depth=999&net.activation=nope&net.gain=abc&other=kept`);
    const bad = await ready(page, 'net');
    const notice = page.locator('lab-widget[data-widget="net"] .notice');
    assert.equal(await notice.isVisible(), true);
    const text = await notice.textContent();
    assert.match(text, /net\.depth=999 is outside 1–30/);
    assert.match(text, /net\.activation="nope" is not one of/);
    assert.match(text, /net\.gain="abc" is not a number/);
    sameBits(bad.result, node({ ...NET, depth: 30 }));
    await page.click('lab-widget[data-widget="net"] button.reset');
    const reset = await ready(page, 'net', bad.runId + 1);
    sameBits(reset.result, node(NET));
    assert.equal(await page.inputValue('#net-depth'), '20');
    assert.equal(await notice.isHidden(), true);
    const q = new URL(page.url()).searchParams;
    assert.deepEqual([...q.keys()], ['other'], 'reset removes only this widget’s keys');
    assert.deepEqual(problems, []);
    await close();
  });

  test('an engine error is shown as a message, not thrown', async () => {
    // A valid URL whose combination the engine refuses: `normal` has no gain option to scale.
    const { page, problems, close } = await lab.open(`${PAGE}?net.initializer=normal&net.gain=1.5`);
    await page.waitForSelector('lab-widget[data-widget="net"][data-state="error"]');
    assert.match(
      await page.locator('lab-widget[data-widget="net"] .error').textContent(),
      /needs an initializer with a gain option/,
    );
    assert.deepEqual(problems, []);
    await close();
  });

  test('a ‖δ‖ spanning ~25 decades (gain 0.2) draws its log axis: no RangeError, the widget gets ready', async () => {
    const { page, problems, close } = await lab.open(`${PAGE}?net.gain=0.2`);
    const { result } = await ready(page, 'net');
    const d = result.deltaNorm;
    assert.ok(Math.log10(d[d.length - 1] / d[0]) > 20, `the span is ${Math.log10(d[d.length - 1] / d[0])} decades`);
    assert.deepEqual(problems, []);
    await close();
  });

  test('keyboard only: Tab reaches the controls and arrow keys change them', async () => {
    const { page, problems, close } = await lab.open(PAGE);
    const { runId } = await ready(page, 'net');
    await page.focus('#net-depth');
    await page.keyboard.press('ArrowLeft');
    const r1 = await ready(page, 'net', runId + 1);
    sameBits(r1.result, node({ ...NET, depth: 19 }));
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'net-activation');
    // Tabbing through the whole widget never traps focus and reaches reset.
    let reached = false;
    for (let i = 0; i < 8 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() =>
        document.activeElement?.matches('lab-widget[data-widget="net"] button.reset'),
      );
    }
    assert.ok(reached, 'reset button reachable by Tab');
    await page.keyboard.press('Enter');
    sameBits((await ready(page, 'net', runId + 2)).result, node(NET));
    assert.deepEqual(problems, []);
    await close();
  });

  test('with JavaScript off the page shows the build-time figure, table and command', async () => {
    const { page, close } = await lab.open(PAGE, { javaScriptEnabled: false });
    const w = page.locator('lab-widget[data-widget="net"]');
    assert.equal((await w.locator('.static-figure svg path').count()) >= 2, true);
    const { fmt } = await import('../src/lab/views.ts');
    const cells = await w
      .locator('table.numbers tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent));
    assert.deepEqual(cells, node(NET).deltaNorm.map(fmt));
    assert.match(
      await w.locator('.command').textContent(),
      /^gradlab probe --activation sigmoid --init glorot --depth 20/,
    );
    await close();
  });
});
