/**
 * `pnpm --filter @gradlab/bench bench:browser`: the kernel table, the gradlab step (wasm
 * kernels against JavaScript kernels) and the probe overhead inside headless Chromium (Debian's `/usr/bin/chromium`,
 * driven by playwright-core; never a browser download), from the packages' built `dist/` loaded
 * through an import map. TensorFlow.js is not run here: its ratios come from the Node bench.
 * Timing method as in Node: warm-up, interleaved rounds, median per-round ratios; `--clock=cpu`
 * times each block in the CPU time of the page's renderer main thread (decision 0015's clock,
 * read by Node from /proc), `--quick` shortens the budgets.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@gradlab/chromium';
import type { Browser } from 'playwright-core';
import { CEILING_FILL, CEILING_FLOPS, CEILING_PASSES, ceilingBytes, checkWork } from './ceiling.ts';
import { median, quantile } from './stats.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const quick = process.argv.includes('--quick');
const clock = process.argv.includes('--clock=cpu') ? 'cpu' : 'wall';

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

/**
 * The page's script: the same shapes, specs and data as src/gradlab.ts and src/kernels.ts. The page
 * only builds the timed closures and runs blocks; Node drives the rounds, so that with
 * `--clock=cpu` it can read the renderer main thread's CPU time around each block.
 */
const SCRIPT = `
import { activeKernels, createRegistry, createRng, createSession, engineBuffer, kernelStatus, useKernels } from '@gradlab/core';
import standard from '@gradlab/preset-standard';
import probeDefs, { useSimdPasses } from '@gradlab/probes';
const runs = [];
const add = (f) => runs.push(f) - 1;
window.collect = () => { globalThis.gc?.(); };
window.calibrate = (id, ms) => { const f = runs[id]; let n = 0; const t = performance.now(); while (performance.now() - t < 150) { f(); n++; } return Math.max(1, Math.ceil(ms / (150 / n))); };
window.block = (id, reps) => { const f = runs[id]; const t = performance.now(); for (let i = 0; i < reps; i++) f(); return performance.now() - t; };
window.busy = (ms) => { const t = performance.now(); let x = 0; while (performance.now() - t < ms) x++; return x; };
window.release = () => { runs.length = 0; useKernels('auto'); };
// The ceiling loop of src/ceiling.ts (its bytes come from Node): instantiated, filled and called as ceilingRun does.
window.ceilingRun = (hex, fill, passes) => {
  const bytes = new Uint8Array(hex.match(/../g).map((h) => parseInt(h, 16)));
  const { memory, tile } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  new Float64Array(memory.buffer, 0, fill).fill(1e-3);
  return [add(() => tile(passes)), tile(passes)];
};
window.kernelRuns = ([b, i, o]) => {
  useKernels('js'); const js = activeKernels(); useKernels('wasm'); const wasm = activeKernels(); useKernels('auto');
  // Engine buffers, as src/kernels.ts: in a wasm region, where a session's layers keep theirs.
  const buffer = (length, f = () => 0) => { const out = engineBuffer(length); for (let n = 0; n < length; n++) out[n] = f(n); return out; };
  const x = buffer(b * i, (n) => Math.sin(n) * 0.5);
  const w = buffer(i * o, (n) => Math.cos(n) * 0.5);
  const d = buffer(b * o, (n) => Math.sin(n * 0.7) * 0.5);
  const gw = buffer(i * o), z = buffer(b * o), dx = buffer(b * i);
  const call = {
    gemmAdd: (k) => () => k.gemmAdd(x, 0, i, w, 0, o, z, 0, o, b, i, o),
    gemmTNAdd: (k) => () => k.gemmTNAdd(x, 0, i, d, 0, o, gw, 0, o, b, i, o),
    gemmNT: (k) => () => k.gemmNT(d, 0, o, w, 0, o, dx, 0, i, b, o, i, false),
  };
  return Object.fromEntries(['gemmAdd', 'gemmTNAdd', 'gemmNT'].map((k) => [k, [add(call[k](js)), add(call[k](wasm))]]));
};
function session(shape, activation, probes = []) {
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
    ...(probes.length ? { probes } : {}),
  };
  return createSession(spec, { registry: createRegistry().use(standard).use(probeDefs), data });
}
window.stepRuns = (shape, activation) => {
  const js = session(shape, activation), wasm = session(shape, activation);
  return [add(() => { useKernels('js'); js.step(); }), add(() => { useKernels('wasm'); wasm.step(); })];
};
// Every probe of @gradlab/probes attached, against none (src/probes.ts's probeOverhead).
window.probeRuns = (shape, activation) => {
  const ids = probeDefs.filter((d) => d.kind === 'probe').map((d) => d.meta.id);
  const probed = session(shape, activation, ids), plain = session(shape, activation);
  return [add(() => probed.step()), add(() => plain.step())];
};
window.gradlabStatus = () => ({ kernels: kernelStatus(), statistics: useSimdPasses('auto'), ua: navigator.userAgent });
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
  type Selected = { active?: string; passes?: string; reason?: string };
  const status = await call<{ kernels: Selected; statistics: Selected; ua: string }>('gradlabStatus');
  const cpu = clock === 'cpu' ? await rendererClock(browser, () => call('busy', 300)) : undefined;

  /**
   * Interleaved rounds of two or three runs (js, wasm[, ceiling]), in an order that rotates each
   * round: median ms per call of each, the median per-round ratio js / wasm, and the per-round
   * ratios of the third run's time to wasm's (`thirdOverWasm`, for the share of the ceiling).
   */
  async function interleave(ids: readonly number[], blockMs: number, budgetMs: number, sameReps = false) {
    const reps: number[] = [];
    for (const id of ids) reps.push(await call<number>('calibrate', id, blockMs));
    // Two sessions that must follow the same trajectory (probed and not) take the same steps per block.
    if (sameReps) reps.fill(Math.max(...reps));
    const samples: number[][] = ids.map(() => []);
    const ratios: number[] = [];
    const thirdOverWasm: number[] = [];
    const t0 = performance.now();
    while (ratios.length < 5 || (performance.now() - t0 < budgetMs && ratios.length < 200)) {
      for (const e of ids.map((_, i) => (i + ratios.length) % ids.length)) {
        await call('collect');
        const c0 = cpu?.();
        const wall = await call<number>('block', ids[e], reps[e]);
        samples[e].push((cpu ? cpu() - (c0 as number) : wall) / reps[e]);
      }
      ratios.push(samples[0].at(-1)! / samples[1].at(-1)!);
      if (ids.length > 2) thirdOverWasm.push(samples[2].at(-1)! / samples[1].at(-1)!);
    }
    return {
      ms: samples.map(median),
      ratio: median(ratios),
      p25: quantile(ratios, 0.25),
      p75: quantile(ratios, 0.75),
      thirdOverWasm,
      rounds: ratios.length,
    };
  }

  const load0 = os.loadavg();
  const out = (l = '') => process.stdout.write(`${l}\n`);
  out(`gradlab bench in Chromium — ${new Date().toISOString()}${quick ? ' — QUICK run' : ''}`);
  out(`browser: ${status.ua}`);
  out(
    `machine: ${os.cpus()[0]?.model ?? '?'}, ${os.availableParallelism()} cores, load average ${load0.map((l) => l.toFixed(2)).join(' ')}`,
  );
  out(`kernels: ${status.kernels.active}${status.kernels.reason ? ` (${status.kernels.reason})` : ''}`);
  out(
    `probe statistics: ${status.statistics.passes}${status.statistics.reason ? ` (${status.statistics.reason})` : ''}`,
  );
  out(
    `timed blocks: ${cpu ? "the renderer main thread's CPU time (/proc/<pid>/task/<pid>/schedstat, read by Node around each block): time other processes ran is excluded" : 'wall clock (performance.now in the page)'}`,
  );
  out();
  // Blocks of the CPU clock last ≥ 100 ms: it advances in scheduler ticks (decision 0015).
  const blockMs = (ms: number) => (cpu ? Math.max(100, ms) : ms);
  out(
    'Kernels (GF/s = 2·m·k·n / median time; ratio = median per-round js / wasm time; target wasm ≥ 20 GF/s from 64³ to 256³);',
  );
  out(
    "ceiling: the wasm kernels' 4×4 tile on operands held in L1 (src/ceiling.ts) in the same rounds; of ceiling: median per-round wasm / ceiling GF/s:",
  );
  out(
    `${'shape'.padEnd(12)} ${'kernel'.padEnd(10)} ${'js GF/s'.padStart(8)} ${'wasm GF/s'.padStart(10)} ${'ratio'.padStart(7)}  ${'[p25–p75]'.padEnd(12)} ${'ceiling'.padStart(7)} ${'of ceiling'.padStart(10)}  verdict`,
  );
  const ceilingHex = Buffer.from(await ceilingBytes()).toString('hex');
  for (const shape of [
    [64, 64, 64],
    [128, 256, 256],
    [256, 256, 256],
    [32, 32, 32],
  ]) {
    const ids = await call<Record<string, number[]>>('kernelRuns', shape);
    const [ceiling, sum] = await call<[number, number]>('ceilingRun', ceilingHex, CEILING_FILL, CEILING_PASSES);
    checkWork(sum);
    for (const [kernel, pair] of Object.entries(ids)) {
      const r = await interleave([...pair, ceiling], blockMs(quick ? 10 : 25), quick ? 300 : 1500);
      const flops = 2 * shape[0] * shape[1] * shape[2];
      const [js, wasm] = r.ms.map((ms) => flops / ms / 1e6);
      const top = CEILING_FLOPS / r.ms[2] / 1e6;
      // wasm GF/s / ceiling GF/s in one round = (flops / wasm time) / (CEILING_FLOPS / ceiling time).
      const share = median(r.thirdOverWasm.map((q) => (q * flops) / CEILING_FLOPS));
      const v = Math.min(...shape) >= 64 ? (wasm >= 20 ? 'PASS' : 'MISS') : '(info)';
      out(
        `${shape.join('x').padEnd(12)} ${kernel.padEnd(10)} ${js.toFixed(1).padStart(8)} ${wasm.toFixed(1).padStart(10)} ${`${r.ratio.toFixed(2)}x`.padStart(7)}  ${`[${r.p25.toFixed(2)}–${r.p75.toFixed(2)}]`.padEnd(12)} ${top.toFixed(1).padStart(7)} ${`${(100 * share).toFixed(0)}%`.padStart(10)}  ${v}`,
      );
    }
    await call('release');
  }
  out();
  out('One training step (Session.step(), SGD, strict checks), wasm kernels against JavaScript kernels:');
  out(
    `${'shape'.padEnd(12)} ${'act'.padEnd(8)} ${'js ms'.padStart(9)} ${'wasm ms'.padStart(9)} ${'ratio'.padStart(7)}  ${'[p25–p75]'.padEnd(12)} rounds`,
  );
  for (const [depth, width, batch] of [
    [20, 64, 64],
    [10, 256, 128],
    [50, 32, 32],
    [5, 16, 8],
  ]) {
    for (const act of ['relu', 'sigmoid']) {
      const ids = await call<number[]>('stepRuns', { depth, width, batch }, act);
      const r = await interleave(ids, blockMs(quick ? 25 : 40), quick ? 1200 : 5000);
      await call('release');
      const target = depth === 10 ? ` (target ≥ 2.7x: ${r.ratio >= 2.7 ? 'PASS' : 'MISS'})` : '';
      out(
        `${`${depth}x${width} b${batch}`.padEnd(12)} ${act.padEnd(8)} ${r.ms[0].toFixed(3).padStart(9)} ${r.ms[1].toFixed(3).padStart(9)} ${`${r.ratio.toFixed(2)}x`.padStart(7)}  ${`[${r.p25.toFixed(2)}–${r.p75.toFixed(2)}]`.padEnd(12)} ${r.rounds}${target}`,
      );
    }
  }
  out();
  out(
    'Probe overhead: every probe of @gradlab/probes attached against none; ratio = median per-round probed / unprobed time (target ≤ 1.25x):',
  );
  out(
    `${'shape'.padEnd(12)} ${'act'.padEnd(8)} ${'unprobed ms'.padStart(12)} ${'probed ms'.padStart(10)} ${'ratio'.padStart(7)}  ${'[p25–p75]'.padEnd(12)} ${'rounds'.padStart(6)}  verdict`,
  );
  for (const [depth, width, batch] of [
    [20, 64, 64],
    [10, 256, 128],
    [50, 32, 32],
  ]) {
    for (const act of ['relu', 'sigmoid']) {
      const ids = await call<number[]>('probeRuns', { depth, width, batch }, act);
      const r = await interleave(ids, blockMs(quick ? 25 : 40), quick ? 1200 : 5000, true);
      await call('release');
      out(
        `${`${depth}x${width} b${batch}`.padEnd(12)} ${act.padEnd(8)} ${r.ms[1].toFixed(3).padStart(12)} ${r.ms[0].toFixed(3).padStart(10)} ${`${r.ratio.toFixed(2)}x`.padStart(7)}  ${`[${r.p25.toFixed(2)}–${r.p75.toFixed(2)}]`.padEnd(12)} ${String(r.rounds).padStart(6)}  ${r.ratio <= 1.25 ? 'PASS' : 'MISS'}`,
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

/**
 * A clock of the page's renderer main thread in CPU ms, read from Node: Linux's scheduler count
 * (/proc/<pid>/task/<pid>/schedstat; a process's main thread has tid = pid). Chromium lists its
 * renderer processes over CDP; the page's is the one that advances while the page spins.
 */
async function rendererClock(b: Browser, spin: () => Promise<unknown>): Promise<() => number> {
  const cdp = await b.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  const read = (pid: number) => {
    try {
      return Number.parseInt(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'latin1'), 10) / 1e6;
    } catch {
      return Number.NaN;
    }
  };
  const pids = processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  const before = pids.map(read);
  await spin();
  const moved = pids.map((pid, i) => read(pid) - before[i]);
  const best = moved.indexOf(Math.max(...moved.filter((m) => !Number.isNaN(m))));
  if (best < 0 || !(moved[best] > 100)) {
    throw new Error(`--clock=cpu: no renderer thread of this Chromium ran the page (renderers ${pids.join(', ')})`);
  }
  return () => read(pids[best]);
}
