import { afterEach, describe, expect, it, vi } from 'vitest';
import { kernelStatus, useKernels } from '../src/kernels.ts';
import { gemmAdd, gemmNT, gemmTNAdd } from '../src/matrix.ts';
import { createRng } from '../src/rng.ts';
import { createSession } from '../src/session.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import { instantiateKernels, instantiateSimd, type WasmKernels } from '../src/wasm/kernels.ts';
import { KERNELS_WASM_HEX } from '../src/wasm/module.generated.ts';
import { assemble } from '../wasm/assemble.ts';
import { bytes, testRegistry } from './helpers.ts';

/**
 * The wasm SIMD kernels against the JavaScript kernels of matrix.ts, compared as 64-bit
 * patterns: a reordered sum or a fused multiply-add would change last bits and fail. The JS
 * kernels themselves are checked against a naive triple loop in matrix.test.ts, so this is the
 * independent side. NaN: positions must match; payload bits are not promised (see README).
 */
const made = instantiateKernels();
if (!('kernels' in made)) throw new Error(`wasm kernels unavailable in the test runtime: ${made.reason}`);
const wasm: WasmKernels = made.kernels;

const rng = createRng('wasm-kernels');
const SPECIALS = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 5e-324, -2.5e-310, 1e308];

/** Mostly ordinary values; some tiny (products underflow to subnormals or zero), some special. */
function values(n: number, specials: boolean): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    if (specials && u < 0.03) a[i] = SPECIALS[rng.int(SPECIALS.length)];
    else if (u < 0.12) a[i] = rng.normal() * 10 ** -(150 + rng.int(160));
    else a[i] = rng.normal();
  }
  return a;
}

/** Equal as bit patterns, except that any NaN matches any NaN (payloads are not promised). */
function expectSameBits(js: Float64Array, w: Float64Array, what: string) {
  const a = new BigUint64Array(js.buffer, js.byteOffset, js.length);
  const b = new BigUint64Array(w.buffer, w.byteOffset, w.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(js[i]) || Number.isNaN(w[i])) {
      if (Number.isNaN(js[i]) !== Number.isNaN(w[i])) expect.fail(`${what}: NaN at [${i}] on one path only`);
    } else if (a[i] !== b[i]) {
      expect.fail(`${what}: [${i}] js ${js[i]} (0x${a[i].toString(16)}) wasm ${w[i]} (0x${b[i].toString(16)})`);
    }
  }
}

/** `+init`: C's rows start from a row of n values (a bias, or zeros), and the wasm kernel never reads C. */
type Kind = 'gemmAdd' | 'gemmAdd+init' | 'gemmTNAdd' | 'gemmTNAdd+init' | 'gemmNT' | 'gemmNT+';
const KINDS: readonly Kind[] = ['gemmAdd', 'gemmAdd+init', 'gemmTNAdd', 'gemmTNAdd+init', 'gemmNT', 'gemmNT+'];

/** Operand shapes [rows, cols] of A, B and C for the kernel's (m, k, n) argument order. */
function shapes(kind: Kind, m: number, k: number, n: number): [number, number][] {
  if (kind === 'gemmAdd' || kind === 'gemmAdd+init')
    return [
      [m, k],
      [k, n],
      [m, n],
    ];
  if (kind === 'gemmTNAdd' || kind === 'gemmTNAdd+init')
    return [
      [m, k],
      [m, n],
      [k, n],
    ];
  return [
    [m, k],
    [n, k],
    [m, n],
  ]; // gemmNT(m, n=k here, k=n here): A m×k, B n×k, C m×n
}

function compare(kind: Kind, m: number, k: number, n: number, strided: boolean, specials: boolean) {
  const ops = shapes(kind, m, k, n).map(([rows, cols]) => {
    const off = strided ? rng.int(6) : 0;
    const ld = cols + (strided ? rng.int(4) : 0);
    return { off, ld, data: values(off + rows * ld + (strided ? rng.int(3) : 0), specials) };
  });
  const [A, B, C] = ops;
  const cj = C.data.slice();
  const cw = C.data.slice();
  // C holds other values than init (its gaps must come back unchanged); specials go into init too.
  const init = kind.endsWith('+init') ? values(n, specials) : undefined;
  const run = (f: typeof gemmAdd, c: Float64Array) =>
    f(A.data, A.off, A.ld, B.data, B.off, B.ld, c, C.off, C.ld, m, k, n, init);
  const nt = (f: typeof gemmNT, c: Float64Array) =>
    f(A.data, A.off, A.ld, B.data, B.off, B.ld, c, C.off, C.ld, m, k, n, kind === 'gemmNT+');
  if (kind === 'gemmAdd' || kind === 'gemmAdd+init') {
    run(gemmAdd, cj);
    run(wasm.gemmAdd, cw);
  } else if (kind === 'gemmTNAdd' || kind === 'gemmTNAdd+init') {
    run(gemmTNAdd, cj);
    run(wasm.gemmTNAdd, cw);
  } else {
    nt(gemmNT, cj);
    nt(wasm.gemmNT, cw);
  }
  expectSameBits(cj, cw, `${kind} m=${m} k=${k} n=${n} strided=${strided}`);
}

describe('wasm kernels are bit-identical to the JavaScript kernels', () => {
  it('on 300 random shapes 1..23 per kernel, with offsets, padded leading dimensions and tiny values', () => {
    for (let t = 0; t < 300; t++) {
      const [m, k, n] = [1 + rng.int(23), 1 + rng.int(23), 1 + rng.int(23)];
      for (const kind of KINDS) compare(kind, m, k, n, t % 2 === 1, false);
    }
  });

  it('with zeros, signed zeros, infinities, NaN and subnormals in the inputs', () => {
    for (let t = 0; t < 200; t++) {
      const [m, k, n] = [1 + rng.int(13), 1 + rng.int(13), 1 + rng.int(13)];
      for (const kind of KINDS) compare(kind, m, k, n, t % 2 === 0, true);
    }
  });

  it('on the benchmark shapes and edge shapes (1×1×1, one output column, k = 0)', () => {
    for (const [m, k, n] of [
      [128, 256, 256],
      [64, 64, 64],
      [32, 32, 32],
      [8, 16, 16],
      [1, 1, 1],
      [10, 256, 1],
      [3, 5, 7],
      [5, 0, 3],
    ]) {
      for (const kind of KINDS) compare(kind, m, k, n, false, false);
    }
  });

  it('on wide shapes, where all three kernels pack panels first (m ≥ 64, k and n ≥ 128), with remainders, offsets and specials', () => {
    for (let t = 0; t < 6; t++) {
      const [m, k, n] = [64 + rng.int(9), 128 + rng.int(9), 128 + rng.int(9)];
      for (const kind of KINDS) compare(kind, m, k, n, t % 2 === 1, t >= 4);
    }
  });

  it('from 32 rows with k and n ≥ 128, where gemmAdd packs B in 8-column panels first, with every column remainder 0..7, odd rows, offsets and specials', () => {
    for (let t = 0; t < 16; t++) {
      // n = 128 + t covers n mod 8 = 0..7 twice (leftover columns after the packed panels).
      const [m, k, n] = [32 + rng.int(9), 128 + rng.int(17), 128 + t];
      for (const kind of ['gemmAdd', 'gemmAdd+init'] as const) compare(kind, m, k, n, t % 2 === 1, t % 4 === 3);
    }
  });

  it('from 32 rows, where gemmNT packs B transposed first, on random widths 1..23 (odd n, partial panels)', () => {
    for (let t = 0; t < 60; t++) {
      const [m, k, n] = [32 + rng.int(9), 1 + rng.int(23), 1 + rng.int(23)];
      for (const kind of ['gemmNT', 'gemmNT+'] as const) compare(kind, m, k, n, t % 2 === 1, t % 3 === 0);
    }
  });

  it('a sum that is −0 stays −0 only where the JS path gives −0 (sums start from +0)', () => {
    const A = new Float64Array([-0, -0, -0, -0]);
    const B = new Float64Array([1, 1, 1, 1]);
    const cj = new Float64Array([-0, -0, -0, -0]);
    const cw = cj.slice();
    gemmAdd(A, 0, 2, B, 0, 2, cj, 0, 2, 2, 2, 2);
    wasm.gemmAdd(A, 0, 2, B, 0, 2, cw, 0, 2, 2, 2, 2);
    expectSameBits(cj, cw, '-0');
    expect(Object.is(cj[0], 0)).toBe(true); // (+0 + −0·1 + −0·1) = +0, then −0 + +0 = +0
  });

  it('a start row of −0 gives +0 where the sum is ±0, on both paths, and C (9s) is not read', () => {
    const A = new Float64Array([-0, -0, -0, -0]);
    const B = new Float64Array([1, 1, 1, 1]);
    const js = { gemmAdd, gemmTNAdd };
    for (const f of ['gemmAdd', 'gemmTNAdd'] as const) {
      const cj = new Float64Array([9, 9, 9, 9]);
      const cw = cj.slice();
      js[f](A, 0, 2, B, 0, 2, cj, 0, 2, 2, 2, 2, new Float64Array([-0, -0]));
      wasm[f](A, 0, 2, B, 0, 2, cw, 0, 2, 2, 2, 2, new Float64Array([-0, -0]));
      expectSameBits(cj, cw, `${f} from −0`);
      expect(Array.from(cw, (v) => Object.is(v, 0))).toEqual([true, true, true, true]);
    }
  });
});

/** The same training run with either kernel set must leave the same bits in every parameter. */
function spec(layers: ExperimentSpec['model']['layers']): ExperimentSpec {
  return {
    seed: 7,
    data: ['moons', { samples: 150 }],
    model: { defaults: { initializer: ['normal', { std: 0.5 }] }, layers },
    train: { loss: 'bce', optimizer: ['adam', { lr: 0.01 }], batchSize: 16, steps: 40 },
  };
}
function trained(s: ExperimentSpec) {
  const session = createSession(s, { registry: testRegistry() });
  const result = session.run();
  return { params: session.model.params.map((p) => bytes(p.value)), losses: result.losses };
}
/** Trains `s` with the JS kernels, then with wasm (buffers in regions): the same weights and losses, bit for bit. */
function expectSameTraining(s: ExperimentSpec) {
  expect(useKernels('js').active).toBe('js');
  const js = trained(s);
  expect(useKernels('wasm').active).toBe('wasm');
  const w = trained(s);
  expect(w.params).toEqual(js.params);
  expect(w.losses).toEqual(js.losses);
}

describe('kernel selection', () => {
  afterEach(() => {
    useKernels('auto');
    vi.unstubAllGlobals();
  });

  it('wasm and js kernels train to identical bits (dense, residual, partial last batch)', () => {
    const s = spec([
      { type: 'dense', units: 9, activation: 'tanh' },
      { type: 'dense', units: 9, activation: 'softplus', residual: true },
      { type: 'dense', units: 1 },
    ]);
    expectSameTraining(s);
  });

  it('wasm and js kernels train a recurrent layer to identical bits (its buffers in regions, products in place)', () => {
    const s: ExperimentSpec = {
      seed: 3,
      data: ['sine', { samples: 60, steps: 12 }],
      model: {
        defaults: { initializer: ['normal', { std: 0.4 }] },
        layers: [
          { type: 'rnn', units: 10, truncate: 5 },
          { type: 'dense', units: 1 },
        ],
      },
      train: { loss: 'mse', optimizer: ['adam', { lr: 0.01 }], batchSize: 8, steps: 15 },
    };
    expectSameTraining(s);
  });

  it('backward right after zeroGrads starts ∂L/∂W from +0; another backward adds to it (2×), on both kernel sets', () => {
    // Dense backward skips copying ∂L/∂W into wasm memory only when zeroGrads has just cleared
    // it; a second backward must still accumulate: s, then s + s = 2s exactly.
    const s = spec([
      { type: 'dense', units: 9, activation: 'tanh' },
      { type: 'dense', units: 1 },
    ]);
    const rows = 5;
    const x = Float64Array.from({ length: rows * 2 }, () => rng.normal());
    const dOut = Float64Array.from({ length: rows }, () => rng.normal());
    const runs = (['js', 'wasm'] as const).map((mode) => {
      useKernels(mode);
      const { model } = createSession(s, { registry: testRegistry() });
      const weights = model.params.flatMap((p, i) => (p.role === 'weight' ? [model.grads[i]] : []));
      model.forward(x, rows, true);
      for (const g of model.grads) g.fill(3); // stale gradients: zeroGrads must clear them
      model.zeroGrads();
      model.backward(dOut, rows);
      const once = weights.map((g) => g.slice());
      model.backward(dOut, rows);
      expect(weights.map(bytes)).toEqual(once.map((g) => bytes(g.map((v) => 2 * v))));
      model.zeroGrads();
      model.backward(dOut, rows);
      expect(weights.map(bytes)).toEqual(once.map(bytes));
      expect(once.every((g) => g.some((v) => v !== 0))).toBe(true);
      return once.map(bytes);
    });
    expect(runs[1]).toEqual(runs[0]);
  });

  it('auto picks wasm here, js is honoured, unknown modes are refused by name', () => {
    expect(useKernels('auto')).toEqual({ requested: 'auto', active: 'wasm' });
    expect(kernelStatus().active).toBe('wasm');
    expect(useKernels('js')).toMatchObject({ requested: 'js', active: 'js' });
    expect(() => useKernels('fast' as never)).toThrow(/Kernel mode must be "js", "auto" or "wasm" \(received "fast"\)/);
  });

  it('explains why wasm cannot run: no WebAssembly, no SIMD, or a CSP refusing compilation', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(instantiateKernels()).toEqual({ reason: 'WebAssembly is not available in this runtime' });
    vi.stubGlobal('WebAssembly', { ...WebAssemblyReal, validate: () => false });
    expect(instantiateKernels()).toMatchObject({ reason: expect.stringMatching(/without SIMD/) });
    const csp = class {
      constructor() {
        throw new Error(
          "Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not allowed",
        );
      }
    };
    vi.stubGlobal('WebAssembly', { ...WebAssemblyReal, validate: () => true, Module: csp });
    expect(instantiateKernels()).toMatchObject({ reason: expect.stringMatching(/wasm-unsafe-eval/) });
  });
});
const WebAssemblyReal = (globalThis as unknown as { WebAssembly: object }).WebAssembly;

describe('instantiateSimd (the loader the kernels and the probes share)', () => {
  it('gives the exports of a valid module, and a reason instead of throwing for bytes that do not compile', () => {
    const ok = instantiateSimd(KERNELS_WASM_HEX);
    expect('exports' in ok && typeof (ok.exports as { gemmAdd?: unknown }).gemmAdd).toBe('function');
    // The magic number and version, then a truncated section: a CompileError, reported as text.
    const bad = instantiateSimd('0061736d0100000001');
    expect(bad).toEqual({ reason: expect.stringMatching(/^WebAssembly could not be compiled here: /) });
  });

  it('builds the imports of a module that imports its memory, and returns the module for more instances', async () => {
    const wat =
      '(module (import "m" "memory" (memory 1)) (func (export "at") (param i32) (result f64) (f64.load (local.get 0))))';
    const hex = Buffer.from(await assemble(wat)).toString('hex');
    type Memory = { buffer: ArrayBuffer };
    let own: Memory | undefined;
    const made = instantiateSimd(hex, (api) => ({ m: { memory: (own = new api.Memory({ initial: 1 })) } }));
    if (!('exports' in made)) throw new Error(made.reason);
    new Float64Array(own!.buffer)[1] = 2.5;
    expect((made.exports as { at(p: number): number }).at(8)).toBe(2.5);
    // A second instance of the same module on another memory reads that one (as the probes' on a region).
    const Wasm = WebAssemblyReal as {
      Instance: new (m: object, i: object) => { exports: unknown };
      Memory: new (d: object) => Memory;
    };
    const other = new Wasm.Memory({ initial: 1 });
    new Float64Array(other.buffer)[1] = -7;
    const second = new Wasm.Instance(made.module, { m: { memory: other } }).exports as { at(p: number): number };
    expect([second.at(8), (made.exports as { at(p: number): number }).at(8)]).toEqual([-7, 2.5]);
  });

  it('says so where the runtime has no WebAssembly', () => {
    vi.stubGlobal('WebAssembly', undefined);
    try {
      expect(instantiateSimd(KERNELS_WASM_HEX)).toEqual({ reason: 'WebAssembly is not available in this runtime' });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
