/**
 * `pnpm --filter @gradlab/bench bench:browser`: the kernel table and the gradlab step (wasm
 * kernels against JavaScript kernels) inside headless Chromium (Debian's `/usr/bin/chromium`,
 * driven by playwright-core; never a browser download), from the packages' built `dist/` loaded
 * through an import map. TensorFlow.js is not run here: its ratios come from the Node bench.
 * Timing method as in Node: warm-up, interleaved rounds, median per-round ratios.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@gradlab/chromium';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const quick = process.argv.includes('--quick');

function importMap(): Record<string, string> {
  const imports: Record<string, string> = {};
  for (const group of [
    'packages',
    'packages/activations',
    'packages/initializers',
    'packages/clipping',
    'packages/regularizers',
  ]) {
    for (const dir of readdirSync(join(ROOT, group))) {
      const pkg = join(ROOT, group, dir, 'package.json');
      if (!existsSync(pkg) || !existsSync(join(ROOT, group, dir, 'dist/index.js'))) continue;
      imports[JSON.parse(readFileSync(pkg, 'utf8')).name] = `/${group}/${dir}/dist/index.js`;
    }
  }
  return imports;
}

/** The page's script: the same shapes, specs and data as src/gradlab.ts and src/kernels.ts. */
const SCRIPT = `
import { activeKernels, createRegistry, createRng, createSession, kernelStatus, useKernels } from '@gradlab/core';
import standard from '@gradlab/preset-standard';
const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const gc = () => globalThis.gc?.();
const block = (f, reps) => { const t = performance.now(); for (let i = 0; i < reps; i++) f(); return (performance.now() - t) / reps; };
const repsFor = (f, ms) => { let n = 0; const t = performance.now(); while (performance.now() - t < 150) { f(); n++; } return Math.max(1, Math.ceil(ms / (150 / n))); };
function interleave(fs, blockMs, budgetMs) {
  const reps = fs.map((f) => repsFor(f, blockMs));
  const samples = fs.map(() => []);
  const ratios = [];
  const t0 = performance.now();
  while (ratios.length < 5 || (performance.now() - t0 < budgetMs && ratios.length < 200)) {
    const order = ratios.length % 2 ? [1, 0] : [0, 1];
    for (const e of order) { gc(); samples[e].push(block(fs[e], reps[e])); }
    ratios.push(samples[0].at(-1) / samples[1].at(-1));
  }
  return { ms: samples.map(median), ratio: median(ratios), rounds: ratios.length };
}
window.kernelTable = (shapes, budgetMs, blockMs) => {
  useKernels('js'); const js = activeKernels(); useKernels('wasm'); const wasm = activeKernels(); useKernels('auto');
  const rows = [];
  for (const [b, i, o] of shapes) {
    const x = Float64Array.from({ length: b * i }, (_, n) => Math.sin(n) * 0.5);
    const w = Float64Array.from({ length: i * o }, (_, n) => Math.cos(n) * 0.5);
    const d = Float64Array.from({ length: b * o }, (_, n) => Math.sin(n * 0.7) * 0.5);
    const gw = new Float64Array(i * o), z = new Float64Array(b * o), dx = new Float64Array(b * i);
    const call = {
      gemmAdd: (k) => () => k.gemmAdd(x, 0, i, w, 0, o, z, 0, o, b, i, o),
      gemmTNAdd: (k) => () => k.gemmTNAdd(x, 0, i, d, 0, o, gw, 0, o, b, i, o),
      gemmNT: (k) => () => k.gemmNT(d, 0, o, w, 0, o, dx, 0, i, b, o, i, false),
    };
    for (const kernel of ['gemmAdd', 'gemmTNAdd', 'gemmNT']) {
      const r = interleave([call[kernel](js), call[kernel](wasm)], blockMs, budgetMs);
      const flops = 2 * b * i * o;
      rows.push({ shape: [b, i, o], kernel, jsGflops: flops / r.ms[0] / 1e6, wasmGflops: flops / r.ms[1] / 1e6, ratio: r.ratio, rounds: r.rounds });
    }
  }
  return rows;
};
function session(shape, activation) {
  const rng = createRng(1);
  const n = shape.batch * shape.width;
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  for (let i = 0; i < n; i++) y[i] = rng.next();
  const data = { rows: shape.batch, features: shape.width, steps: 1, outputs: shape.width, task: 'regression', x, y };
  const spec = {
    seed: 1,
    model: { defaults: { activation, initializer: activation === 'relu' ? 'he' : 'glorot' }, layers: Array.from({ length: shape.depth }, () => ({ type: 'dense', units: shape.width })) },
    train: { loss: 'mse', optimizer: ['sgd', { lr: 1e-3 }], batchSize: shape.batch, steps: 10000000, testFraction: 0, shuffle: false },
  };
  return createSession(spec, { registry: createRegistry().use(standard), data });
}
window.stepRow = (shape, activation, budgetMs, blockMs) => {
  const js = session(shape, activation), wasm = session(shape, activation);
  const r = interleave([() => { useKernels('js'); js.step(); }, () => { useKernels('wasm'); wasm.step(); }], blockMs, budgetMs);
  useKernels('auto');
  return { jsMs: r.ms[0], wasmMs: r.ms[1], ratio: r.ratio, rounds: r.rounds };
};
window.gradlabStatus = () => ({ kernels: kernelStatus(), ua: navigator.userAgent });
window.ready = true;`;

const page = `<!doctype html><meta charset="utf-8"><title>gradlab bench</title>
<script type="importmap">${JSON.stringify({ imports: importMap() })}</script>
<script type="module">${SCRIPT}</script>`;

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  const file = normalize(join(ROOT, path));
  if (!file.startsWith(join(ROOT, 'packages')) || !existsSync(file)) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await launchChromium({ args: ['--js-flags=--expose-gc'] });
try {
  const tab = await browser.newPage();
  const errors: string[] = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await tab.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
  if (errors.length) throw new Error(errors.join('\n'));
  type W = Record<string, (...a: unknown[]) => unknown>;
  const call = <T>(fn: string, ...args: unknown[]) =>
    tab.evaluate(([f, a]) => (globalThis as unknown as W)[f as string](...(a as unknown[])), [
      fn,
      args,
    ] as const) as Promise<T>;
  const status = await call<{ kernels: { active: string; reason?: string }; ua: string }>('gradlabStatus');
  const load0 = os.loadavg();
  const out = (l = '') => process.stdout.write(`${l}\n`);
  out(`gradlab bench in Chromium — ${new Date().toISOString()}${quick ? ' — QUICK run' : ''}`);
  out(`browser: ${status.ua}`);
  out(
    `machine: ${os.cpus()[0]?.model ?? '?'}, ${os.availableParallelism()} cores, load average ${load0.map((l) => l.toFixed(2)).join(' ')}`,
  );
  out(`kernels: ${status.kernels.active}${status.kernels.reason ? ` (${status.kernels.reason})` : ''}`);
  out();
  const shapes = [
    [64, 64, 64],
    [128, 256, 256],
    [256, 256, 256],
    [32, 32, 32],
  ];
  const krows = await call<
    { shape: number[]; kernel: string; jsGflops: number; wasmGflops: number; ratio: number; rounds: number }[]
  >('kernelTable', shapes, quick ? 300 : 1500, quick ? 10 : 25);
  out(
    'Kernels (GF/s = 2·m·k·n / median time; ratio = median per-round js / wasm time; target wasm ≥ 20 GF/s from 64³ to 256³):',
  );
  out(
    `${'shape'.padEnd(12)} ${'kernel'.padEnd(10)} ${'js GF/s'.padStart(8)} ${'wasm GF/s'.padStart(10)} ${'ratio'.padStart(7)} verdict`,
  );
  for (const k of krows) {
    const v = Math.min(...k.shape) >= 64 ? (k.wasmGflops >= 20 ? 'PASS' : 'MISS') : '(info)';
    out(
      `${k.shape.join('x').padEnd(12)} ${k.kernel.padEnd(10)} ${k.jsGflops.toFixed(1).padStart(8)} ${k.wasmGflops.toFixed(1).padStart(10)} ${`${k.ratio.toFixed(2)}x`.padStart(7)} ${v}`,
    );
  }
  out();
  out('One training step (Session.step(), SGD, strict checks), wasm kernels against JavaScript kernels:');
  out(
    `${'shape'.padEnd(12)} ${'act'.padEnd(8)} ${'js ms'.padStart(9)} ${'wasm ms'.padStart(9)} ${'ratio'.padStart(7)} rounds`,
  );
  for (const [depth, width, batch] of [
    [20, 64, 64],
    [10, 256, 128],
    [50, 32, 32],
    [5, 16, 8],
  ]) {
    for (const act of ['relu', 'sigmoid']) {
      const r = await call<{ jsMs: number; wasmMs: number; ratio: number; rounds: number }>(
        'stepRow',
        { depth, width, batch },
        act,
        quick ? 1200 : 5000,
        quick ? 25 : 40,
      );
      const target = depth === 10 ? ` (target ≥ 2.7x: ${r.ratio >= 2.7 ? 'PASS' : 'MISS'})` : '';
      out(
        `${`${depth}x${width} b${batch}`.padEnd(12)} ${act.padEnd(8)} ${r.jsMs.toFixed(3).padStart(9)} ${r.wasmMs.toFixed(3).padStart(9)} ${`${r.ratio.toFixed(2)}x`.padStart(7)} ${r.rounds}${target}`,
      );
    }
  }
  out();
  out(
    `load average now ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await browser.close();
  server.close();
}
