// JS shipped per page (gzip level 9) and the worker's size, from dist/. A page's JS is every module
// script and modulepreload it names plus their static imports, excluding the lab worker, which is
// counted on its own (with the chunks it imports).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
export const LIMITS = { pageJsGzip: 60 * 1024, workerGzip: 50 * 1024 };

/**
 * The embedded WebAssembly kernels (@gradlab/core, hex) have their own budget (issue 12: the worker grows
 * by no more than the module's size), so the 50 KB covers the rest of the worker; both parts and the total
 * are printed (docs/decisions/0027-worker-budget-and-wasm.md).
 */
const WASM_HEX = /(["'`])(0061736d(?:[0-9a-f]{2})+)\1/;
export function wasmPart(file) {
  const code = readFileSync(file, 'utf8');
  const m = WASM_HEX.exec(code);
  if (!m) return { gzip: 0, moduleBytes: 0 };
  const without = gzipSync(code.replace(m[0], '""'), { level: 9 }).length;
  return { gzip: gzipSync(code, { level: 9 }).length - without, moduleBytes: m[2].length / 2 };
}

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
    const gzip = [...files].reduce((n, f) => n + gz(f), 0);
    const wasm = [...files]
      .map(wasmPart)
      .reduce((a, b) => ({ gzip: a.gzip + b.gzip, moduleBytes: a.moduleBytes + b.moduleBytes }));
    return { file: relative(DIST, w), files: files.size, gzip, wasm, withoutWasm: gzip - wasm.gzip };
  });
  return { pages, worker };
}

export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { pages, worker } = measureSizes();
  for (const p of pages) console.log(`${p.page.padEnd(48)} JS ${kb(p.gzip).padStart(9)} gzip (${p.files} files)`);
  for (const w of worker)
    console.log(
      `worker ${w.file.padEnd(41)} ${kb(w.gzip).padStart(9)} gzip (${w.files} files): ${kb(w.withoutWasm)} + wasm kernels ${kb(w.wasm.gzip)} (module ${w.wasm.moduleBytes} bytes)`,
    );
}
