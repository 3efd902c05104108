// `pnpm budget`: the site's performance budget. Sizes (fail past the limits): JS per page ≤ 60 KB gzip
// excluding the worker; per page, the worker code that page can load (entry + the lazy chunks of its
// job kinds, decision 0043) ≤ 50 KB gzip besides the embedded wasm modules (kernels, statistics), which may add no more than the
// module's size (decision 0027). Timings in Chromium (reported; the machine's load moves
// them): control change → chart drawn for the canonical 20 × 64 probe (median and p95 of N changes, with
// the worker's compute and uPlot's draw), long tasks on the main thread after load, and the gap between
// progress messages of a training run, and the playground's speed: steps per second of a 4 × 8 net on
// spirals and boundary redraws per second while it trains (targets ≥ 200 and ≥ 10, issue 10), with the
// machine's load average beside them. Writes out/budget.json.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { OUT, ready, start } from '../e2e/harness.mjs';
import { kb, LIMITS, measureSizes } from './sizes.mjs';

const N = Number(process.env.BUDGET_CHANGES ?? 30);
// Every change is a setting the page has not computed yet (the preset's gain is 1): no cache of the runner
// (data set, mean-field prediction) may answer for a whole setting, so the figure is a fresh run each time.
// From 0.80 up: below about 0.5 the 20-layer sigmoid's ‖δ‖ spans 20+ decades and uPlot's log-axis splits
// throw (RangeError: Invalid array length), a chart bug of its own, not a latency figure.
const GAINS = Array.from({ length: 45 }, (_, k) => 0.8 + 0.05 * k).filter((g) => Math.abs(g - 1) > 1e-9);
if (!(N >= 1 && N <= GAINS.length)) throw new Error(`BUDGET_CHANGES must be 1…${GAINS.length} (distinct gains)`);
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const ms = (v) => `${v.toFixed(1)} ms`;

const { pages, worker } = measureSizes();
const maxPage = pages.reduce((a, b) => (b.gzip > a.gzip ? b : a));
console.log(
  `JS per page (gzip, excluding the worker): max ${kb(maxPage.gzip)} on ${maxPage.page}; limit ${kb(LIMITS.pageJsGzip)}`,
);
const withWorker = pages.filter((p) => p.worker);
const maxWorker = withWorker.reduce((a, b) => (b.worker.withoutWasm > a.worker.withoutWasm ? b : a), withWorker[0]);
console.log(
  `worker per page (gzip, what the page can load: entry + its jobs' chunks; without the wasm modules): max ${kb(maxWorker.worker.withoutWasm)} on ${maxWorker.page}; limit ${kb(LIMITS.workerGzip)}`,
);
for (const p of pages.filter((x) => x.gzip > 0 && !x.page.startsWith('/reference/')))
  console.log(
    `  ${p.page.padEnd(30)} JS ${kb(p.gzip)}${p.worker ? `; worker ${kb(p.worker.withoutWasm)} + wasm ${kb(p.worker.wasm.gzip)} = ${kb(p.worker.gzip)} (jobs ${p.kinds.join(', ')})` : ''}`,
  );
for (const w of worker) {
  console.log(
    `worker ${w.file}: entry ${kb(w.entry.gzip)} (${kb(w.entry.withoutWasm)} + embedded wasm ${kb(w.wasm.gzip)} (${w.wasm.modules} modules), limit for the wasm: the modules' ${w.wasm.moduleBytes} bytes); every chunk together ${kb(w.gzip)}`,
  );
  for (const [k, j] of Object.entries(w.jobs).filter(([, j]) => j.files.length))
    console.log(`  lazy job ${k.padEnd(12)} +${kb(j.gzip)}`);
}
const sizeFailures = [
  ...pages.filter((p) => p.gzip > LIMITS.pageJsGzip).map((p) => `${p.page}: ${kb(p.gzip)} > ${kb(LIMITS.pageJsGzip)}`),
  ...withWorker
    .filter((p) => p.worker.withoutWasm > LIMITS.workerGzip)
    .map((p) => `${p.page}: worker without the wasm modules ${kb(p.worker.withoutWasm)} > ${kb(LIMITS.workerGzip)}`),
  ...worker
    .filter((w) => w.wasm.gzip > w.wasm.moduleBytes)
    .map((w) => `${w.file}: the wasm modules add ${w.wasm.gzip} bytes gzip > the modules' ${w.wasm.moduleBytes}`),
];

const lab = await start();
try {
  // Latency: N gain changes on page 0's 20 × 64 widget, each after the previous one was drawn.
  const { page, close } = await lab.open('/0-backprop-is-a-product/');
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => window.__longTasks.push(...l.getEntries().map((e) => e.duration))).observe({
      type: 'longtask',
    });
  });
  let { runId } = await ready(page, 'net');
  const cold = await page.evaluate(
    () => performance.getEntriesByName('lab:latency').find((e) => e.detail.widget === 'net')?.duration,
  );
  await page.evaluate(() => performance.clearMeasures('lab:latency'));
  for (let i = 0; i < N; i++) {
    await page.fill('#net-gain', GAINS[i].toFixed(2));
    runId += 1;
    await ready(page, 'net', runId);
  }
  const m = await page.evaluate(() =>
    performance.getEntriesByName('lab:latency').map((e) => ({ total: e.duration, ...e.detail })),
  );
  const longTasks = await page.evaluate(() => window.__longTasks);
  await close();

  // Training progress: gaps between progress messages of a 100-step run (lr 0.01 trains to the end).
  const t = await lab.open('/4-relu-can-explode/?train.lr=0.01');
  await ready(t.page, 'train');
  const gaps = await t.page.evaluate(() => {
    const marks = performance.getEntriesByName('lab:progress').map((e) => e.startTime);
    return marks.slice(1).map((s, i) => s - marks[i]);
  });
  await t.close();

  // The playground (decision 0046): its preset 4 × 8 ReLU net on spirals, 10,000 steps of 16 rows, in its
  // own worker. Steps per second from the first progress message to the last; boundary redraws per second
  // from its first drawing during the run (building the charts comes first) to the last progress message.
  // The widget draws at most once per animation frame, when new progress has arrived.
  const load = loadavg()[0];
  const pg = await lab.open('/playground/?play.trainSteps=10000');
  await pg.page.evaluate(() => {
    window.__draws = [];
    const host = document.querySelector('lab-widget[data-widget="play"] .chart');
    new MutationObserver(() => window.__draws.push(performance.now())).observe(host, {
      attributes: true,
      attributeFilter: ['data-draws'],
    });
  });
  await ready(pg.page, 'play');
  const speed = await pg.page.evaluate(() => {
    const marks = performance.getEntriesByName('lab:progress');
    const first = marks[0];
    const last = marks.at(-1);
    const draws = window.__draws.filter((t) => t <= last.startTime);
    return {
      steps: last.detail.steps - first.detail.steps,
      seconds: (last.startTime - first.startTime) / 1000,
      redraws: draws.length - 1,
      drawSeconds: draws.length > 1 ? (draws.at(-1) - draws[0]) / 1000 : Number.NaN,
    };
  });
  await pg.close();

  const report = {
    sizes: {
      maxPageJsGzip: maxPage.gzip,
      maxPageWorkerGzipWithoutWasm: maxWorker.worker.withoutWasm,
      workerPerPage: Object.fromEntries(withWorker.map((p) => [p.page, p.worker])),
      worker: worker.map(({ forKinds, path, ...w }) => w),
      limits: LIMITS,
    },
    latency: {
      changes: m.length,
      coldFirstDrawMs: cold,
      medianMs: quantile(
        m.map((e) => e.total),
        0.5,
      ),
      p95Ms: quantile(
        m.map((e) => e.total),
        0.95,
      ),
      medianComputeMs: quantile(
        m.map((e) => e.computeMs),
        0.5,
      ),
      medianDrawMs: quantile(
        m.map((e) => e.drawMs),
        0.5,
      ),
    },
    longTasksAfterLoad: { count: longTasks.length, maxMs: Math.max(0, ...longTasks) },
    progressGapMs: {
      messages: gaps.length + 1,
      medianMs: gaps.length ? quantile(gaps, 0.5) : null,
      maxMs: gaps.length ? Math.max(...gaps) : null,
    },
    playground: {
      net: '4 × 8 relu, spirals, batch 16, 10000 steps',
      stepsPerSecond: speed.steps / speed.seconds,
      redrawsPerSecond: speed.redraws / speed.drawSeconds,
      seconds: speed.seconds,
      loadAverage1m: load,
      cores: cpus().length,
    },
  };
  writeFileSync(join(OUT, 'budget.json'), `${JSON.stringify(report, null, 2)}\n`);
  const L = report.latency;
  console.log(
    `control → chart drawn (canonical 20 × 64, batch 64; ${L.changes} changes): median ${ms(L.medianMs)}, p95 ${ms(L.p95Ms)} (worker compute ${ms(L.medianComputeMs)}, draw ${ms(L.medianDrawMs)}); first draw after load ${ms(cold ?? Number.NaN)}; target median ≤ 16 ms`,
  );
  console.log(
    `long tasks (> 50 ms) on the main thread after load: ${longTasks.length}${longTasks.length ? `, longest ${ms(report.longTasksAfterLoad.maxMs)}` : ''}`,
  );
  console.log(
    `training progress: ${report.progressGapMs.messages} messages, gap median ${ms(report.progressGapMs.medianMs ?? Number.NaN)}, max ${ms(report.progressGapMs.maxMs ?? Number.NaN)} (target ≤ 100 ms)`,
  );
  const P = report.playground;
  console.log(
    `playground (${P.net}): ${P.stepsPerSecond.toFixed(0)} steps/s (target ≥ 200), boundary redrawn ${P.redrawsPerSecond.toFixed(1)} times/s (target ≥ 10) over ${P.seconds.toFixed(2)} s; load average ${load.toFixed(2)} on ${P.cores} cores`,
  );
} finally {
  await lab.stop();
}
if (sizeFailures.length) {
  console.error(`\nbudget: over the size limits:\n  ${sizeFailures.join('\n  ')}`);
  process.exit(1);
}
