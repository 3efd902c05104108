// `node scripts/ready-ab.mjs` (after a build): does the way a script waits for the chart move the figure the
// budget reports? The same 'lab:latency' measure (widget.ts: control change → chart drawn) on page 0's net
// widget, with the two ways of waiting for each result, interleaved in blocks (ABBA order, a fresh page per
// block so every block starts with empty runner caches, distinct gains within a block as in budget.mjs):
// `poll` is Playwright's `waitForSelector` (what the harness used until decision 0049: it polls the page
// every animation frame), `page` is the harness's `ready` (one evaluate awaiting a MutationObserver).
// ROUNDS=n (default 6; each round is one block of each), CHANGES=n per block (default 20).
import { loadavg } from 'node:os';
import { ready, start } from '../e2e/harness.mjs';

const rounds = Number(process.env.ROUNDS ?? 6);
const changes = Number(process.env.CHANGES ?? 20);
const GAINS = Array.from({ length: 45 }, (_, k) => 0.8 + 0.05 * k).filter((g) => Math.abs(g - 1) > 1e-9);
if (!(changes >= 1 && changes <= GAINS.length)) throw new Error(`CHANGES must be 1…${GAINS.length}`);

/** The harness's wait before decision 0049. */
async function pollReady(page, id, runId) {
  await page.waitForSelector(`lab-widget[data-widget="${id}"][data-state="ready"][data-run-id="${runId}"]`, {
    timeout: 60_000,
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1];
const f = (v) => v.toFixed(1);

const lab = await start();
const all = { poll: [], page: [] };
const blocks = { poll: [], page: [] };
const load0 = loadavg();
try {
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 ? ['page', 'poll'] : ['poll', 'page']) {
      const { page, close } = await lab.open('/0-backprop-is-a-product/');
      let { runId } = await ready(page, 'net');
      await page.evaluate(() => performance.clearMeasures('lab:latency'));
      for (let i = 0; i < changes; i++) {
        await page.fill('#net-gain', GAINS[i].toFixed(2));
        runId += 1;
        await (mode === 'poll' ? pollReady(page, 'net', runId) : ready(page, 'net', runId));
      }
      const m = await page.evaluate(() =>
        performance.getEntriesByName('lab:latency').map((e) => ({ total: e.duration, compute: e.detail.computeMs })),
      );
      await close();
      if (m.length !== changes) throw new Error(`${mode}: ${m.length} measures for ${changes} changes`);
      all[mode].push(...m);
      blocks[mode].push(median(m.map((e) => e.total)));
    }
  }
} finally {
  await lab.stop();
}
const load1 = loadavg();
for (const mode of ['poll', 'page']) {
  const m = all[mode];
  console.log(
    `${mode.padEnd(4)}: median ${f(median(m.map((e) => e.total)))} ms, p95 ${f(p95(m.map((e) => e.total)))} ms (worker compute ${f(median(m.map((e) => e.compute)))} ms) over ${m.length} changes; block medians ${blocks[mode].map(f).join(' ')}`,
  );
}
console.log(
  `ratio page/poll of the medians: ${(median(all.page.map((e) => e.total)) / median(all.poll.map((e) => e.total))).toFixed(3)}; load average (1 m) ${load0[0].toFixed(2)} → ${load1[0].toFixed(2)} on 2 cores`,
);
