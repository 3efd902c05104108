/**
 * `pnpm bench:probe` (root) or `pnpm bench:probe` in bench/: the site's interactive path in Node.
 * Each scenario is a sequence of control changes on the canonical 20 × 64, batch 64 probe; every
 * request is timed with `runProbe` and with one `createProbeRunner` in the same process, in an
 * order that alternates per request, with a full GC before each timed call (so one path's garbage
 * is not collected on the other's clock). Each round uses a fresh runner, so its caches start
 * empty like a freshly opened page. Prints medians, p95 and the median per-request ratio
 * (runProbe time / runner time, > 1 = the runner is faster), and checks both gave identical
 * reports. Options: `--rounds=N` (default 3), `--quick` (1 round).
 */
import os from 'node:os';
import { createRegistry } from '@gradlab/core';
import standard from '@gradlab/preset-standard';
import { type CanonicalOptions, createProbeRunner, runProbe } from '@gradlab/probes';
import { collectGarbage, median, quantile } from './stats.ts';

type Options = Partial<CanonicalOptions>;
const CANONICAL = { depth: 20, width: 64, batch: 64, seed: 0 } as const;
const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Math.round((from + i * step) * 100) / 100);
const there = range(0.8, 1.5, 0.05);
const andBack = [...there, ...there.slice(0, -1).reverse()];

const SCENARIOS: { name: string; requests: Options[] }[] = [
  {
    name: 'gain slider 0.8→1.5→0.8, tanh + glorot',
    requests: andBack.map((gain) => ({ ...CANONICAL, activation: 'tanh', initializer: 'glorot', gain })),
  },
  {
    name: 'gain slider 0.8→1.5→0.8, relu + he',
    requests: andBack.map((gain) => ({ ...CANONICAL, activation: 'relu', initializer: 'he', gain })),
  },
  {
    name: 'depth slider 10→30→10, relu + he',
    requests: [...range(10, 30, 1), ...range(10, 29, 1).reverse()].map((depth) => ({
      ...CANONICAL,
      depth,
      activation: 'relu',
      initializer: 'he',
    })),
  },
  {
    name: 'activation / initializer picks',
    requests: (
      [
        ['tanh', 'glorot'],
        ['relu', 'glorot'],
        ['relu', 'he'],
        ['sigmoid', 'glorot'],
        ['gelu', 'he'],
        ['tanh', 'he'],
        ['relu', 'he'],
        ['tanh', 'glorot'],
      ] as const
    ).map(([activation, initializer]) => ({ ...CANONICAL, activation, initializer })),
  },
];

const args = process.argv.slice(2);
const rounds = args.includes('--quick')
  ? 1
  : Number(args.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 3);
const out = (line = '') => process.stdout.write(`${line}\n`);
const ms = (x: number) => x.toFixed(2).padStart(7);

function timed<T>(f: () => T): [T, number] {
  collectGarbage();
  const t0 = performance.now();
  const value = f();
  return [value, performance.now() - t0];
}

const registry = createRegistry().use(standard);
if (!globalThis.gc) out('(run with node --expose-gc for a GC before each timed call; the script does)');
// Warm-up: both paths, every scenario's first requests, so the JIT has seen them.
{
  const runner = createProbeRunner({ registry });
  for (const s of SCENARIOS)
    for (const r of s.requests.slice(0, 6)) {
      runProbe(r, { registry });
      runner.run(r);
    }
}

const load0 = os.loadavg();
out(`probe latency — ${new Date().toISOString()}, Node ${process.version}, ${os.availableParallelism()} cores`);
out(`load average at start: ${load0.map((l) => l.toFixed(2)).join(' ')}; ${rounds} round(s), a fresh runner per round`);
out();
out(
  `${'scenario'.padEnd(42)} ${'requests'.padStart(8)}  ${'runProbe median'.padStart(15)} ${'p95'.padStart(7)}  ${'runner median'.padStart(13)} ${'p95'.padStart(7)}  ratio [p25–p75]   identical`,
);
let allSame = true;
const all: { probe: number[]; runner: number[] } = { probe: [], runner: [] };
for (const scenario of SCENARIOS) {
  const probeMs: number[] = [];
  const runnerMs: number[] = [];
  const ratios: number[] = [];
  let same = true;
  for (let round = 0; round < rounds; round++) {
    const runner = createProbeRunner({ registry });
    scenario.requests.forEach((request, i) => {
      const runnerFirst = (i + round) % 2 === 0;
      let a: [unknown, number];
      let b: [unknown, number];
      if (runnerFirst) {
        b = timed(() => runner.run(request));
        a = timed(() => runProbe(request, { registry }));
      } else {
        a = timed(() => runProbe(request, { registry }));
        b = timed(() => runner.run(request));
      }
      probeMs.push(a[1]);
      runnerMs.push(b[1]);
      ratios.push(a[1] / b[1]);
      if (JSON.stringify(a[0]) !== JSON.stringify(b[0])) same = false;
    });
  }
  allSame &&= same;
  all.probe.push(...probeMs);
  all.runner.push(...runnerMs);
  out(
    `${scenario.name.padEnd(42)} ${String(scenario.requests.length).padStart(8)}  ${ms(median(probeMs)).padStart(15)} ${ms(quantile(probeMs, 0.95))}  ${ms(median(runnerMs)).padStart(13)} ${ms(quantile(runnerMs, 0.95))}  ${median(ratios).toFixed(2)}x [${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}]  ${same ? 'yes' : 'NO'}`,
  );
}
out(
  `${'all requests'.padEnd(42)} ${String(all.probe.length / rounds).padStart(8)}  ${ms(median(all.probe)).padStart(15)} ${ms(quantile(all.probe, 0.95))}  ${ms(median(all.runner)).padStart(13)} ${ms(quantile(all.runner, 0.95))}`,
);
out();
out(
  `load average at end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
out('ms per request (wall clock, GC excluded); ratio = runProbe / runner time per request, > 1 = runner faster.');
if (!allSame) {
  out('ERROR: the runner and runProbe gave different reports.');
  process.exitCode = 1;
}
