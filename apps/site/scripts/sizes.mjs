// JS shipped per page (gzip level 9) and the worker's size, from dist/. A page's JS is every module
// script and modulepreload it names plus their static imports, excluding the lab worker, which is
// counted on its own. The worker is split (decision 0043): its entry chunk (engine, registry, probe
// jobs) plus one lazy chunk per job module (src/lab/worker-jobs.ts). A page's worker bytes are the
// entry's static closure plus the chunks of every job kind the page names (`"job":"<kind>"` in a
// widget's or a quiz's JSON config), so the 50 KB limit holds per page for what that page can load.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
export const LIMITS = { pageJsGzip: 60 * 1024, workerGzip: 50 * 1024 };

/**
 * The embedded WebAssembly modules (hex: @gradlab/core's kernels; @gradlab/probes' statistics passes, which
 * the site's workers replace with their JavaScript loops, decision 0053) have their own budget (issue 12: the worker grows by no more than the modules' size), so
 * the 50 KB covers the rest of the worker; both parts and the total are printed
 * (docs/decisions/0027-worker-budget-and-wasm.md). Every module in a file counts, not only the first.
 */
const WASM_HEX = /(["'`])(0061736d(?:[0-9a-f]{2})+)\1/g;
export function wasmPart(file) {
  const code = readFileSync(file, 'utf8');
  const modules = [...code.matchAll(WASM_HEX)];
  if (modules.length === 0) return { gzip: 0, moduleBytes: 0, modules: 0 };
  const without = gzipSync(code.replace(WASM_HEX, '""'), { level: 9 }).length;
  return {
    gzip: gzipSync(code, { level: 9 }).length - without,
    moduleBytes: modules.reduce((sum, m) => sum + m[2].length / 2, 0),
    modules: modules.length,
  };
}

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const abs = (url) => join(DIST, url.replace(/^\//, ''));

const target = (file, spec) => (spec.startsWith('/') ? abs(spec) : join(file, '..', spec));
const DYNAMIC = /\bimport\(\s*[`'"]([^`'"]+\.js)[`'"]\s*\)/g;

/**
 * A chunk and every chunk it imports statically (Vite emits relative `./x.js` and absolute `/_astro/x.js`);
 * with `dynamic`, also what it imports dynamically (an upper bound for a lazy chunk's own imports).
 */
function closure(file, seen = new Set(), dynamic = false) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const m of code.matchAll(/(?:import|export)\s*(?:[^'"()]*?from\s*)?["']([^"']+\.js)["']/g))
    closure(target(file, m[1]), seen, dynamic);
  if (dynamic) for (const m of code.matchAll(DYNAMIC)) closure(target(file, m[1]), seen, dynamic);
  return seen;
}

/** The job kinds of the lab protocol (src/lab/protocol.ts `JobKind`). */
export function jobKinds() {
  const src = readFileSync(fileURLToPath(new URL('../src/lab/protocol.ts', import.meta.url)), 'utf8');
  const m = /export type JobKind\s*=([^;]+);/.exec(src);
  if (!m) throw new Error('sizes: no `export type JobKind = …;` in src/lab/protocol.ts');
  return [...m[1].matchAll(/'([^']+)'/g)].map((k) => k[1]);
}

/**
 * The lazy chunks of each job kind, read from the worker entry: WORKER_JOBS (src/lab/worker-jobs.ts) is an
 * object literal keyed by job kind, so every `import("./x.js")` belongs to the nearest key before it.
 * Fails when an import cannot be attributed, so a changed layout is noticed instead of under-counted.
 */
function jobChunks(entry, entryFiles, kinds) {
  const code = readFileSync(entry, 'utf8');
  const keys = kinds
    .flatMap((k) =>
      [...code.matchAll(new RegExp(`(?<![\\w$.])["'\`]?${k.replace(/-/g, '\\-')}["'\`]?:`, 'g'))].map((m) => ({
        k,
        at: m.index,
      })),
    )
    .sort((a, b) => a.at - b.at);
  const chunks = Object.fromEntries(kinds.map((k) => [k, new Set()]));
  for (const m of code.matchAll(DYNAMIC)) {
    const key = keys.filter((x) => x.at < m.index).at(-1);
    if (!key) throw new Error(`sizes: ${relative(DIST, entry)} imports ${m[1]} outside the job loaders`);
    // The entry's own files are already loaded: seeding them as seen keeps the walk from following the
    // entry's dynamic imports (every other job's chunk) when a job chunk imports a binding from it.
    for (const f of closure(target(entry, m[1]), new Set(entryFiles), true))
      if (!entryFiles.has(f)) chunks[key.k].add(f);
  }
  return chunks;
}

const sum = (files) => [...files].reduce((n, f) => n + gz(f), 0);
const wasmOf = (files) =>
  [...files].map(wasmPart).reduce((a, b) => ({
    gzip: a.gzip + b.gzip,
    moduleBytes: a.moduleBytes + b.moduleBytes,
    modules: a.modules + b.modules,
  }));

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
    const pageWorkers = new Set();
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/new Worker\(new URL\(\s*[`'"]([^`'"]+)[`'"]/g))
        pageWorkers.add(abs(m[1]));
    }
    for (const w of pageWorkers) workers.add(w);
    const kinds = new Set(['probe', ...[...text.matchAll(/"job":"([^"]+)"/g)].map((m) => m[1])]);
    // Inline module scripts count too (Vite inlines tiny ones).
    const inline = [...text.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].reduce(
      (n, m) => n + gzipSync(m[1], { level: 9 }).length,
      0,
    );
    const gzip = [...files].reduce((n, f) => n + gz(f), 0) + inline;
    return {
      page: `/${relative(DIST, html).replace(/index\.html$/, '')}`,
      files: files.size,
      gzip,
      workers: [...pageWorkers],
      kinds: [...kinds].sort(),
    };
  });
  const kinds = jobKinds();
  const worker = [...workers].map((w) => {
    const entry = closure(w);
    const chunks = jobChunks(w, entry, kinds);
    const all = new Set(entry);
    for (const set of Object.values(chunks)) for (const f of set) all.add(f);
    const wasm = wasmOf(all);
    const gzip = sum(all);
    const entryGzip = sum(entry);
    const jobs = Object.fromEntries(
      Object.entries(chunks).map(([k, set]) => {
        const own = [...set].filter((f) => !entry.has(f));
        return [k, { files: own.map((f) => relative(DIST, f)), gzip: sum(own) }];
      }),
    );
    /** What a page naming `pageKinds` loads of this worker: the entry and those kinds' chunks. */
    const forKinds = (pageKinds) => {
      const files = new Set(entry);
      for (const k of pageKinds) for (const f of chunks[k] ?? []) files.add(f);
      const g = sum(files);
      const wz = wasmOf(files);
      return { files: files.size, gzip: g, wasm: wz, withoutWasm: g - wz.gzip };
    };
    return {
      file: relative(DIST, w),
      path: w,
      files: all.size,
      gzip,
      wasm,
      withoutWasm: gzip - wasm.gzip,
      entry: { files: entry.size, gzip: entryGzip, withoutWasm: entryGzip - wasmOf(entry).gzip },
      jobs,
      forKinds,
    };
  });
  for (const p of pages) {
    const ws = worker.filter((w) => p.workers.includes(w.path));
    p.worker = ws.length ? ws.map((w) => w.forKinds(p.kinds)).reduce((a, b) => (a.gzip > b.gzip ? a : b)) : null;
  }
  return { pages, worker };
}

export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { pages, worker } = measureSizes();
  for (const p of pages)
    console.log(
      `${p.page.padEnd(48)} JS ${kb(p.gzip).padStart(9)} gzip (${p.files} files)${p.worker ? `; worker ${kb(p.worker.withoutWasm)} + wasm ${kb(p.worker.wasm.gzip)} (jobs: ${p.kinds.join(', ')})` : ''}`,
    );
  for (const w of worker) {
    console.log(
      `worker ${w.file}: entry ${kb(w.entry.gzip)} gzip (${w.entry.files} files, ${kb(w.entry.withoutWasm)} without the wasm modules); all chunks ${kb(w.gzip)} = ${kb(w.withoutWasm)} + wasm ${kb(w.wasm.gzip)} (${w.wasm.modules} modules, ${w.wasm.moduleBytes} bytes)`,
    );
    for (const [k, j] of Object.entries(w.jobs))
      console.log(
        `  job ${k.padEnd(12)} +${kb(j.gzip).padStart(8)} ${j.files.length ? j.files.join(' ') : '(in the entry)'}`,
      );
  }
}
