/**
 * The kernel table: the three products of a dense layer (x·W, xᵀ·δ, δ·Wᵀ) with the JavaScript
 * kernels and the wasm SIMD kernels, in interleaved rounds, as GF/s (2·m·k·n flops per product).
 * Both sets come from @gradlab/core's `activeKernels()`, selected with useKernels. Each round also
 * times the machine's ceiling (src/ceiling.ts), so every row says what share of it the kernel gets.
 */
import { activeKernels, engineBuffer, useKernels } from '@gradlab/core';
import { CEILING_FLOPS } from './ceiling.ts';
import { collectGarbage, estimate, median, quantile, repsFor, timeBlock } from './stats.ts';

export type KernelId = 'gemmAdd' | 'gemmTNAdd' | 'gemmNT';
export const KERNEL_IDS: readonly KernelId[] = ['gemmAdd', 'gemmTNAdd', 'gemmNT'];
/** batch × in × out of a dense layer: gemmAdd is x[b×in]·W[in×out], gemmTNAdd xᵀ·δ, gemmNT δ·Wᵀ. */
export const KERNEL_SHAPES: readonly [number, number, number][] = [
  [64, 64, 64],
  [128, 256, 256],
  [256, 256, 256],
  [32, 32, 32],
];
export const KERNEL_TARGET_GFLOPS = 20;
/** The target applies from 64³ to 256³; smaller shapes are shown for information. */
export const kernelTargetApplies = ([b, i, o]: readonly number[]) => Math.min(b, i, o) >= 64;

export interface KernelRow {
  readonly shape: readonly [number, number, number];
  readonly kernel: KernelId;
  readonly jsGflops: number;
  readonly wasmGflops: number;
  /** Median per-round js time / wasm time. */
  readonly ratio: { median: number; p25: number; p75: number };
  /** The ceiling loop's GF/s (median over this row's rounds). */
  readonly ceilingGflops: number;
  /** Median per-round wasm GF/s / ceiling GF/s. */
  readonly ofCeiling: number;
  readonly rounds: number;
}

type AnyKernel = (...args: never[]) => void;

/** An engine buffer (core's `engineBuffer`, as a session's layers have) holding f(0), f(1), … */
function buffer(length: number, f: (n: number) => number = () => 0): Float64Array {
  const out = engineBuffer(length);
  for (let n = 0; n < length; n++) out[n] = f(n);
  return out;
}

/**
 * The operands live where a session's do: in engine buffers, which sit in a wasm region while the
 * wasm kernels are active, so the wasm products run in place without copies (decision 0059).
 */
function caller(kernel: KernelId, f: AnyKernel, [b, i, o]: readonly number[]): () => void {
  const x = buffer(b * i, (n) => Math.sin(n) * 0.5);
  const w = buffer(i * o, (n) => Math.cos(n) * 0.5);
  const d = buffer(b * o, (n) => Math.sin(n * 0.7) * 0.5);
  const gw = buffer(i * o);
  const z = buffer(b * o);
  const dx = buffer(b * i);
  const g = f as unknown as (...args: unknown[]) => void;
  if (kernel === 'gemmAdd') return () => g(x, 0, i, w, 0, o, z, 0, o, b, i, o);
  if (kernel === 'gemmTNAdd') return () => g(x, 0, i, d, 0, o, gw, 0, o, b, i, o);
  return () => g(d, 0, o, w, 0, o, dx, 0, i, b, o, i, false);
}

export function kernelTable(
  budgetMs: number,
  blockMs: number,
  ceiling: () => unknown,
  log: (line: string) => void,
): KernelRow[] {
  useKernels('js');
  const js = activeKernels();
  useKernels('wasm');
  const wasm = activeKernels();
  useKernels('auto');
  const rows: KernelRow[] = [];
  for (const shape of KERNEL_SHAPES) {
    const flops = 2 * shape[0] * shape[1] * shape[2];
    for (const kernel of KERNEL_IDS) {
      const runs = [caller(kernel, js[kernel], shape), caller(kernel, wasm[kernel], shape), ceiling];
      const reps = runs.map((r) => repsFor(estimate(r, 150), blockMs));
      const samples: number[][] = [[], [], []];
      const ratios: number[] = [];
      const shares: number[] = [];
      const t0 = performance.now();
      while (ratios.length < 5 || (performance.now() - t0 < budgetMs && ratios.length < 200)) {
        // Rotate the order, so that no run always follows the same one.
        const order = [0, 1, 2].map((e) => (e + ratios.length) % 3);
        for (const e of order) {
          collectGarbage();
          samples[e].push(timeBlock(runs[e], reps[e]));
        }
        ratios.push(samples[0].at(-1)! / samples[1].at(-1)!);
        shares.push(flops / samples[1].at(-1)! / (CEILING_FLOPS / samples[2].at(-1)!));
      }
      const row: KernelRow = {
        shape,
        kernel,
        jsGflops: flops / median(samples[0]) / 1e6,
        wasmGflops: flops / median(samples[1]) / 1e6,
        ratio: { median: median(ratios), p25: quantile(ratios, 0.25), p75: quantile(ratios, 0.75) },
        ceilingGflops: CEILING_FLOPS / median(samples[2]) / 1e6,
        ofCeiling: median(shares),
        rounds: ratios.length,
      };
      log(
        `  ${shape.join('x')} ${kernel}: js ${row.jsGflops.toFixed(1)}, wasm ${row.wasmGflops.toFixed(1)}, ceiling ${row.ceilingGflops.toFixed(1)} GF/s`,
      );
      rows.push(row);
    }
  }
  return rows;
}
