// The size half of the budget (scripts/budget.mjs reports the timings): JS per page ≤ 60 KB gzip
// without the worker; per page, the worker code it can load (entry + the lazy chunks of the job kinds it
// names, decision 0043) ≤ 50 KB gzip besides the embedded wasm kernels, which add no more than the
// module's size (decision 0027).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobKinds, kb, LIMITS, measureSizes } from '../scripts/sizes.mjs';

/** The lab worker (job loaders by kind); the other one is the playground's (playground-worker.ts). */
const labWorker = (workers) => workers.find((x) => /(^|\/)worker-[\w-]+\.js$/.test(x.file));

test('JS per page ≤ 60 KB gzip; per page the worker ≤ 50 KB gzip besides the wasm kernels, which add ≤ the module', () => {
  const { pages, worker } = measureSizes();
  assert.ok(
    pages.some((p) => p.gzip > 0),
    'widget pages ship JS',
  );
  // The lab worker, and the playground's own lighter one (decision 0046).
  assert.deepEqual(
    worker.map((x) => /^_astro\/(playground-worker|worker)-[\w-]+\.js$/.exec(x.file)?.[1]).sort(),
    ['playground-worker', 'worker'],
    'two workers',
  );
  const over = pages.filter((p) => p.gzip > LIMITS.pageJsGzip).map((p) => `${p.page} ${kb(p.gzip)}`);
  assert.deepEqual(over, []);
  const w = labWorker(worker);
  const play = worker.find((x) => x !== w);
  assert.ok(play.withoutWasm <= LIMITS.workerGzip, `the playground worker: ${kb(play.withoutWasm)}`);
  assert.ok(play.withoutWasm < w.entry.withoutWasm, 'the playground worker is lighter than the lab worker entry');
  assert.ok(w.wasm.moduleBytes > 4000, 'the worker embeds the wasm kernels (found by their magic number)');
  // The probes' wasm statistics are swapped for their JavaScript loops in the workers (same bits,
  // decision 0053): only core's kernels are embedded, in the lab worker and the playground's.
  assert.deepEqual(
    worker.map((x) => x.wasm.modules),
    [1, 1],
    'one wasm module (the kernels) per worker',
  );
  assert.ok(w.wasm.gzip <= w.wasm.moduleBytes, `the wasm kernels add ${w.wasm.gzip} bytes gzip`);
  assert.ok(w.entry.gzip > 20 * 1024, 'the measured worker entry holds the engine');
  // Every job kind of the protocol is either in the entry or mapped to its lazy chunk(s).
  assert.deepEqual(Object.keys(w.jobs).sort(), jobKinds().sort());
  const trainPage = pages.find((p) => p.kinds.includes('train'));
  assert.ok(trainPage?.worker, 'a page runs training in the worker');
  assert.ok(
    w.jobs.train.files.length === 0 || trainPage.worker.gzip > w.entry.gzip,
    'a page that trains counts the training chunk',
  );
  const overWorker = pages
    .filter((p) => p.worker && p.worker.withoutWasm > LIMITS.workerGzip)
    .map((p) => `${p.page} ${kb(p.worker.withoutWasm)}`);
  assert.deepEqual(overWorker, [], 'worker bytes per page without the wasm kernels');
});

test('the worker ships no plugin documentation (stripped at build, decision 0043) but keeps what the engine reads', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { DIST } = await import('../scripts/sizes.mjs');
  const { createSiteRegistry } = await import('../src/lab/registry.ts');
  const { worker } = measureSizes();
  const w = labWorker(worker);
  // Both workers: the lab worker with every job chunk, and the playground's.
  const code = [...worker.map((x) => x.file), ...Object.values(w.jobs).flatMap((j) => j.files)]
    .map((f) => readFileSync(join(DIST, f), 'utf8'))
    .join('\n');
  const registry = createSiteRegistry();
  const defs = ['activation', 'initializer'].flatMap((k) => registry.list(k));
  const refs = defs.flatMap((d) => (d.meta.references ?? []).map((r) => r.url));
  assert.ok(refs.length > 10, 'the plugins document references');
  assert.deepEqual(
    refs.filter((u) => code.includes(u)),
    [],
    'reference URLs in the worker',
  );
  const summaries = defs.map((d) => d.meta.summary).filter((s) => code.includes(s));
  assert.deepEqual(summaries, [], 'plugin summaries in the worker');
  // Option descriptions became a pointer; the option specs themselves (type, bounds) stay.
  const options = defs.flatMap((d) => Object.values(d.options ?? {}));
  assert.ok(options.length > 10, 'the plugins declare options');
  const described = options.map((o) => o.description).filter((t) => t.length > 30 && code.includes(t));
  assert.deepEqual(described, [], 'option descriptions in the worker');
  assert.match(code, /See the option on the site's reference page\./);
  // The engine reads meta.id, aliases and kinks: they stay (relu's kink at 0 feeds the mean-field theory).
  assert.match(code, /kinks:\[0\]/);
  // The findings catalog's prose is gone too (decision 0039); doctor's changes stay.
  const { FINDINGS } = await import('@gradlab/probes');
  const prose = Object.values(FINDINGS).flatMap((f) => [f.meaning, ...f.causes, ...f.fixes.map((x) => x.text)]);
  assert.deepEqual(
    prose.filter((t) => code.includes(t)),
    [],
    'findings prose in the worker',
  );
  assert.ok(w.jobs.doctor, 'the doctor job has a chunk');
  assert.match(code, /activation:`relu`,initializer:`he`|activation:"relu",initializer:"he"/, "doctor's changes");
});
