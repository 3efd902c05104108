/**
 * What the copy path costs: each kernel of the bench's kernel table (same shapes, same operands),
 * timed as the full call through `WasmKernels` and as the bare wasm call that wrapper makes, with
 * the operands already staged. The bare call's arguments are the wrapper's own, captured from it,
 * so the layout, scratch and packing choices cannot drift from what the engine runs. Rounds are
 * interleaved and their order rotates; each line gives median GF/s and the copies' share of the
 * full call (1 − bare / full time, median over rounds).
 *
 * This is what operands in ordinary arrays pay, and what the engine's own buffers save: they live
 * in wasm regions, where the same products run in place (decision 0059). A third column times the
 * full call on such buffers (`regionBuffer`): it should match the bare call.
 *
 * Run: `pnpm --filter @gradlab/core measure:copies` (add `--clock=cpu` for thread CPU time,
 * which leaves out time other processes ran; its 4 ms ticks need blocks of ≥ 100 ms).
 */
import { instantiateKernels, regionBuffer } from '../src/wasm/kernels.ts';

const cpu = process.argv.includes('--clock=cpu');
const now = () => {
  if (!cpu) return performance.now();
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1e3;
};
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;

const made = instantiateKernels();
if (!('kernels' in made)) throw new Error(`no wasm kernels here: ${made.reason}`);
const wk = made.kernels;
// The exports the wrapper calls; swapped for a recorder for one call to capture its arguments.
const slot = wk as unknown as { ex: Record<string, unknown> };
const exports = slot.ex;

function bare(kernel: 'gemmAdd' | 'gemmTNAdd' | 'gemmNT', full: () => void): () => void {
  const f = exports[kernel] as (...args: number[]) => void;
  let args: number[] | undefined;
  slot.ex = { ...exports, [kernel]: (...a: number[]) => f(...(args = a)) };
  try {
    full();
  } finally {
    slot.ex = exports;
  }
  if (!args) throw new Error(`${kernel}: the wrapper made no wasm call`);
  const captured = args;
  return () => f(...captured);
}

const blockMs = cpu ? 100 : 20;
console.log(
  `clock: ${cpu ? 'thread CPU time' : 'wall'}; load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const [b, i, o] of [
  [64, 64, 64],
  [128, 256, 256],
  [256, 256, 256],
]) {
  // The bench's operands (bench/src/kernels.ts): x·W, xᵀ·δ and δ·Wᵀ of a dense layer.
  const x = Float64Array.from({ length: b * i }, (_, n) => Math.sin(n) * 0.5);
  const w = Float64Array.from({ length: i * o }, (_, n) => Math.cos(n) * 0.5);
  const d = Float64Array.from({ length: b * o }, (_, n) => Math.sin(n * 0.7) * 0.5);
  const gw = new Float64Array(i * o);
  const z = new Float64Array(b * o);
  const dx = new Float64Array(b * i);
  const flops = 2 * b * i * o;
  const calls = {
    gemmAdd: () => wk.gemmAdd(x, 0, i, w, 0, o, z, 0, o, b, i, o),
    gemmTNAdd: () => wk.gemmTNAdd(x, 0, i, d, 0, o, gw, 0, o, b, i, o),
    gemmNT: () => wk.gemmNT(d, 0, o, w, 0, o, dx, 0, i, b, o, i, false),
  };
  // The same operands in a region: the wrapper runs these products in place.
  const inRegion = (a: Float64Array) => {
    const r = regionBuffer(a.length);
    if (!r) throw new Error('no wasm region here');
    r.set(a);
    return r;
  };
  const [rx, rw, rd, rgw, rz, rdx] = [x, w, d, gw, z, dx].map(inRegion);
  const inPlace = {
    gemmAdd: () => wk.gemmAdd(rx, 0, i, rw, 0, o, rz, 0, o, b, i, o),
    gemmTNAdd: () => wk.gemmTNAdd(rx, 0, i, rd, 0, o, rgw, 0, o, b, i, o),
    gemmNT: () => wk.gemmNT(rd, 0, o, rw, 0, o, rdx, 0, i, b, o, i, false),
  };
  for (const kernel of ['gemmAdd', 'gemmTNAdd', 'gemmNT'] as const) {
    const runs = [calls[kernel], bare(kernel, calls[kernel]), inPlace[kernel]];
    for (const run of runs) for (let q = 0; q < 20; q++) run();
    // Block size from a wall-clock estimate (the CPU clock's ticks are too coarse for one call).
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 50) {
      runs[0]!();
      n++;
    }
    const reps = Math.ceil(blockMs / ((performance.now() - t0) / n));
    const times: number[][] = [[], [], []];
    const shares: number[] = [];
    for (let round = 0; round < 15; round++) {
      for (const e of [0, 1, 2].map((q) => (q + round) % 3)) {
        const s = now();
        for (let q = 0; q < reps; q++) runs[e]!();
        times[e]!.push((now() - s) / reps);
      }
      shares.push(1 - times[1]!.at(-1)! / times[0]!.at(-1)!);
    }
    const gf = times.map((t) => (flops / median(t) / 1e6).toFixed(1));
    console.log(
      `${`${b}x${i}x${o}`.padEnd(12)} ${kernel.padEnd(10)} full ${gf[0]!.padStart(5)} GF/s  bare ${gf[1]!.padStart(5)}  in place ${gf[2]!.padStart(5)}  copies ${(100 * median(shares)).toFixed(1)}% of the full call`,
    );
  }
}
