import type { Rng } from '@gradlab/plugin-api';
import { math } from '@gradlab/plugin-api';

/**
 * Seeded, splittable random numbers: xoshiro128** on 32-bit integer arithmetic (Math.imul,
 * >>>), so Node and every browser produce the same bits. `fork(label)` derives a child from
 * the parent's *key* and the label, not from its state, so a child stream does not depend on
 * how many numbers the parent has drawn (adding a probe never changes the weights).
 */
export interface SeededRng extends Rng {
  /** The path of labels from the root seed, e.g. "42/init/dense_1.W", for debugging. */
  readonly key: string;
  fork(label: string): SeededRng;
  /** Integer in [0, n). */
  int(n: number): number;
  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[] | Uint32Array): void;
}

/** 53 bits of hash of a string (cyrb53), as two 32-bit halves. */
function hash(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

/** splitmix32 step, to spread a hash over the 128-bit state. */
function splitmix(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

class Xoshiro128 implements SeededRng {
  readonly key: string;
  /**
   * The state words a, b, c, d. An Int32Array keeps them as raw 32-bit integers: as object
   * fields, values beyond V8's 31-bit small integers were boxed, which made a draw ~3× slower.
   */
  private readonly s = new Int32Array(4);

  constructor(key: string) {
    this.key = key;
    const [h1, h2] = hash(key);
    const mixA = splitmix(h1);
    const mixB = splitmix(h2);
    const s = this.s;
    s[0] = mixA();
    s[1] = mixB();
    s[2] = mixA();
    s[3] = mixB();
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state is a fixed point
  }

  private spareNormal = Number.NaN;

  /** 32 random bits as an unsigned integer. */
  private nextUint32(): number {
    const s = this.s;
    const a = s[0];
    const b = s[1];
    const c = s[2] ^ a;
    const d = s[3] ^ b;
    s[0] = a ^ d;
    s[1] = b ^ c;
    s[2] = c ^ (b << 9);
    s[3] = rotl(d, 11);
    return Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
  }

  next(): number {
    // 53 random bits: 27 from one draw, 26 from the next.
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  normal(): number {
    // Box–Muller; the second value of each pair is kept for the next call.
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = Number.NaN;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * math.log(u));
    this.spareNormal = r * math.sin(2 * Math.PI * v);
    return r * math.cos(2 * Math.PI * v);
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  shuffle<T>(items: T[] | Uint32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
  }

  fork(label: string): SeededRng {
    return new Xoshiro128(`${this.key}/${label}`);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A seeded stream. Integer or string seeds; the same seed gives the same numbers everywhere. */
export function createRng(seed: number | string): SeededRng {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new TypeError(`createRng: seed must be a safe integer or a string (received ${seed}).`);
  }
  return new Xoshiro128(String(seed));
}
