import { afterEach, describe, expect, it } from 'vitest';
import { engineBuffer, useKernels } from '../src/kernels.ts';
import { gemmAdd, gemmNT, gemmTNAdd } from '../src/matrix.ts';
import { createRng } from '../src/rng.ts';
import { engineRegion, instantiateKernels, regionBuffer, type WasmKernels } from '../src/wasm/kernels.ts';

/**
 * Products in place (decision 0059): operands carved from a wasm region run without copies. They
 * must give the JS kernels' bits, take the copy path whenever in place would read what it writes,
 * never hand out a dirty buffer, and never detach a view. The JS kernels (checked against a naive
 * triple loop in matrix.test.ts) run on plain copies of the same operands: the independent side.
 */
const rng = createRng('wasm-regions');
const SPECIALS = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 5e-324, -2.5e-310];

/**
 * A fresh copying instance per test, its memory filled with a sentinel bit pattern: the copy path
 * stages operands from byte 0 on, so {@link untouched} fails as soon as one product took it.
 */
const SENTINEL = 0x7ff4_dead_beef_0001n; // a signalling-NaN pattern that no operand here has
function copier(): WasmKernels {
  const made = instantiateKernels();
  if (!('kernels' in made)) throw new Error(`wasm kernels unavailable in the test runtime: ${made.reason}`);
  new BigUint64Array(made.kernels.heap.buffer).fill(SENTINEL);
  return made.kernels;
}
/** Whether the copying instance's memory still holds only the sentinel (and never grew). */
function untouched(w: WasmKernels): boolean {
  return w.bytes === 65536 && new BigUint64Array(w.heap.buffer).every((x) => x === SENTINEL);
}

function fill(a: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) {
    const u = rng.next();
    a[i] = u < 0.03 ? SPECIALS[rng.int(SPECIALS.length)] : u < 0.1 ? rng.normal() * 1e-300 : rng.normal();
  }
  return a;
}

/** A region buffer of `length` values (random unless `zero`). */
function carved(length: number, zero = false): Float64Array {
  const b = regionBuffer(length);
  if (!b) throw new Error('no region here');
  return zero ? b : fill(b);
}

/** Same 64-bit patterns, except that any NaN matches any NaN (payloads are not promised). */
function expectSameBits(js: Float64Array, w: Float64Array, what: string) {
  expect(w.length, what).toBe(js.length);
  const a = new BigUint64Array(js.slice().buffer);
  const b = new BigUint64Array(w.slice().buffer);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(js[i]) || Number.isNaN(w[i]))
      expect(Number.isNaN(js[i]) && Number.isNaN(w[i]), `${what} [${i}]`).toBe(true);
    else if (a[i] !== b[i]) expect.fail(`${what}: [${i}] js ${js[i]} in place ${w[i]}`);
  }
}

type Kind = 'gemmAdd' | 'gemmTNAdd' | 'gemmNT';
/** Rows × cols of A, B and C for (m, k, n) in each kernel's argument order. */
const SHAPES: Record<Kind, (m: number, k: number, n: number) => [number, number][]> = {
  gemmAdd: (m, k, n) => [
    [m, k],
    [k, n],
    [m, n],
  ],
  gemmTNAdd: (m, k, n) => [
    [m, k],
    [m, n],
    [k, n],
  ],
  gemmNT: (m, k, n) => [
    [m, k],
    [n, k],
    [m, n],
  ],
};
const JS = { gemmAdd, gemmTNAdd, gemmNT };

interface Operand {
  data: Float64Array;
  off: number;
  ld: number;
}

/** Operands with random offsets and padded leading dimensions, carved from a region. */
function operands(kind: Kind, m: number, k: number, n: number): Operand[] {
  return SHAPES[kind](m, k, n).map(([rows, cols]) => {
    const off = rng.int(5);
    const ld = cols + rng.int(3);
    return { off, ld, data: carved(off + rows * ld + rng.int(3)) };
  });
}

/**
 * Runs `kind` through `k` (C updated where it is) and the JS kernel on plain copies; compares C.
 * `init` (gemmAdd, gemmTNAdd) is a start row; `accumulate` (gemmNT) adds C's old values.
 */
function compare(w: WasmKernels, kind: Kind, ops: Operand[], m: number, k: number, n: number, init?: Float64Array) {
  const [A, B, C] = ops;
  const cj = C.data.slice();
  const accumulate = rng.next() < 0.5;
  const call = (
    f: typeof gemmAdd | typeof gemmNT,
    a: Float64Array,
    b: Float64Array,
    c: Float64Array,
    i?: Float64Array,
  ) =>
    kind === 'gemmNT'
      ? (f as typeof gemmNT)(a, A.off, A.ld, b, B.off, B.ld, c, C.off, C.ld, m, k, n, accumulate)
      : (f as typeof gemmAdd)(a, A.off, A.ld, b, B.off, B.ld, c, C.off, C.ld, m, k, n, i);
  call(JS[kind], A.data.slice(), B.data.slice(), cj, init?.slice());
  call(w[kind], A.data, B.data, C.data, init);
  expectSameBits(cj, C.data, `${kind} m=${m} k=${k} n=${n}${init ? ' +init' : ''}`);
}

afterEach(() => {
  useKernels('auto');
});

describe('products in place (operands in a wasm region)', () => {
  it('give the JS kernels’ bits on random shapes, offsets, leading dimensions and specials, without a copy', () => {
    const w = copier();
    for (let t = 0; t < 150; t++) {
      const kind = (['gemmAdd', 'gemmTNAdd', 'gemmNT'] as const)[t % 3];
      const [m, k, n] = [1 + rng.int(40), 1 + rng.int(40), 1 + rng.int(40)];
      const ops = operands(kind, m, k, n);
      // A start row in the region, staged from a plain array, or none.
      const init = kind === 'gemmNT' ? undefined : [undefined, carved(n), fill(new Float64Array(n))][t % 3];
      compare(w, kind, ops, m, k, n, init);
    }
    // Nothing went through the copying instance: its memory holds only the sentinel.
    expect(untouched(w)).toBe(true);
  });

  it('pack in the region’s free tail on wide shapes (m ≥ 64, k and n ≥ 128), with the same bits, still without a copy', () => {
    const w = copier();
    for (const kind of ['gemmAdd', 'gemmTNAdd', 'gemmNT'] as const) {
      for (const [m, k, n] of [
        [64, 128, 128],
        [67, 131, 137],
      ]) {
        compare(w, kind, operands(kind, m, k, n), m, k, n, kind === 'gemmNT' ? undefined : carved(n));
      }
    }
    expect(untouched(w)).toBe(true);
  });

  // In place, each of these would read what it writes or address the wrong memory: their bits
  // equal to separate copies' show they took the copy path.
  it('take the copy path when C overlaps A or the start row, or the operands sit in two regions: the results of separate copies', () => {
    const w = copier();
    const [m, k, n] = [6, 5, 7];
    // One buffer holds A (m×k) and C (m×n), overlapping by 10 entries.
    const shared = carved(m * k + m * n - 10);
    const B = carved(k * n);
    const cj = shared.slice(m * k - 10);
    gemmAdd(shared.slice(0, m * k), 0, k, B.slice(), 0, n, cj, 0, n, m, k, n);
    w.gemmAdd(shared, 0, k, B, 0, n, shared, m * k - 10, n, m, k, n);
    expectSameBits(cj, shared.slice(m * k - 10), 'C over A');
    // The start row is C's own first row: JS sets every row to it before summing.
    const C = carved(m * n);
    const A = carved(m * k);
    const cj2 = C.slice();
    gemmAdd(A.slice(), 0, k, B.slice(), 0, n, cj2, 0, n, m, k, n, C.slice(0, n));
    w.gemmAdd(A, 0, k, B, 0, n, C, 0, n, m, k, n, C.subarray(0, n));
    expectSameBits(cj2, C, 'init = C’s first row');
    // A in a region of its own (larger than a region: it gets its own), B and C in the current one.
    const big = carved((16 << 20) / 8 + 8);
    const B3 = carved(k * n);
    const C3 = carved(m * n);
    expect(big.buffer === B3.buffer || C3.buffer !== B3.buffer).toBe(false);
    const cj3 = C3.slice();
    gemmAdd(big.slice(0, m * k), 0, k, B3.slice(), 0, n, cj3, 0, n, m, k, n);
    w.gemmAdd(big, 0, k, B3, 0, n, C3, 0, n, m, k, n);
    expectSameBits(cj3, C3, 'two regions');
    expect(untouched(w)).toBe(false); // these took the copy path
  });

  it('never hand out a buffer that a product in place wrote into: staged start rows and scratch are cleared', () => {
    const w = copier();
    // A wide product stages a plain start row and packs its scratch after the carved buffers.
    const [m, k, n] = [64, 128, 128];
    const A = carved(m * k);
    const B = carved(k * n);
    const C = carved(m * n);
    w.gemmAdd(A, 0, k, B, 0, n, C, 0, n, m, k, n, fill(new Float64Array(n)).fill(3));
    // The next buffers come from where the start row and the packed panels were.
    const next = carved(n + k * n, true);
    expect(next.every((x) => Object.is(x, 0))).toBe(true);
  });

  it('never detach a view: full regions are left as they are and new ones start, each view keeps its length and values', () => {
    const views: Float64Array[] = [];
    // 40 MB in 5 MB buffers: at least three regions of 16 MB.
    for (let i = 0; i < 8; i++) {
      const v = carved((5 << 20) / 8, true);
      v[0] = i;
      v[v.length - 1] = -i;
      views.push(v);
    }
    expect(new Set(views.map((v) => v.buffer)).size).toBeGreaterThanOrEqual(3);
    views.forEach((v, i) => {
      expect(v.length).toBe((5 << 20) / 8);
      expect([v[0], v[v.length - 1]]).toEqual([i, -i]);
    });
  });
});

describe('engineBuffer', () => {
  it('is a zeroed region buffer with the wasm kernels, an ordinary array with the JS ones', () => {
    useKernels('wasm');
    const inRegion = engineBuffer(5);
    expect(inRegion.buffer.byteLength).toBeGreaterThanOrEqual(16 << 20);
    expect(Array.from(inRegion)).toEqual([0, 0, 0, 0, 0]);
    useKernels('js');
    expect(engineBuffer(5).buffer.byteLength).toBe(40);
  });

  it("engineRegion names a region buffer's memory and a free end that no buffer is ever carved from; undefined for others", () => {
    useKernels('wasm');
    const first = engineBuffer(8);
    const region = engineRegion(first)!;
    const memory = region.memory as { buffer: ArrayBuffer };
    expect(memory.buffer).toBe(first.buffer);
    // Fill the region until a buffer no longer fits (the next starts a region of its own): every
    // one carved from it ends at or below the free end.
    const views = [first];
    for (let v = engineBuffer(1 << 16); v.buffer === first.buffer; v = engineBuffer(1 << 16)) views.push(v);
    for (const v of views) expect(v.byteOffset + v.byteLength).toBeLessThanOrEqual(region.free);
    // The end is 2 MB (REGION_TAIL): room for the statistics' results and scratch.
    expect(memory.buffer.byteLength - region.free).toBe(2 << 20);
    expect(engineRegion(new Float64Array(8))).toBeUndefined();
    useKernels('js');
    expect(engineRegion(engineBuffer(8))).toBeUndefined();
  });

  it('puts a buffer too large for a shared region in a region of its own, and the next small one back in the shared one', () => {
    useKernels('wasm');
    const small = engineBuffer(8);
    // 15 MB and the largest length a shared 16 MB region could not take: each gets its own region.
    for (const length of [(15 << 20) / 8, ((16 << 20) - (2 << 20)) / 8 - 7]) {
      const big = engineBuffer(length);
      expect(engineRegion(big), `length ${length}`).toBeDefined();
      expect(big.buffer).not.toBe(small.buffer);
      expect(big.buffer.byteLength).toBeGreaterThanOrEqual(big.byteLength + (2 << 20));
      expect([big[0], big[length - 1]]).toEqual([0, 0]);
      expect(engineBuffer(8).buffer).toBe(small.buffer);
    }
  });

  it('refuses a length that is not a whole number ≥ 0, naming it, on both kernel sets', () => {
    for (const mode of ['wasm', 'js'] as const) {
      useKernels(mode);
      for (const bad of [-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])
        expect(() => engineBuffer(bad)).toThrow(
          `engineBuffer(length): length must be a whole number ≥ 0 (received ${bad})`,
        );
    }
  });
});
