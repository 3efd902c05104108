// The size half of the budget (scripts/budget.mjs reports the timings): JS per page ≤ 60 KB gzip
// without the worker, the worker ≤ 50 KB gzip.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kb, LIMITS, measureSizes } from '../scripts/sizes.mjs';

test('JS per page ≤ 60 KB gzip and the worker ≤ 50 KB gzip', () => {
  const { pages, worker } = measureSizes();
  assert.ok(
    pages.some((p) => p.gzip > 0),
    'widget pages ship JS',
  );
  assert.equal(worker.length, 1, 'one lab worker');
  const over = pages.filter((p) => p.gzip > LIMITS.pageJsGzip).map((p) => `${p.page} ${kb(p.gzip)}`);
  assert.deepEqual(over, []);
  assert.ok(worker[0].gzip <= LIMITS.workerGzip, `worker ${kb(worker[0].gzip)}`);
  assert.ok(worker[0].gzip > 20 * 1024, 'the measured worker holds the engine');
});
