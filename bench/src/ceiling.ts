/**
 * The ceiling the kernel table is read against, measured in the same rounds as the kernels: the
 * wasm kernels' own 4 × 4 register tile (per step of the sum, two f64x2 loads of B, four
 * broadcasts of A, eight `f64x2.mul` and eight `f64x2.add` into eight accumulators, as
 * `packages/core/wasm/generate.ts` emits for gemmTNAdd and gemmNT) looping over 2 KB of operands
 * that never leave L1. No packing, no copies, no cache misses, no tile edges: what the core's
 * multiply and add ports allow a wasm f64x2 kernel without FMA, on this machine, right now.
 *
 * Why it is in the table (decision 0058): the ≥ 20 GF/s target was set on a machine whose ceiling
 * was ~27 GF/s (2 mul + 2 add per cycle, `../shared/WASM-TRIAL.md` §4). A core that issues 3 of
 * mul and add per cycle, such as the Intel cores of later sessions, peaks at ~21–23 GF/s: there the
 * target is ~90% of the ceiling, and "MISS" by 0.2 GF/s says more about the machine than about the
 * kernels. The column "of ceiling" says how much of what the machine allows each kernel gets,
 * memory traffic, copies and packing included.
 */
import wabt from 'wabt';

const ROWS = 4;
const VECS = 2;
/** Steps of the sum per pass over the operand ring: 32 · (32 + 32) bytes = 2 KB, in L1. */
const STEPS = 32;
/** Passes per call: one call is about as long as a 64³ kernel call (~25 µs). */
export const CEILING_PASSES = 512;
/** Entries of the operand ring (A's broadcasts, then B's vectors), filled before the loop runs. */
export const CEILING_FILL = (8 * ROWS * STEPS + 16 * VECS * STEPS) / 8;
/** Flops per call: 2 per multiply-add, 2 lanes, ROWS × VECS accumulators, STEPS · PASSES steps. */
export const CEILING_FLOPS = 2 * 2 * ROWS * VECS * STEPS * CEILING_PASSES;

function wat(): string {
  const accs: string[] = [];
  for (let r = 0; r < ROWS; r++) for (let v = 0; v < VECS; v++) accs.push(`acc${r}_${v}`);
  const step: string[] = [];
  for (let v = 0; v < VECS; v++) step.push(`(local.set $b${v} (v128.load offset=${16 * v} (local.get $bp)))`);
  for (let r = 0; r < ROWS; r++) {
    step.push(`(local.set $x (v128.load64_splat offset=${8 * r} (local.get $ap)))`);
    for (let v = 0; v < VECS; v++) {
      step.push(
        `(local.set $acc${r}_${v} (f64x2.add (local.get $acc${r}_${v}) (f64x2.mul (local.get $x) (local.get $b${v}))))`,
      );
    }
  }
  // The sum of the accumulators is returned, so no engine can drop the loop as dead code.
  const total = accs.slice(1).reduce((sum, a) => `(f64x2.add ${sum} (local.get $${a}))`, `(local.get $${accs[0]})`);
  return `(module
  (memory (export "memory") 1)
  (func (export "tile") (param $passes i32) (result f64)
    ${[...accs, ...Array.from({ length: VECS }, (_, v) => `b${v}`), 'x'].map((l) => `(local $${l} v128)`).join(' ')}
    (local $ap i32) (local $bp i32) (local $t i32)
    (loop $pass
      (local.set $ap (i32.const 0))
      (local.set $bp (i32.const ${8 * ROWS * STEPS}))
      (local.set $t (i32.const ${STEPS}))
      (loop $steps
        ${step.join('\n        ')}
        (local.set $ap (i32.add (local.get $ap) (i32.const ${8 * ROWS})))
        (local.set $bp (i32.add (local.get $bp) (i32.const ${16 * VECS})))
        (br_if $steps (local.tee $t (i32.sub (local.get $t) (i32.const 1)))))
      (br_if $pass (local.tee $passes (i32.sub (local.get $passes) (i32.const 1)))))
    (f64x2.extract_lane 0 ${total})))`;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: object,
  ) => { exports: { memory: { buffer: ArrayBuffer }; tile: (passes: number) => number } };
}

/** The ceiling module's bytes (assembled with the pinned wabt, as core's kernels are). */
export async function ceilingBytes(): Promise<Uint8Array> {
  const tool = await wabt();
  const mod = tool.parseWat('ceiling.wat', wat(), { simd: true });
  try {
    mod.validate();
    return mod.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    mod.destroy();
  }
}

/**
 * One call of the ceiling loop ({@link CEILING_FLOPS} flops). The operands are small normal
 * numbers (1e-3): the sums stay far from overflow and from subnormals, whose assists would slow
 * the loop. The Chromium bench's page builds the same closure (`ceilingRun` in src/browser.ts).
 */
export function ceilingRun(bytes: Uint8Array): () => number {
  // The bench compiles without DOM types, and @types/node does not declare the WebAssembly global.
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const { memory, tile } = new api.Instance(new api.Module(bytes), {}).exports;
  new Float64Array(memory.buffer, 0, CEILING_FILL).fill(1e-3);
  checkWork(tile(CEILING_PASSES));
  return () => tile(CEILING_PASSES);
}

/**
 * The loop's result is lane 0 of the eight accumulators' sum: each took STEPS · PASSES products
 * 1e-3 · 1e-3. Unless it matches, CEILING_FLOPS does not count the work the loop did (a step
 * skipped, an accumulator dropped), and the column would be wrong; the bench stops instead.
 */
export function checkWork(result: number): void {
  const expected = ROWS * VECS * STEPS * CEILING_PASSES * 1e-6;
  if (!(Math.abs(result - expected) <= 1e-9 * expected)) {
    throw new Error(`ceiling loop: sum ${result}, expected ${expected}: its flop count does not match its work`);
  }
}
