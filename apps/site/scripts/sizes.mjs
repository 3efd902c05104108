// JS shipped per page (gzip level 9) and the worker's size, from dist/. A page's JS is every module
// script and modulepreload it names plus their static imports, excluding the lab worker, which is
// counted on its own (with the chunks it imports).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
export const LIMITS = { pageJsGzip: 60 * 1024, workerGzip: 50 * 1024 };

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const abs = (url) => join(DIST, url.replace(/^\//, ''));

/** A chunk and every chunk it imports statically (Vite emits relative `./x.js` and absolute `/_astro/x.js`). */
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const m of code.matchAll(/(?:import|export)\s*(?:[^'"()]*?from\s*)?["']([^"']+\.js)["']/g)) {
    const spec = m[1];
    const target = spec.startsWith('/') ? abs(spec) : join(file, '..', spec);
    closure(target, seen);
  }
  return seen;
}

function htmlFiles(dir = DIST) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === '_astro' ? [] : htmlFiles(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

export function measureSizes() {
  const workers = new Set();
  const pages = htmlFiles().map((html) => {
    const text = readFileSync(html, 'utf8');
    const entries = [
      ...[...text.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]),
      ...[...text.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
    ];
    const files = new Set();
    for (const e of entries) for (const f of closure(abs(e))) files.add(f);
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/new Worker\(new URL\(\s*[`'"]([^`'"]+)[`'"]/g))
        workers.add(abs(m[1]));
    }
    // Inline module scripts count too (Vite inlines tiny ones).
    const inline = [...text.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].reduce(
      (n, m) => n + gzipSync(m[1], { level: 9 }).length,
      0,
    );
    const gzip = [...files].reduce((n, f) => n + gz(f), 0) + inline;
    return { page: `/${relative(DIST, html).replace(/index\.html$/, '')}`, files: files.size, gzip };
  });
  const worker = [...workers].map((w) => {
    const files = closure(w);
    return { file: relative(DIST, w), files: files.size, gzip: [...files].reduce((n, f) => n + gz(f), 0) };
  });
  return { pages, worker };
}

export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { pages, worker } = measureSizes();
  for (const p of pages) console.log(`${p.page.padEnd(48)} JS ${kb(p.gzip).padStart(9)} gzip (${p.files} files)`);
  for (const w of worker) console.log(`worker ${w.file.padEnd(41)} ${kb(w.gzip).padStart(9)} gzip (${w.files} files)`);
}
