import type { ParamRole } from './types.ts';

/**
 * L2 norm of several tensors taken together, computed as m·√Σ(x/m)² with m = max |x|, so it
 * cannot overflow when |x| > 1e154 (where x² would). NaN anywhere gives NaN; ±Infinity gives
 * Infinity. Shared by the clipping rules, whose stats and thresholds all use it.
 */
export function l2Norm(tensors: readonly Float64Array[]): number {
  let m = 0;
  for (const t of tensors) for (let i = 0; i < t.length; i++) m = Math.max(m, Math.abs(t[i]));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  // v·v, not v ** 2: only +, ×, ÷ and √ are exactly rounded in every engine (decision 0010). V8 gives
  // the same bits for both, so results are unchanged.
  for (const t of tensors)
    for (let i = 0; i < t.length; i++) {
      const v = t[i] / m;
      s += v * v;
    }
  return m * Math.sqrt(s);
}

/**
 * The `normType` option of the norm-clipping rules, PyTorch's `clip_grad_norm_(norm_type=…)`:
 * '2' (default) the Euclidean norm, '1' the sum of |g|, 'inf' the largest |g|.
 */
export const normTypeOption = {
  type: 'enum',
  values: ['2', '1', 'inf'],
  default: '2',
  description:
    "Which norm is compared with maxNorm: '2' (Euclidean), '1' (Σ|g|) or 'inf' (max |g|), as PyTorch's norm_type.",
} as const;

/** A value of {@link normTypeOption}. */
export type NormType = (typeof normTypeOption.values)[number];

/**
 * The norm of several tensors taken together, as PyTorch's `clip_grad_norm_` computes it (the
 * norm of the per-tensor norms is the norm of all entries): '2' is {@link l2Norm}, '1' is Σ|x|,
 * 'inf' is max |x|. NaN anywhere gives NaN.
 */
export function gradientNorm(tensors: readonly Float64Array[], type: NormType): number {
  if (type === '2') return l2Norm(tensors);
  let r = 0;
  for (const t of tensors) {
    for (let i = 0; i < t.length; i++) {
      const a = Math.abs(t[i]);
      r = type === '1' ? r + a : a > r || Number.isNaN(a) ? a : r;
    }
  }
  return r;
}

/** The `apply` option every regularizer offers: which parameter tensors it penalizes. */
export const applyOption = {
  type: 'enum',
  values: ['weights', 'weights-and-biases', 'all'],
  default: 'weights',
  description: "Which tensors are penalized: 'weights' (dense and recurrent), plus biases, or every parameter.",
} as const;

const APPLY_ROLES: Readonly<Record<(typeof applyOption.values)[number], readonly ParamRole[]>> = {
  weights: ['weight', 'recurrent'],
  'weights-and-biases': ['weight', 'recurrent', 'bias'],
  all: ['weight', 'recurrent', 'bias', 'gamma', 'beta'],
};

/** The parameter roles an `apply` value selects. */
export function rolesFor(apply: (typeof applyOption.values)[number]): readonly ParamRole[] {
  return APPLY_ROLES[apply];
}
