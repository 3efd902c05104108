/** What the two-lane `…Into` kernels' tests share: a seeded stream and the bit-for-bit comparison with the scalar function. */
import { expect } from 'vitest';

/** A seeded uniform stream on [0, 1) (an LCG), so a failing input is reproducible. */
export function uniform(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length));
const nanFree = (a: Float64Array) => a.map((v) => (Number.isNaN(v) ? 0 : v));
const nans = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? 1 : 0));

/** `out` holds `scalar` of every entry of `x`, bit for bit, NaN where it gives NaN (any payload). */
export function expectScalarBits(out: Float64Array, x: Float64Array, scalar: (v: number) => number): void {
  const want = x.map(scalar);
  expect(nans(out)).toEqual(nans(want));
  expect(bits(nanFree(out))).toEqual(bits(nanFree(want)));
}

/**
 * `into(x, out)` against `scalar` on the whole input, one entry shorter (an odd length: the last entry
 * takes the one-lane path), one entry and none; then in place (out = x).
 */
export function expectPairedKernel(
  into: (x: Float64Array, out: Float64Array) => void,
  scalar: (v: number) => number,
  x: Float64Array,
): void {
  for (const n of [x.length, x.length - 1, 1, 0]) {
    const xs = x.slice(0, n);
    const out = new Float64Array(n);
    into(xs, out);
    expectScalarBits(out, xs, scalar);
  }
  const inPlace = x.slice();
  into(inPlace, inPlace);
  expectScalarBits(inPlace, x, scalar);
}

/**
 * A kernel's test inputs: `values`, then one `pad` and every `special` value again, so that each
 * special value also lands in the other lane of a pair.
 */
export function inBothLanes(values: readonly number[], special: readonly number[], pad: number): Float64Array {
  return Float64Array.from([...values, pad, ...special]);
}

/** The values every kernel's inputs start with: ±0, NaN and ±Infinity. */
export const IEEE_SPECIALS: readonly number[] = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
