/**
 * `pnpm --filter @gradlab/bench bench:probes-ab <dist A> <dist B> [shape] [act] [rounds]`: two builds
 * of @gradlab/probes in one process, their probe overhead measured alternately (A, B, then B, A, …)
 * with the bench's own `probeOverhead` and the thread CPU clock. Separate runs of one build differ
 * by ±0.03 on 50×32 b32 (decision 0055), more than most single changes move it; alternating in
 * one process takes the machine's drift out of the comparison.
 *
 * A and B are copies of a built `packages/probes/dist` kept inside `packages/probes`, so that their
 * imports resolve from the package's node_modules: `cp -r packages/probes/dist packages/probes/ab-a`
 * before a change, `…/ab-b` after it (git ignores `packages/probes/ab-*`). Shape is `50x32b32` (the
 * default), `20x64b64` or `10x256b128`; act is relu (the default) or sigmoid.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Pluggable } from '@gradlab/core';
import type { ActivationId, Shape } from './gradlab.ts';
import { type ProbesAvailable, probeOverhead } from './probes.ts';
import { median, useClock } from './stats.ts';

const USAGE = 'usage: bench:probes-ab <dist A> <dist B> [50x32b32|20x64b64|10x256b128] [relu|sigmoid] [rounds ≥ 2]';

async function load(dir: string): Promise<ProbesAvailable> {
  const url = pathToFileURL(resolve(dir, 'index.js')).href;
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    throw new Error(
      `cannot import ${dir}/index.js (${why}): copy a built dist into packages/probes, as ab-a/. ${USAGE}`,
    );
  }
  const defs = mod.default;
  if (!Array.isArray(defs) || defs.length === 0)
    throw new Error(`${dir}/index.js has no default export of probe definitions`);
  return { plugins: defs as Pluggable, ids: defs.map((d: { meta: { id: string } }) => d.meta.id) };
}

function parseShape(text: string): Shape {
  const m = /^(\d+)x(\d+)b(\d+)$/.exec(text);
  if (!m) throw new Error(`shape "${text}": expected depth x width b batch, as 50x32b32. ${USAGE}`);
  return { depth: Number(m[1]), width: Number(m[2]), batch: Number(m[3]) };
}

const [a, b, shapeText = '50x32b32', act = 'relu', roundsText = '8'] = process.argv.slice(2);
if (!a || !b) {
  console.error(USAGE);
  process.exit(1);
}
if (act !== 'relu' && act !== 'sigmoid') {
  console.error(`activation "${act}": expected relu or sigmoid. ${USAGE}`);
  process.exit(1);
}
const rounds = Number(roundsText);
if (!Number.isInteger(rounds) || rounds < 2) {
  console.error(`rounds "${roundsText}": expected an integer ≥ 2. ${USAGE}`);
  process.exit(1);
}
let shape: Shape;
let builds: Record<'A' | 'B', ProbesAvailable>;
try {
  shape = parseShape(shapeText);
  builds = { A: await load(a), B: await load(b) };
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
useClock('cpu');
const budget = { ms: 1500, minRounds: 6, maxRounds: 200, blockMs: 40, variantRounds: 0, warmupMs: 200 };
const ratios: Record<'A' | 'B', number[]> = { A: [], B: [] };
for (let i = 0; i < rounds; i++) {
  for (const k of i % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const)) {
    ratios[k].push(probeOverhead(shape, act as ActivationId, builds[k], budget).ratio.median);
    console.error(`  round ${i + 1}/${rounds} ${k}: ${ratios[k].at(-1)!.toFixed(3)}`);
  }
}
for (const k of ['A', 'B'] as const)
  console.log(
    `${k} ${k === 'A' ? a : b}: median ${median(ratios[k]).toFixed(3)} (${ratios[k].map((r) => r.toFixed(3)).join(' ')})`,
  );
console.log(`${shapeText} ${act}, thread CPU clock; B − A = ${(median(ratios.B) - median(ratios.A)).toFixed(3)}`);
