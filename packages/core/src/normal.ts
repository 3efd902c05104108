import { math } from '@gradlab/plugin-api';

/**
 * Standard normal samples by the ziggurat method (Marsaglia & Tsang 2000, in Doornik's 2005
 * ZIGNOR form: 128 blocks, a 53-bit uniform for the abscissa and separate bits for the block, so
 * the value and its block are independent). About 99% of samples cost one table lookup and one
 * multiply; the wedges and the tail use the portable `math.exp`/`math.log`, and the tables are
 * built with them too, so Node and browsers draw the same bits. It replaced Box–Muller, whose
 * portable sin and cos made initialization the largest cost of a probe (decision 0030).
 */
const BLOCKS = 128;
/** Start of the tail, and the common area of every block (R and V of Doornik, table 1). */
const R = 3.442619855899;
const V = 9.91256303526217e-3;

/** X[i]: right edge of block i (X[0] = V/f(R) for the base block, X[128] = 0); RATIO[i] = X[i+1]/X[i]. */
const X = new Float64Array(BLOCKS + 1);
const RATIO = new Float64Array(BLOCKS);
{
  let f = math.exp(-0.5 * R * R);
  X[0] = V / f;
  X[1] = R;
  for (let i = 2; i < BLOCKS; i++) {
    X[i] = Math.sqrt(-2 * math.log(V / X[i - 1] + f));
    f = math.exp(-0.5 * X[i] * X[i]);
  }
  X[BLOCKS] = 0;
  for (let i = 0; i < BLOCKS; i++) RATIO[i] = X[i + 1] / X[i];
}

/** What the sampler needs from a stream: uniforms on [0, 1) and raw 32-bit words. */
export interface UniformSource {
  next(): number;
  nextUint32(): number;
}

/** One N(0, 1) sample. */
export function ziggurat(rng: UniformSource): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const i = rng.nextUint32() & (BLOCKS - 1);
    // Inside the block's rectangle that lies under the curve: accept at once.
    if (Math.abs(u) < RATIO[i]) return u * X[i];
    if (i === 0) return tail(rng, u < 0);
    // In the wedge between the rectangle and the curve: accept with the density's height.
    const x = u * X[i];
    const f0 = math.exp(-0.5 * (X[i] * X[i] - x * x));
    const f1 = math.exp(-0.5 * (X[i + 1] * X[i + 1] - x * x));
    if (f1 + rng.next() * (f0 - f1) < 1) return x;
  }
}

/** A sample from the normal tail beyond R (Marsaglia 1964), with the sign asked for. */
function tail(rng: UniformSource, negative: boolean): number {
  for (;;) {
    // 1 − next() is in (0, 1], so the logarithms are finite.
    const x = math.log(1 - rng.next()) / R;
    const y = math.log(1 - rng.next());
    if (-2 * y >= x * x) return negative ? x - R : R - x;
  }
}
