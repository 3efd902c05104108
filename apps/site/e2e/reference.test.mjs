// The generated reference must cover the catalogs: every registered plugin, every error name and every
// finding code has a built page that names it. The lists come from the engine, not from the site, so a
// new catalog entry without a page fails here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorData } from '@gradlab/core';
import { FINDINGS } from '@gradlab/probes';
import { createSiteRegistry } from '../src/lab/registry.ts';
import { DIST } from './harness.mjs';

const registry = createSiteRegistry();
const code = (text) => new RegExp(`<code[^>]*>${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</code>`);
const page = (path) => {
  const file = join(DIST, path, 'index.html');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
};

test('every plugin of every kind has a reference page with its title, options and install line', () => {
  const missing = [];
  let n = 0;
  for (const kind of ['activation', 'initializer', 'clipping', 'regularizer', 'probe']) {
    for (const def of registry.list(kind)) {
      n++;
      const html = page(`reference/${kind}/${def.meta.id}`);
      if (!html) missing.push(`${kind}/${def.meta.id}`);
      else {
        assert.match(html, code(def.meta.id), `${kind}/${def.meta.id}: id shown`);
        assert.ok(html.includes('pnpm add @gradlab/'), `${kind}/${def.meta.id}: install line`);
        for (const option of Object.keys(def.options))
          assert.match(html, code(option), `${kind}/${def.meta.id}: option ${option}`);
        if (kind === 'activation')
          assert.match(html, /<svg[^>]*aria-label="[^"]*f and f′/, `${def.meta.id}: f and f′ plot`);
      }
    }
  }
  assert.ok(n >= 30, `${n} plugins`);
  assert.deepEqual(missing, [], 'plugins without a reference page');
});

test('every error name has a page', () => {
  const missing = Object.keys(ErrorData).filter((name) => !code(name).test(page(`reference/errors/${name}`) ?? ''));
  assert.ok(Object.keys(ErrorData).length >= 10);
  assert.deepEqual(missing, []);
});

test('every finding code has a page with its meaning, causes and fixes', () => {
  const missing = Object.entries(FINDINGS).filter(([id, info]) => {
    const html = page(`reference/findings/${id}`);
    return (
      !html ||
      !code(id).test(html) ||
      !info.causes.every((c) =>
        html.includes(c.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#39;').slice(0, 20)),
      )
    );
  });
  assert.ok(Object.keys(FINDINGS).length >= 6);
  assert.deepEqual(
    missing.map(([id]) => id),
    [],
  );
});
