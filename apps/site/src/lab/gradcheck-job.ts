/**
 * Page 12's gradient check: the engine's backpropagated gradient against centred finite differences of
 * the engine's own loss, entry by entry, in float64 (or with the two loss values rounded to float32, to
 * show why the check wants double precision). The check is `gradientCheck` of @gradlab/probes, the one
 * `gradlab gradcheck` runs (decision 0018); this module maps a lab setting to it and its result to the
 * widget's. Its own module so the worker loads it on first use (decision 0040).
 */
import type { Registry } from '@gradlab/core';
import { GRADIENT_CHECK_H, gradientCheck, gradientCheckSpec } from '@gradlab/probes';
import { canonicalOptions } from './canonical-options.ts';
import type { Num, Setting } from './protocol.ts';

export const num = (v: number | null | undefined): Num =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;
const n = (s: Setting, k: string, d: number) => (typeof s[k] === 'number' ? (s[k] as number) : d);

export interface GradcheckResult {
  readonly kind: 'gradcheck';
  /** Per layer (output last): the largest relative error |a − n| / max(|a|, |n|) over the checked entries. */
  readonly relError: Num[];
  /** Per layer: the largest absolute error |a − n|. */
  readonly absError: Num[];
  /** Per layer: the median |∂L/∂W| of the checked entries (the analytic values). */
  readonly gradMagnitude: Num[];
  /** Per layer: checked entries whose ±h step moves some pre-activation across a kink of f. */
  readonly kinksCrossed: number[];
  readonly h: number;
  /** The loss values were rounded to float32 before differencing. */
  readonly float32: boolean;
  /** The loss at initialization. */
  readonly loss: Num;
  readonly spec: unknown;
}

/** The net is the canonical probe net (`gradlab probe`'s) at initialization (`gradientCheckSpec`). */
export function gradcheck(registry: Registry, s: Setting): GradcheckResult {
  const spec = gradientCheckSpec(canonicalOptions(s), { registry });
  const r = gradientCheck(spec, { registry, h: n(s, 'h', GRADIENT_CHECK_H), float32: s.precision === 'float32' });
  const col = (k: 'relError' | 'absError' | 'gradMagnitude') => r.layers.map((l) => num(l[k]));
  return {
    kind: 'gradcheck',
    relError: col('relError'),
    absError: col('absError'),
    gradMagnitude: col('gradMagnitude'),
    kinksCrossed: r.layers.map((l) => l.kinksCrossed),
    h: r.h,
    float32: r.float32,
    loss: num(r.loss),
    spec,
  };
}
