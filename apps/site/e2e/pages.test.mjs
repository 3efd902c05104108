// Every built page in Chromium: loads without console errors, failed or off-origin requests; axe-core finds
// no serious or critical violation at 1280 and 360 px; no sideways scrolling on a phone; screenshots into
// out/screenshots (git-ignored). Story pages get everything; generated reference pages share three
// templates, so each is loaded once and one of each template is audited.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXTRA, PAGES } from '../src/pages.ts';
import { DIST, OUT, start } from './harness.mjs';

const require = createRequire(import.meta.url);
const SHOTS = join(OUT, 'screenshots');

function builtPages(dir = DIST) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === '_astro' ? [] : builtPages(p);
    return name === 'index.html' ? [`/${relative(DIST, dir)}${dir === DIST ? '' : '/'}`] : [];
  });
}

const all = builtPages().sort();
const reference = all.filter((p) => p.startsWith('/reference/'));
const story = all.filter((p) => !p.startsWith('/reference/'));
/** One page per reference template (index, plugin, error, finding). */
const templates = [...new Set(reference.map((p) => p.split('/').slice(0, 3).join('/')))].map((prefix) =>
  reference.find((p) => p.startsWith(prefix)),
);
const audited = [...story, ...templates];

/** Runs `fn` over `items`, `n` at a time (Chromium pages in parallel on a small machine). */
async function pool(items, n, fn) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (queue.length) await fn(queue.shift());
    }),
  );
}

/**
 * Waits until every widget on the page has answered (ready, or an error it shows) and the page's fonts
 * have loaded: leaving earlier aborts the KaTeX font requests, which the next page would report as failed.
 */
const settled = async (page) => {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('lab-widget')].every((w) => ['ready', 'error', 'idle'].includes(w.dataset.state)),
    undefined,
    { timeout: 90_000 },
  );
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
};

let lab;
before(async () => {
  lab = await start();
  mkdirSync(SHOTS, { recursive: true });
});
after(() => lab?.stop());

describe('every page', () => {
  test(`${all.length} pages load without console errors, failed or off-origin requests`, async () => {
    for (const p of [...PAGES, ...EXTRA]) assert.ok(all.includes(p.path), `${p.path} was built`);
    const failures = [];
    // Three tabs, each visiting its share of the pages in turn.
    const queue = [...all];
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        const tab = await lab.open('/');
        while (queue.length) {
          const path = queue.shift();
          tab.problems.length = 0;
          await tab.go(path);
          await settled(tab.page);
          if (tab.problems.length) failures.push({ path, problems: [...tab.problems] });
        }
        await tab.close();
      }),
    );
    assert.deepEqual(failures, []);
  });

  for (const width of [1280, 360]) {
    test(`axe-core: no serious or critical violations at ${width} px; no sideways scrolling; screenshots`, async () => {
      const report = {};
      await pool(audited, 2, async (path) => {
        const { page, close } = await lab.open(path, { width, height: 900 });
        await settled(page);
        // Audit the data tables too.
        await page.$$eval('details', (ds) =>
          ds.forEach((d) => {
            d.open = true;
          }),
        );
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        report[path] = result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
        }));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) report[path].push({ id: 'horizontal-overflow', impact: 'serious', nodes: [`${overflow}px`] });
        await page.evaluate(() => document.fonts.ready);
        const name = path === '/' ? 'index' : path.replace(/^\/|\/$/g, '').replace(/\//g, '_');
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
        await close();
      });
      writeFileSync(join(OUT, `axe-${width}.json`), JSON.stringify(report, null, 2));
      const bad = Object.entries(report).flatMap(([path, vs]) =>
        vs.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ path, ...v })),
      );
      assert.deepEqual(bad, []);
    });
  }

  test('prefers-reduced-motion: nothing animates', async () => {
    const { page, problems, close } = await lab.open(
      story.find((p) => p.startsWith('/4-')),
      { reducedMotion: 'reduce' },
    );
    await settled(page);
    assert.equal(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), true);
    assert.equal(await page.evaluate(() => document.getAnimations().length), 0);
    const transition = await page.$eval('button.reset', (b) => getComputedStyle(b).transitionDuration);
    assert.match(transition, /^0s/);
    assert.deepEqual(problems, []);
    await close();
  });
});
