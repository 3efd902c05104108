import { readFileSync } from 'node:fs';
import { engineBuffer, engineRegion } from '@gradlab/core';
import { afterAll, describe, expect, it } from 'vitest';
import { histogram, momentsInto } from '../src/stats.ts';
import { sumOfSquares, sumOfSquaresJS } from '../src/vector-norms.ts';
import { SIMD_MIN_LENGTH, simdPasses, useSimdPasses } from '../src/wasm/simd-passes.ts';
import { assembleStats, generatedSource } from '../wasm/assemble.ts';

/**
 * The wasm passes (decision 0051) must give the JavaScript loops' bits on any input, or the 49
 * scenario reports would change with the runtime. Random data mixes the values where an order or
 * a lane mix-up shows: ±0 (ties, and the zero count), subnormals, ±Infinity, NaN, and magnitudes
 * from 1e-160 to 1e160 (so sums round differently in every order and can overflow).
 */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SPECIAL = [0, -0, 5e-324, -2.5e-310, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1, -1];
function sample(n: number, r: () => number, specials: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (u < specials) x[i] = SPECIAL[Math.floor(r() * SPECIAL.length)];
    else x[i] = (r() - 0.5) * 10 ** (Math.floor(r() * 8) * (r() < 0.5 ? 1 : -1) * (r() < 0.1 ? 20 : 1));
  }
  return x;
}
/** Lengths around every tail (n mod 4), around the wasm threshold, and a whole 32×32 tensor. */
const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 66, 67, 100, 129, 1023, 1024, 4099];
/** Plain data, data with a few specials, data full of them, all-zero data (a ReLU layer's dead units). */
const cases = (): { name: string; x: Float64Array }[] => {
  const r = rng(12);
  const out: { name: string; x: Float64Array }[] = [];
  for (const n of LENGTHS)
    for (const specials of [0, 0.02, 0.5]) out.push({ name: `n=${n} specials=${specials}`, x: sample(n, r, specials) });
  for (const n of [64, 1024]) out.push({ name: `zeros n=${n}`, x: new Float64Array(n).fill(-0).fill(0, n >> 1) });
  return out;
};

const bits = (v: number) => {
  const f = new Float64Array([v]);
  return Number.isNaN(v) ? 'NaN' : new BigUint64Array(f.buffer)[0].toString(16);
};

/** A copy of x in an engine region (decision 0060: the passes read it in place there). */
function inRegion(x: Float64Array): Float64Array {
  const copy = engineBuffer(x.length);
  copy.set(x);
  return copy;
}

/**
 * Every pass runs twice: on ordinary arrays, which it copies into the module's own memory, and on
 * engine buffers in a wasm region, which it reads where they are with results and scratch in the
 * region's free end. Both must give the JavaScript loops' bits.
 */
describe.each([
  { where: 'tensors copied into the module', put: (x: Float64Array) => x },
  { where: 'tensors read in place in an engine region', put: inRegion },
])('wasm statistics passes, $where', ({ put }) => {
  afterAll(() => useSimdPasses('auto'));

  it('are in use in Node (else this file would compare the JS loops with themselves)', () => {
    expect(useSimdPasses('auto')).toEqual({ passes: 'wasm', reason: '' });
    expect(simdPasses()).toBeDefined();
  });

  it('Σx² equals the JavaScript sumOfSquares bit for bit', () => {
    const simd = useSimdPasses('wasm') && simdPasses()!;
    for (const { name, x } of cases()) expect(bits(simd.sumOfSquares(put(x))), name).toBe(bits(sumOfSquaresJS(x)));
  });

  it('Σx² of two tensors in one pass equals sumOfSquares of each, bit for bit', () => {
    const simd = useSimdPasses('wasm') && simdPasses()!;
    const r = rng(31);
    const out = new Float64Array(3);
    for (const { name, x } of cases()) {
      const y = sample(x.length, r, 0.05);
      simd.sumOfSquares2(put(x), put(y), out, 1);
      expect([bits(out[1]), bits(out[2])], name).toEqual([bits(sumOfSquaresJS(x)), bits(sumOfSquaresJS(y))]);
    }
  });

  it('the f′ scan counts |d| < cut and sees |d| > ceiling as a plain loop does', () => {
    const simd = useSimdPasses('wasm') && simdPasses()!;
    for (const { name, x } of cases())
      for (const [cut, ceiling] of [
        [1e-3, 1],
        [0, Number.POSITIVE_INFINITY],
        [Number.POSITIVE_INFINITY, 0],
        [1e300, 1e-300],
      ]) {
        let below = 0;
        let above = 0;
        for (const v of x) {
          if (Math.abs(v) < cut) below++;
          if (Math.abs(v) > ceiling) above = 1;
        }
        expect([simd.scan(put(x), cut, ceiling), simd.scanAbove()], `${name} cut=${cut} ceiling=${ceiling}`).toEqual([
          below,
          above,
        ]);
      }
  });

  it('the update sums form u = W − before and equal Σu² (sumOfSquares order) and Σ(W − u)² in index order', () => {
    const simd = useSimdPasses('wasm') && simdPasses()!;
    const r = rng(7);
    const out = new Float64Array(2);
    for (const { name, x: before } of cases()) {
      const W = sample(before.length, r, 0.05);
      const u = W.map((w, i) => w - before[i]);
      let s = 0;
      for (let i = 0; i < u.length; i++) s += (W[i] - u[i]) * (W[i] - u[i]);
      simd.updateSums(put(before), put(W), out);
      expect([bits(out[0]), bits(out[1])], name).toEqual([bits(sumOfSquaresJS(u)), bits(s)]);
    }
  });

  it("two tensors interleaved (a and z; two layers' updates) give each one's bits", () => {
    const simd = useSimdPasses('wasm') && simdPasses()!;
    const r = rng(9);
    const want = new Float64Array(4);
    const got = new Float64Array(4);
    const sums = new Float64Array(4);
    for (const { name, x: a } of cases()) {
      const z = sample(a.length, r, 0.05);
      const zeros = momentsInto(a, want, 0);
      momentsInto(z, want, 2);
      expect(simd.layerMoments(put(a), put(z), got, 0), name).toBe(zeros);
      expect(Array.from(got, bits), name).toEqual(Array.from(want, bits));
      const [W, v, X] = [sample(a.length, r, 0.05), sample(a.length, r, 0.05), sample(a.length, r, 0.05)];
      const one = new Float64Array(2);
      const [pa, pW, pv, pX] = [put(a), put(W), put(v), put(X)];
      simd.updateSums(pa, pW, one);
      const two = Array.from(one, bits);
      simd.updateSums(pv, pX, one);
      two.push(...Array.from(one, bits));
      simd.updateSums2(pa, pW, pv, pX, sums);
      expect(Array.from(sums, bits), name).toEqual(two);
    }
  });

  it('max |ΔW| from the update pass equals the loop over ΔW, for each of the two layers', () => {
    const simd = useSimdPasses('wasm') && simdPasses()!;
    const r = rng(5);
    const sums = new Float64Array(4);
    // The pass only asks when Σu² is not NaN: W before finite, W after without NaN.
    const finite = (t: Float64Array) => t.map((e) => (Number.isFinite(e) ? e : 0));
    const max = (t: Float64Array) => t.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
    for (const { name, x } of cases()) {
      const n = x.length;
      const [before, before2] = [finite(sample(n, r, 0.05)), finite(sample(n, r, 0.05))];
      const W = x.map((v) => (Number.isNaN(v) ? 0 : v));
      const W2 = sample(n, r, 0.05).map((t) => (Number.isNaN(t) ? -0 : t));
      const [u, v] = [W.map((w, i) => w - before[i]), W2.map((w, i) => w - before2[i])];
      simd.updateSums2(put(before), put(W), put(before2), put(W2), sums);
      expect([bits(simd.updateMax(0, n)), bits(simd.updateMax(1, n))], name).toEqual([bits(max(u)), bits(max(v))]);
      simd.updateSums(put(before2), put(W2), sums);
      expect(bits(simd.updateMax(0, n)), name).toBe(bits(max(v)));
    }
  });

  it("saturation's value band counts entries < lo or > hi as a plain loop does", () => {
    const simd = useSimdPasses('wasm') && simdPasses()!;
    for (const { name, x } of cases())
      for (const [lo, hi] of [
        [0.05, 0.95],
        [-0.9, 0.9],
        [0, 0],
        [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      ]) {
        let outside = 0;
        for (const v of x) if (v < lo || v > hi) outside++;
        expect(simd.outside(put(x), lo, hi), `${name} [${lo}, ${hi}]`).toBe(outside);
      }
  });

  it("dead-units' per-unit question (f′ ±0 on every row, NaN alive) matches a column-wise loop", () => {
    const simd = useSimdPasses('wasm') && simdPasses()!;
    const r = rng(17);
    for (const [rows, units] of [
      [32, 32],
      [7, 13],
      [1, 64],
      [65, 1],
      [3, 33],
    ]) {
      for (const dead of [0, 0.3, 1]) {
        // Columns that are all ±0 (some with −0), others with a nonzero, a NaN or an Infinity in one row.
        const d = new Float64Array(rows * units);
        for (let j = 0; j < units; j++) {
          const off = r() < dead;
          for (let i = 0; i < rows; i++) d[i * units + j] = r() < 0.5 ? 0 : -0;
          if (!off) d[Math.floor(r() * rows) * units + j] = SPECIAL[2 + Math.floor(r() * (SPECIAL.length - 2))];
        }
        const want = new Uint8Array(units);
        for (let j = 0; j < units; j++) {
          let zero = 1;
          for (let i = 0; i < rows; i++) if (!(d[i * units + j] === 0)) zero = 0;
          want[j] = zero;
        }
        const got = new Uint8Array(units).fill(7);
        simd.unitsOff(put(d), units, got);
        expect(Array.from(got), `${rows}×${units} dead ${dead}`).toEqual(Array.from(want));
      }
    }
  });

  it("the fused f′ pass answers the scan and dead-units' question as two plain loops do", () => {
    const simd = useSimdPasses('wasm') && simdPasses()!;
    const r = rng(23);
    for (const [rows, units] of [
      [32, 32],
      [7, 14],
      [1, 64],
      [65, 2],
      [3, 34],
      [128, 256],
    ]) {
      for (const dead of [0, 0.3, 1]) {
        // Dead columns are all ±0; live ones hold plain values and specials (NaN counts as alive).
        const d = new Float64Array(rows * units);
        for (let j = 0; j < units; j++) {
          const off = r() < dead;
          for (let i = 0; i < rows; i++)
            d[i * units + j] = off
              ? r() < 0.5
                ? 0
                : -0
              : r() < 0.1
                ? SPECIAL[Math.floor(r() * SPECIAL.length)]
                : r() - 0.5;
          if (!off) d[Math.floor(r() * rows) * units + j] = r() < 0.3 ? Number.NaN : 0.25;
        }
        for (const [cut, ceiling] of [
          [1e-3, 1],
          [0, Number.POSITIVE_INFINITY],
          [0.3, 0.2],
        ]) {
          const want = new Uint8Array(units).fill(1);
          let below = 0;
          let above = 0;
          for (let i = 0; i < d.length; i++) {
            if (!(d[i] === 0)) want[i % units] = 0;
            if (Math.abs(d[i]) < cut) below++;
            if (Math.abs(d[i]) > ceiling) above = 1;
          }
          const got = new Uint8Array(units).fill(7);
          const name = `${rows}×${units} dead ${dead} cut=${cut} ceiling=${ceiling}`;
          expect(simd.scanUnits(put(d), units, cut, ceiling, got), name).toBe(below);
          expect(simd.scanAbove(), name).toBe(above);
          expect(Array.from(got), name).toEqual(Array.from(want));
        }
      }
    }
  });

  it('the histogram has the same bounds (the sign of ±0 too), bins and counts with the wasm range pass as a plain loop', () => {
    // Written plainly (one tally, Math.floor and a clamp), not as stats.ts writes it.
    const reference = (x: Float64Array, bins: number) => {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of x) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
        const finite = Array.from(x).filter(Number.isFinite);
        lo = finite.length ? Math.min(...finite) : 0;
        hi = finite.length ? Math.max(...finite) : 0;
      }
      const counts = new Array<number>(bins).fill(0);
      let [underflow, overflow, nonFinite] = [0, 0, 0];
      const scale = hi > lo ? bins / (hi - lo) : 0;
      for (const v of x) {
        if (v >= lo && v <= hi) counts[Math.min(Math.floor((v - lo) * scale), bins - 1)]++;
        else if (v < lo) underflow++;
        else if (v > hi) overflow++;
        else nonFinite++;
      }
      return { min: lo, max: hi, counts, underflow, overflow, nonFinite };
    };
    const r = rng(29);
    const signed = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
    const extra = [
      // ReLU-like: half ±0 in mixed order, so the least entry is a zero of either sign.
      { name: 'relu-like', x: signed(1024, () => (r() < 0.5 ? (r() < 0.5 ? 0 : -0) : r())) },
      { name: 'relu-like, −0 first', x: signed(1025, (i) => (i === 3 ? -0 : i < 3 ? 1 + i : r() < 0.5 ? 0 : r())) },
      { name: 'negative, +0 greatest', x: signed(67, (i) => (i === 9 ? 0 : i === 30 ? -0 : -r())) },
      { name: 'negative, −0 greatest', x: signed(67, (i) => (i === 9 ? -0 : i === 30 ? 0 : -r())) },
      { name: 'all ±0', x: signed(130, () => (r() < 0.5 ? 0 : -0)) },
    ];
    for (const { name, x } of [...cases(), ...extra])
      for (const bins of [1, 3, 40]) {
        useSimdPasses('wasm');
        const wasm = histogram(put(x), bins, 0);
        useSimdPasses('js');
        const js = histogram(x, bins, 0);
        const want = reference(x, bins);
        for (const got of [wasm, js]) {
          expect([Object.is(got.min, want.min), Object.is(got.max, want.max)], `${name} bins=${bins}`).toEqual([
            true,
            true,
          ]);
          expect(got, `${name} bins=${bins}`).toEqual(want);
        }
      }
    useSimdPasses('auto');
  });

  it('the wasm tally counts a fixed range as a plain loop does: entries outside it, NaN and ±Infinity in their counts', () => {
    // Written plainly (one tally, Math.floor and a clamp), not as stats.ts or stats.wat write it.
    const reference = (x: Float64Array, bins: number, range: number) => {
      const counts = new Array<number>(bins).fill(0);
      let [underflow, overflow, nonFinite] = [0, 0, 0];
      const scale = bins / (2 * range);
      for (const v of x) {
        if (v >= -range && v <= range) counts[Math.min(Math.floor((v + range) * scale), bins - 1)]++;
        else if (v < -range) underflow++;
        else if (v > range) overflow++;
        else nonFinite++;
      }
      return { min: -range, max: range, counts, underflow, overflow, nonFinite };
    };
    for (const { name, x } of cases())
      for (const bins of [1, 7, 40, 1000])
        for (const range of [1, 1e-3, 1e300]) {
          useSimdPasses('wasm');
          const wasm = histogram(put(x), bins, range);
          useSimdPasses('js');
          const js = histogram(x, bins, range);
          const want = reference(x, bins, range);
          expect(wasm, `${name} bins=${bins} range=${range}`).toEqual(want);
          expect(js, `${name} bins=${bins} range=${range}`).toEqual(want);
        }
    useSimdPasses('auto');
  });

  it('a histogram whose span is subnormal (bins / span overflows) puts each entry in its bin, with either selection', () => {
    // Entries k · 2^-1074 (the least subnormal) for integer k: the span is subnormal, so
    // bins / span overflows. The expected bin is integer arithmetic on k, floor(bins·(k − kmin) /
    // (kmax − kmin)), the top entry in the top bin; +Infinity is above the range, NaN outside it.
    const tiny = 5e-324;
    for (const length of [40, 100, 1000]) {
      const ks = Array.from({ length }, (_, i) => (i * 7919) % 101); // 0 … 100 in a scrambled order
      const x = Float64Array.from(ks, (k) => k * tiny);
      x[3] = Number.NaN;
      x[length - 2] = Number.POSITIVE_INFINITY;
      const finite = ks.filter((_, i) => i !== 3 && i !== length - 2);
      const [kmin, kmax] = [Math.min(...finite), Math.max(...finite)];
      for (const bins of [1, 7, 40]) {
        const counts = new Array<number>(bins).fill(0);
        for (const k of finite) counts[Math.min(Math.floor((bins * (k - kmin)) / (kmax - kmin)), bins - 1)]++;
        const want = { min: kmin * tiny, max: kmax * tiny, counts, underflow: 0, overflow: 1, nonFinite: 1 };
        useSimdPasses('wasm');
        expect(histogram(put(x), bins, 0), `length=${length} bins=${bins}`).toEqual(want);
        useSimdPasses('js');
        expect(histogram(x, bins, 0), `length=${length} bins=${bins}`).toEqual(want);
      }
    }
    useSimdPasses('auto');
  });

  it('the exported functions give the same bits with either selection, and grow the memory for large tensors', () => {
    const x = put(sample(300_000, rng(3), 0.01)); // 2.4 MB: more than the module's first page
    const z = put(sample(300_000, rng(4), 0.01));
    const run = () => {
      const m = new Float64Array(4);
      const simd = simdPasses();
      const zeros = simd ? simd.layerMoments(x, z, m, 0) : momentsInto(x, m, 0);
      if (!simd) momentsInto(z, m, 2);
      return [sumOfSquares(x), ...m, zeros].map(bits);
    };
    expect(useSimdPasses('js').passes).toBe('js');
    const js = run();
    expect(useSimdPasses('wasm').passes).toBe('wasm');
    expect(run()).toEqual(js);
    expect(x.length).toBeGreaterThan(SIMD_MIN_LENGTH);
  });
});

describe('wasm statistics passes on engine regions (decision 0060)', () => {
  afterAll(() => useSimdPasses('auto'));
  const r = rng(41);
  const n = 32 * 32;
  const tensors = () => Array.from({ length: 4 }, () => inRegion(sample(n, r, 0.02)));
  /** Every pass once, on a, b, c, d. */
  const everyPass = (a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array) => {
    const simd = simdPasses()!;
    const out = new Float64Array(4);
    const off = new Uint8Array(32);
    const results = [simd.sumOfSquares(a)];
    simd.sumOfSquares2(a, b, out, 0);
    results.push(...out.subarray(0, 2), simd.layerMoments(a, b, out, 0), ...out);
    results.push(simd.scan(c, 1e-3, 1), simd.scanAbove(), simd.scanUnits(c, 32, 0.1, 0.5, off), ...off);
    simd.unitsOff(c, 32, off);
    results.push(...off, simd.outside(d, -0.5, 0.5));
    simd.updateSums(a, b, out);
    results.push(...out.subarray(0, 2), simd.updateMax(0, n));
    simd.updateSums2(a, b, c, d, out);
    results.push(...out, simd.updateMax(0, n), simd.updateMax(1, n));
    const h = histogram(d, 40, 0);
    results.push(h.min, h.max, ...h.counts, h.underflow, h.overflow, h.nonFinite);
    return results.map(bits);
  };
  /** The own memory's bytes: a pass that copies its tensors writes there, one in place does not. */
  const ownBytes = () => (simdPasses() as unknown as { own: { bytes: Uint8Array } }).own.bytes;

  it("read the tensors where they are: the module's own memory stays untouched (it would not with copies)", () => {
    useSimdPasses('wasm');
    const [a, b, c, d] = tensors();
    expect(new Set([a, b, c, d].map((t) => t.buffer)).size).toBe(1);
    ownBytes().fill(0xa5);
    const inPlace = everyPass(a, b, c, d);
    expect(ownBytes().every((v) => v === 0xa5)).toBe(true);
    // The same values in ordinary arrays are copied in: the sentinel is overwritten, the bits are the same.
    const plain = everyPass(a.slice(), b.slice(), c.slice(), d.slice());
    expect(ownBytes().every((v) => v === 0xa5)).toBe(false);
    expect(inPlace).toEqual(plain);
    // One tensor outside the region: that pass copies (all of its tensors), same bits again.
    ownBytes().fill(0xa5);
    expect(everyPass(a, b.slice(), c, d)).toEqual(plain);
    expect(ownBytes().every((v) => v === 0xa5)).toBe(false);
  });

  it('copy the tensors of a region they cannot make an instance on, with the same bits', () => {
    useSimdPasses('wasm');
    // A buffer too large for a shared region gets a region of its own: one these passes have not seen.
    const big = engineBuffer((15 << 20) / 8);
    const [a, b, c, d] = [0, 1, 2, 3].map((i) => big.subarray(i * n, (i + 1) * n));
    for (const t of [a, b, c, d]) t.set(sample(n, r, 0.02));
    const wasm = (globalThis as unknown as { WebAssembly: { Instance: unknown } }).WebAssembly;
    const real = wasm.Instance;
    wasm.Instance = () => {
      throw new RangeError('out of memory (test)');
    };
    try {
      ownBytes().fill(0xa5);
      const got = everyPass(a, b, c, d);
      expect(ownBytes().every((v) => v === 0xa5)).toBe(false);
      expect(got).toEqual(everyPass(a.slice(), b.slice(), c.slice(), d.slice()));
    } finally {
      wasm.Instance = real;
    }
  });

  it('change nothing that was carved from the region: ΔW and every result go to its free end', () => {
    useSimdPasses('wasm');
    const [a, b, c, d] = tensors();
    const region = engineRegion(a)!;
    const memory = region.memory as { buffer: ArrayBuffer };
    // Every byte below the free end: these four tensors and whatever else this file carved.
    const carved = new Uint8Array(memory.buffer, 0, region.free);
    const before = carved.slice();
    everyPass(a, b, c, d);
    expect(Buffer.compare(carved, before)).toBe(0);
    // The end itself was written (the results): the check above looked at the right memory.
    expect(new Uint8Array(memory.buffer, region.free, 64).some((v) => v !== 0)).toBe(true);
  });
});

/**
 * The committed src/wasm/stats.generated.ts must be what wasm/stats.wat assembles to now.
 * Fix: `pnpm --filter @gradlab/probes gen:wasm` and commit both files.
 */
describe('generated stats wasm is fresh', () => {
  it('src/wasm/stats.generated.ts holds the assembled wasm/stats.wat', async () => {
    const source = generatedSource(await assembleStats());
    expect(readFileSync(new URL('../src/wasm/stats.generated.ts', import.meta.url), 'utf8')).toBe(source);
  });
});
