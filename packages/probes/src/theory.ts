/**
 * Mean-field theory of signal propagation in wide random dense networks (Poole et al. 2016,
 * Schoenholz et al. 2017). With weights of variance σ_w²/fan-in and biases b ~ N(μ_b, σ_b²):
 *   q_{l+1} = σ_w² E[φ(μ_b + √q_l Z)²] + σ_b²                  (pre-activation variance)
 *   χ(q)    = σ_w² E[φ′(μ_b + √q Z)²]                          (per-layer gain of ‖δ‖²)
 * so ‖δ_l‖ / ‖δ_{l+1}‖ ≈ √χ(q_l), and at the fixed point q* the ratio over k layers is χ₁^{k/2}
 * with χ₁ = χ(q*) and depth scale ξ = 1/|ln χ₁|. Expectations use {@link gaussianExpectationOf}.
 */
import { math } from '@gradlab/plugin-api';
import { gaussianExpectationOf } from './quadrature.ts';

/** What the theory needs of an activation: its scalar functions and where f′ jumps. */
export interface MeanFieldActivation {
  forward(x: number): number;
  derivative(x: number, y: number): number;
  /** Optional, as on an activation: forward over a whole array, bit for bit the scalar path's values. */
  forwardInto?(x: Float64Array, out: Float64Array): void;
  /** Optional: derivative(x[i], y[i]) over whole arrays, bit for bit. Used with {@link forwardInto}. */
  derivativeInto?(x: Float64Array, y: Float64Array, out: Float64Array): void;
}

export interface MeanFieldInput {
  readonly activation: MeanFieldActivation;
  /** Points where f′ jumps (`meta.kinks`); the integrals are split there. */
  readonly kinks?: readonly number[];
  /** Var(W)·fan-in of the hidden weights. */
  readonly sigmaW2: number;
  /** Variance of the biases; default 0. */
  readonly sigmaB2?: number;
  /** Mean of the biases (a constant bias init); default 0. */
  readonly biasMean?: number;
  /** Second moment E[x_i²] of the network's inputs; default 1 (x ~ N(0, I)). */
  readonly inputVariance?: number;
  /** Hidden layers to predict layer by layer; default 0. */
  readonly depth?: number;
}

export interface MeanFieldResult {
  /** q_l: pre-activation variance of hidden layer l (q_0 = σ_w²·inputVariance + σ_b²). */
  readonly q: readonly number[];
  /** χ(q_l) for each hidden layer: the predicted ‖δ_l‖²/‖δ_{l+1}‖². */
  readonly chi: readonly number[];
  /** Fixed point of the variance map reached from q_0: 0 (signal dies), finite, or Infinity (grows without bound). */
  readonly qStar: number;
  /** χ₁ = χ(q*) (the limit q → 0⁺ or q → ∞ when q* is 0 or Infinity). */
  readonly chi1: number;
  /** √χ₁: predicted factor of ‖δ‖ per layer, deep in the network. */
  readonly perLayerFactor: number;
  /** ξ = 1/|ln χ₁| layers (Infinity at χ₁ = 1): the depth over which ‖δ‖² changes by e. */
  readonly depthScale: number;
  readonly regime: 'vanishing' | 'critical' | 'exploding';
  /** Predicted ‖δ_first‖/‖δ_last‖ over the `depth` hidden layers: Π_{l<depth−1} √χ(q_l). */
  readonly deltaRatio: number;
}

type Integrand = (xs: Float64Array, out: Float64Array, n: number) => void;

const TINY_Q = 1e-200;
const HUGE_Q = 1e200;

/**
 * The mean-field prediction for a dense network; see the module comment for the formulas.
 *
 * ```ts
 * meanField({ activation: relu(), kinks: [0], sigmaW2: 2 }).chi1; // 1 (He init is critical)
 * ```
 */
export function meanField(input: MeanFieldInput): MeanFieldResult {
  const { activation: f, kinks = [], sigmaW2, sigmaB2 = 0, biasMean = 0, inputVariance = 1, depth = 0 } = input;
  // The integrands over all of a quadrature's nodes at once: through the activation's forwardInto and
  // derivativeInto when it has them (the plugin contract makes them equal the scalar path bit for bit, and
  // sigmoid's evaluates two exps side by side), else point by point.
  const ys = { buffer: new Float64Array(0) };
  const forward2: Integrand = f.forwardInto
    ? (xs, out, n) => {
        f.forwardInto!(xs.subarray(0, n), out.subarray(0, n));
        for (let i = 0; i < n; i++) out[i] *= out[i];
      }
    : (xs, out, n) => {
        for (let i = 0; i < n; i++) {
          const y = f.forward(xs[i]);
          out[i] = y * y;
        }
      };
  const slope2: Integrand =
    f.forwardInto && f.derivativeInto
      ? (xs, out, n) => {
          if (ys.buffer.length < n) ys.buffer = new Float64Array(Math.max(n, 2 * ys.buffer.length));
          const x = xs.subarray(0, n);
          const y = ys.buffer.subarray(0, n);
          f.forwardInto!(x, y);
          f.derivativeInto!(x, y, out.subarray(0, n));
          for (let i = 0; i < n; i++) out[i] *= out[i];
        }
      : (xs, out, n) => {
          for (let i = 0; i < n; i++) {
            const d = f.derivative(xs[i], f.forward(xs[i]));
            out[i] = d * d;
          }
        };
  // The layer-by-layer variances are the first iterates of the fixed-point search from the same
  // q0: remembering F(q) spares those quadratures (same values, so the same bits).
  const memo = new Map<number, number>();
  const map = (q: number) => {
    let next = memo.get(q);
    if (next === undefined) {
      next = sigmaW2 * gaussianExpectationOf(forward2, biasMean, Math.sqrt(q), kinks) + sigmaB2;
      memo.set(q, next);
    }
    return next;
  };
  // The layer variances settle on q* bit for bit after a few layers (a sigmoid net at gain 1: 14 distinct
  // of 20, and q* is the last), so χ is remembered per q too: a pure function, the same bits.
  const chiMemo = new Map<number, number>();
  const chiAt = (q: number) => {
    let chi = chiMemo.get(q);
    if (chi === undefined) {
      chi = sigmaW2 * gaussianExpectationOf(slope2, biasMean, Math.sqrt(Math.min(Math.max(q, TINY_Q), HUGE_Q)), kinks);
      chiMemo.set(q, chi);
    }
    return chi;
  };

  const q0 = sigmaW2 * inputVariance + sigmaB2;
  const q: number[] = [];
  for (let l = 0, v = q0; l < depth; l++, v = map(v)) q.push(v);
  const chi = q.map(chiAt);
  let deltaRatio = 1;
  for (let l = 0; l + 1 < chi.length; l++) deltaRatio *= Math.sqrt(chi[l]);

  const qStar = fixedPoint(map, q0);
  const chi1 = chiAt(qStar);
  const logChi = math.log(chi1);
  const critical = Math.abs(logChi) < 1e-9;
  return {
    q,
    chi,
    qStar,
    chi1,
    perLayerFactor: Math.sqrt(chi1),
    depthScale: critical ? Number.POSITIVE_INFINITY : 1 / Math.abs(logChi),
    regime: critical ? 'critical' : logChi < 0 ? 'vanishing' : 'exploding',
    deltaRatio,
  };
}

/**
 * The fixed point the iteration q ← F(q) reaches from q0. A few dozen iterations settle a
 * strongly contracting map. Slow cases (tanh near criticality, where q_l ~ 1/l; ReLU-like maps
 * that grow or shrink by a constant factor) would need hundreds more, each a quadrature, so after
 * {@link PLAIN_ITERATIONS} the search walks in the direction of motion by growing factors (2, 4,
 * 8, … in q) until F(q)/q − 1 changes sign, then solves F(q) = q in log q by the Illinois
 * method (regula falsi that halves the stale end's value, superlinear and always bracketed).
 * Returns 0 or Infinity when q leaves [1e-12·q0, 1e30·q0] without a sign change: the signal dies
 * out or grows without bound. Decision 0031 records why this replaced 300 plain iterations and a
 * bisection.
 */
function fixedPoint(map: (q: number) => number, q0: number): number {
  if (!(q0 > 0)) return q0 === 0 ? 0 : Number.NaN;
  const low = 1e-12 * q0;
  const high = 1e30 * q0;
  let q = q0;
  for (let it = 0; it < PLAIN_ITERATIONS; it++) {
    const next = map(q);
    if (!Number.isFinite(next) || next > high) return Number.POSITIVE_INFINITY;
    if (Math.abs(next - q) <= 1e-13 * Math.max(q, next)) return next;
    if (next < low) return 0;
    q = next;
  }
  const gap = (v: number) => map(v) / v - 1;
  const gapNear = gap(q);
  if (gapNear === 0) return q;
  const up = gapNear > 0;
  // Walk: each step multiplies q by 2^k, k = 1, 2, 3, …, clamped to the bounds.
  let near = q;
  let fNear = gapNear;
  let far = q;
  let fFar = gapNear;
  // A gap within the quadrature's noise (~1e-14) is no evidence of a sign change: keep walking.
  const beyond = (f: number) => (up ? f > -NOISE : f < NOISE);
  for (let k = 1; beyond(fFar) && !Number.isNaN(fFar); k++) {
    if (far === (up ? high : low)) return up ? Number.POSITIVE_INFINITY : 0;
    near = far;
    fNear = fFar;
    far = up ? Math.min(far * 2 ** k, high) : Math.max(far / 2 ** k, low);
    fFar = gap(far);
  }
  if (Number.isNaN(fFar)) return up ? Number.POSITIVE_INFINITY : 0;
  if (fFar === 0) return far;
  // Illinois on t = ln q over the bracket [near, far], where the gap changes sign.
  let a = math.log(near);
  let fa = fNear;
  let b = math.log(far);
  let fb = fFar;
  let side = 0;
  let t = b;
  for (let it = 0; it < 100 && Math.abs(b - a) > 1e-14 * Math.max(1, Math.abs(t)); it++) {
    t = (a * fb - b * fa) / (fb - fa);
    const ft = gap(math.exp(t));
    if (ft === 0 || !Number.isFinite(ft)) break;
    if (ft > 0 === fb > 0) {
      b = t;
      fb = ft;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = t;
      fa = ft;
      if (side === 1) fb /= 2;
      side = 1;
    }
  }
  return math.exp(t);
}

/** |F(q)/q − 1| below this is within the quadrature's rounding, not a sign. */
const NOISE = 1e-12;
/** Plain iterations of the variance map before the bracketing search takes over. */
const PLAIN_ITERATIONS = 30;
