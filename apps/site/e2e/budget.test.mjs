// The size half of the budget (scripts/budget.mjs reports the timings): JS per page ≤ 60 KB gzip
// without the worker, the worker ≤ 50 KB gzip besides the embedded wasm kernels, which add no more than the
// module's size (decision 0027).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kb, LIMITS, measureSizes } from '../scripts/sizes.mjs';

test('JS per page ≤ 60 KB gzip; the worker ≤ 50 KB gzip besides the wasm kernels, which add ≤ the module', () => {
  const { pages, worker } = measureSizes();
  assert.ok(
    pages.some((p) => p.gzip > 0),
    'widget pages ship JS',
  );
  assert.equal(worker.length, 1, 'one lab worker');
  const over = pages.filter((p) => p.gzip > LIMITS.pageJsGzip).map((p) => `${p.page} ${kb(p.gzip)}`);
  assert.deepEqual(over, []);
  const w = worker[0];
  assert.ok(w.wasm.moduleBytes > 4000, 'the worker embeds the wasm kernels (found by their magic number)');
  assert.ok(w.withoutWasm <= LIMITS.workerGzip, `worker without the wasm kernels ${kb(w.withoutWasm)}`);
  assert.ok(w.wasm.gzip <= w.wasm.moduleBytes, `the wasm kernels add ${w.wasm.gzip} bytes gzip`);
  assert.ok(worker[0].gzip > 20 * 1024, 'the measured worker holds the engine');
});
