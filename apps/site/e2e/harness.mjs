// Shared by the browser tests and the budget script: a static server for dist/ on 127.0.0.1:0, Debian's
// Chromium through playwright-core (never a downloaded browser), and pages that record every problem.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@gradlab/chromium';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DIST = join(ROOT, 'dist');
/** Git-ignored: screenshots, axe reports, timings. */
export const OUT = join(ROOT, 'out');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

export function serve() {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(DIST, path));
    if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

export async function start() {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('apps/site/dist is missing: run `pnpm --filter @gradlab/site build` first');
  mkdirSync(OUT, { recursive: true });
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchChromium();
  /** Opens `path`; `problems` collects console errors, page errors, failed, ≥ 400 and off-origin requests. */
  async function open(
    path,
    { width = 1280, height = 900, reducedMotion = 'no-preference', javaScriptEnabled = true } = {},
  ) {
    const context = await browser.newContext({ viewport: { width, height }, reducedMotion, javaScriptEnabled });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
    page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`off-origin: ${u}`);
    });
    await page.goto(`${origin}${path}`);
    const close = () => context.close();
    /** Reuses this page for another path (cheaper than a new context); problems keep accumulating. */
    const go = (next) => page.goto(`${origin}${next}`);
    return { page, problems, close, go };
  }
  async function stop() {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
  return { origin, browser, open, stop };
}

/**
 * Waits until widget `id` has drawn run `runId` (any run when undefined); returns its numbers. The wait is
 * inside the page: one `evaluate` whose promise a MutationObserver on the widget's own attributes resolves,
 * so the page does no work for the test while the worker computes. Playwright's `waitForSelector` polls the
 * page every animation frame instead, which cost the page's main thread and the browser time during the
 * compute on this 2-core machine (decision 0049 has the A/B).
 */
export async function ready(page, id, runId) {
  return page.evaluate(
    ({ id, runId, timeout }) => {
      const el = document.querySelector(`lab-widget[data-widget="${id}"]`);
      // Widgets are server-rendered: after `goto` the element is there (only its upgrade may be pending).
      if (!el) throw new Error(`no widget ${id} on ${location.pathname}`);
      const done = () => el.dataset.state === 'ready' && (runId === undefined || el.dataset.runId === String(runId));
      const numbers = () => ({
        runId: Number(el.dataset.runId),
        result: JSON.parse(el.dataset.result),
        predicted: JSON.parse(el.dataset.predicted ?? 'null'),
      });
      if (done()) return numbers();
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => {
          mo.disconnect();
          fail(
            new Error(
              `widget ${id}: run ${runId ?? '(any)'} not ready after ${timeout} ms (state ${el.dataset.state})`,
            ),
          );
        }, timeout);
        const mo = new MutationObserver(() => {
          if (!done()) return;
          mo.disconnect();
          clearTimeout(timer);
          ok(numbers());
        });
        mo.observe(el, { attributes: true, attributeFilter: ['data-state', 'data-run-id'] });
      });
    },
    { id, runId, timeout: 60_000 },
  );
}

const hex = (xs) => Buffer.from(Float64Array.from(xs, (v) => (v === null ? Number.NaN : v)).buffer).toString('hex');

/** Deep equality where every number must be the same float64 (Object.is), reported with its path. */
export function sameBits(actual, expected, path = '') {
  if (Array.isArray(expected) && expected.every((v) => v === null || typeof v === 'number')) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      throw new Error(`${path}: length ${actual?.length} vs ${expected.length}`);
    for (let i = 0; i < expected.length; i++) {
      if (!Object.is(actual[i], expected[i]))
        throw new Error(`${path}[${i}]: browser ${actual[i]} vs node ${expected[i]}`);
    }
    if (hex(actual) !== hex(expected)) throw new Error(`${path}: bytes differ`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (Object.keys(expected).length === 0) throw new Error(`${path || 'result'}: nothing to compare`);
    for (const k of Object.keys(expected)) sameBits(actual?.[k], expected[k], `${path}.${k}`);
    return;
  }
  if (!Object.is(actual, expected)) throw new Error(`${path}: browser ${actual} vs node ${expected}`);
}

/** Relative closeness for the mean-field prediction (platform Math.exp in its quadrature; see views.ts). */
export function closeTo(actual, expected, rtol = 1e-12) {
  if (expected === null) return assertNull(actual);
  if (actual?.length !== expected.length) throw new Error(`prediction length ${actual?.length} vs ${expected.length}`);
  expected.forEach((e, i) => {
    const a = actual[i];
    if (e === null ? a !== null : Math.abs(a - e) > rtol * Math.abs(e))
      throw new Error(`predicted[${i}]: browser ${a} vs node ${e}`);
  });
}
function assertNull(a) {
  if (a !== null) throw new Error(`expected no prediction, got ${a}`);
}
