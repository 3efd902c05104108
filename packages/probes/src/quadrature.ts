/**
 * Gauss quadrature rules computed here (no tables): Golub–Welsch for the nodes (eigenvalues of
 * the Jacobi matrix, found by Sturm-sequence bisection), Newton polishing on the orthonormal
 * three-term recurrence, and weights from the Christoffel function w_i = 1 / Σ_k p_k(x_i)².
 */
// The engine's portable exp, not Math.exp: the prediction must have the same bits in Node and the browser.
import { math } from '@gradlab/plugin-api';

/** Nodes and weights of an n-point rule; weights sum to 1 (the measure is normalised). */
export interface GaussRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/**
 * The Gauss rule of a normalised measure with orthonormal recurrence
 * b_{k+1} p_{k+1}(x) = (x − a_k) p_k(x) − b_k p_{k−1}(x), p_0 = 1, for k = 0 … n−1.
 * `a` has n entries, `b` has n (b[0] is unused; b[k] couples p_{k−1} and p_k).
 */
export function gaussRule(a: readonly number[], b: readonly number[]): GaussRule {
  const n = a.length;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  // Gershgorin bounds of the Jacobi matrix.
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(b[i]) : 0) + (i + 1 < n ? Math.abs(b[i + 1]) : 0);
    lo = Math.min(lo, a[i] - r);
    hi = Math.max(hi, a[i] + r);
  }
  /** Number of eigenvalues below x (Sturm count of the LDLᵀ pivots). */
  const below = (x: number) => {
    let count = 0;
    let d = 1;
    for (let i = 0; i < n; i++) {
      d = a[i] - x - (i > 0 ? (b[i] * b[i]) / d : 0);
      if (d === 0) d = -Number.EPSILON * (Math.abs(x) + 1);
      if (d < 0) count++;
    }
    return count;
  };
  for (let k = 0; k < n; k++) {
    let left = lo;
    let right = hi;
    for (let it = 0; it < 200 && right - left > 2 * Number.EPSILON * Math.max(1, Math.abs(left + right)); it++) {
      const mid = (left + right) / 2;
      if (below(mid) > k) right = mid;
      else left = mid;
    }
    let x = (left + right) / 2;
    // Newton on p_n (two steps suffice from a bisected start; they fix the last bits).
    for (let it = 0; it < 3; it++) {
      const [p, dp] = evaluate(a, b, x);
      if (dp === 0 || !Number.isFinite(p / dp)) break;
      const next = x - p / dp;
      if (!(next > left - 1e-8 && next < right + 1e-8)) break;
      x = next;
    }
    nodes[k] = x;
    weights[k] = christoffel(a, b, x);
  }
  let total = 0;
  for (const w of weights) total += w;
  for (let i = 0; i < n; i++) weights[i] /= total;
  return { nodes, weights };
}

/** p_n(x) up to a positive factor, and its derivative, by the recurrence. */
function evaluate(a: readonly number[], b: readonly number[], x: number): [number, number] {
  let p0 = 0;
  let p1 = 1;
  let d0 = 0;
  let d1 = 0;
  for (let k = 0; k < a.length; k++) {
    const bk = k > 0 ? b[k] : 0;
    const bNext = k + 1 < a.length ? b[k + 1] : 1;
    const p2 = ((x - a[k]) * p1 - bk * p0) / bNext;
    const d2 = (p1 + (x - a[k]) * d1 - bk * d0) / bNext;
    p0 = p1;
    p1 = p2;
    d0 = d1;
    d1 = d2;
  }
  return [p1, d1];
}

/** 1 / Σ_{k<n} p_k(x)²: the Gauss weight at a node x. */
function christoffel(a: readonly number[], b: readonly number[], x: number): number {
  let p0 = 0;
  let p1 = 1;
  let sum = 1;
  for (let k = 0; k + 1 < a.length; k++) {
    const p2 = ((x - a[k]) * p1 - (k > 0 ? b[k] : 0) * p0) / b[k + 1];
    p0 = p1;
    p1 = p2;
    sum += p1 * p1;
  }
  return 1 / sum;
}

const cache = new Map<string, GaussRule>();
function cached(key: string, make: () => GaussRule): GaussRule {
  let rule = cache.get(key);
  if (!rule) {
    rule = make();
    cache.set(key, rule);
  }
  return rule;
}

/**
 * n-point Gauss–Hermite rule for the standard normal: Σ w_i f(x_i) ≈ E[f(Z)], Z ~ N(0, 1),
 * exact for polynomials of degree ≤ 2n − 1 (probabilists' Hermite: a_k = 0, b_k = √k).
 */
export function gaussHermite(n: number): GaussRule {
  return cached(`hermite/${n}`, () =>
    gaussRule(
      Array.from({ length: n }, () => 0),
      Array.from({ length: n }, (_, k) => Math.sqrt(k)),
    ),
  );
}

/** n-point Gauss–Legendre rule on [−1, 1] with weights summing to 1 (b_k = k/√(4k² − 1)). */
export function gaussLegendre(n: number): GaussRule {
  return cached(`legendre/${n}`, () =>
    gaussRule(
      Array.from({ length: n }, () => 0),
      Array.from({ length: n }, (_, k) => k / Math.sqrt(4 * k * k - 1)),
    ),
  );
}

/** |ξ| beyond which the standard normal density (< 1e-31) is dropped. */
const TAIL = 12;
const PANEL_POINTS = 20;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * E[g(mean + sd·Z)] for Z ~ N(0, 1), for g that is smooth between the given breakpoints (kinks,
 * in x). Composite Gauss–Legendre in ξ over [−12, 12]: panels split at every kink and at x = 0
 * and are graded geometrically away from them (width ∝ 1/sd there), so kinks (ReLU) and steep
 * activations at large variance (tanh with sd = 100) are integrated to ~1e-14 relative.
 * A single Gauss–Hermite rule converges only algebraically across a kink.
 */
export function gaussianExpectation(
  g: (x: number) => number,
  mean: number,
  sd: number,
  breakpoints: readonly number[] = [],
): number {
  return gaussianExpectationOf(
    (xs, out, n) => {
      for (let i = 0; i < n; i++) out[i] = g(xs[i]);
    },
    mean,
    sd,
    breakpoints,
  );
}

/**
 * {@link gaussianExpectation} with the integrand evaluated in one call over every node: `gInto(xs, out, n)`
 * sets out[i] = g(xs[i]) for i < n (the arrays may be longer). The same nodes and the same sums in the same
 * order, so the same bits as the scalar form for the same g; the theory passes an activation's
 * `forwardInto`, which evaluates two exps side by side (sigmoid) where `forward` does one at a time.
 */
export function gaussianExpectationOf(
  gInto: (xs: Float64Array, out: Float64Array, n: number) => void,
  mean: number,
  sd: number,
  breakpoints: readonly number[] = [],
): number {
  // A diverged variance map (q → ∞ in an exploding net) has no finite expectation to report.
  if (!Number.isFinite(sd) || !Number.isFinite(mean)) return Number.NaN;
  if (!(sd > 0)) {
    const at = take(1);
    try {
      at.xs[0] = mean;
      gInto(at.xs, at.values, 1);
      return at.values[0];
    } finally {
      give(at);
    }
  }
  const hMax = 0.5;
  // Floor the finest panel so the grading loop below always terminates.
  const h0 = Math.max(Math.min(hMax, 0.5 / sd), 1e-12);
  const points: number[] = [];
  for (let x = -TAIL; x <= TAIL + 1e-9; x += hMax) points.push(x);
  for (const kink of [0, ...breakpoints]) {
    const c = (kink - mean) / sd;
    if (!(c > -TAIL && c < TAIL)) continue;
    points.push(c);
    for (let h = h0, off = h0; h < hMax; h *= 2, off += h) {
      if (c + off < TAIL) points.push(c + off);
      if (c - off > -TAIL) points.push(c - off);
    }
  }
  points.sort((p, q) => p - q);
  const { nodes, weights } = gaussLegendre(PANEL_POINTS);
  // First every node's x and density factor, panel by panel; then g at all of them; then the sums.
  const w = take((points.length - 1) * PANEL_POINTS);
  const { xs, values, density, halves } = w;
  let n = 0;
  let panels = 0;
  for (let i = 1; i < points.length; i++) {
    const left = points[i - 1];
    const right = points[i];
    if (!(right > left)) continue;
    const half = (right - left) / 2;
    const mid = (right + left) / 2;
    // A panel of the fixed grid (most of them) has the same nodes every call: its density factors are cached.
    // (Exactly [k/2, k/2 + 1/2]: then mid and half, hence the nodes, are those the cache was built from.)
    const panel = Number.isInteger(2 * left) && right === left + hMax ? gridPanel(left, mid, half, nodes) : undefined;
    for (let j = 0; j < PANEL_POINTS; j++, n++) {
      const xi = panel ? panel[j] : mid + half * nodes[j];
      xs[n] = mean + sd * xi;
      density[n] = panel ? panel[PANEL_POINTS + j] : math.exp(-0.5 * xi * xi);
    }
    halves[panels++] = half;
  }
  try {
    gInto(xs, values, n);
    let total = 0;
    for (let p = 0, k = 0; p < panels; p++) {
      let s = 0;
      for (let j = 0; j < PANEL_POINTS; j++, k++) s += weights[j] * values[k] * density[k];
      total += 2 * halves[p] * s;
    }
    return total / SQRT_2PI;
  } finally {
    give(w);
  }
}

interface Work {
  readonly xs: Float64Array;
  readonly values: Float64Array;
  readonly density: Float64Array;
  readonly halves: Float64Array;
}
const work = (size: number): Work => ({
  xs: new Float64Array(size),
  values: new Float64Array(size),
  density: new Float64Array(size),
  halves: new Float64Array(Math.ceil(size / PANEL_POINTS)),
});
/**
 * Working arrays of {@link gaussianExpectationOf}, reused across calls (a prediction makes hundreds). Taken
 * out while a call uses them, so an integrand that itself integrates (a nested expectation) gets its own.
 */
let spare: Work | undefined;
function take(n: number): Work {
  const w = spare && spare.xs.length >= n ? spare : work(Math.max(n, 2 * (spare?.xs.length ?? 0)));
  spare = undefined;
  return w;
}
function give(w: Work) {
  if (!spare || spare.xs.length < w.xs.length) spare = w;
}

/**
 * The nodes ξ_j and density factors exp(−ξ_j²/2) of the panel [left, left + 0.5], `left` a multiple of
 * 0.5 (within ±12), computed once by the very expressions of the loop above: the same bits.
 * Decision 0013: the density was half of the theory's exp calls, the theory ~2.4 ms per new gain.
 */
const gridPanels = new Map<number, Float64Array>();
function gridPanel(left: number, mid: number, half: number, nodes: Float64Array): Float64Array {
  let panel = gridPanels.get(left);
  if (!panel) {
    panel = new Float64Array(2 * PANEL_POINTS);
    for (let j = 0; j < PANEL_POINTS; j++) {
      const xi = mid + half * nodes[j];
      panel[j] = xi;
      panel[PANEL_POINTS + j] = math.exp(-0.5 * xi * xi);
    }
    gridPanels.set(left, panel);
  }
  return panel;
}
