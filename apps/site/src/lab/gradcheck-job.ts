/**
 * Page 12's gradient check: the engine's backpropagated gradient against centred finite differences of
 * the engine's own loss, entry by entry, in float64 (or with the two loss values rounded to float32, to
 * show why the check wants double precision). The check is `gradientCheck` of @gradlab/probes, the one
 * `gradlab gradcheck` runs (decision 0018); this module maps a lab setting to it and its result to the
 * widget's. Its own module so the worker loads it on first use (decision 0040).
 */
import type { Registry } from '@gradlab/core';
import { canonicalSpec, type GradientCheckReport, gradientCheck } from '@gradlab/probes';
import { canonicalOptions } from './canonical-options.ts';
import type { Num, Setting } from './protocol.ts';

export const num = (v: number | null | undefined): Num => (Number.isFinite(v) ? (v as number) : null);

/** The check's report (columns per layer, output last; non-finite numbers null) with the job's kind and spec. */
export interface GradcheckResult extends GradientCheckReport {
  readonly kind: 'gradcheck';
  readonly spec: unknown;
}

/** The net is the canonical probe net (`gradlab probe`'s) at initialization (`gradientCheckSpec`). */
export function gradcheck(registry: Registry, s: Setting): GradcheckResult {
  // gradientCheckSpec's net written out (the worker chunk is budgeted); reproduce-cli.test.ts checks that
  // `gradlab gradcheck`, which uses gradientCheckSpec, prints this job's numbers.
  const spec = canonicalSpec({ ...canonicalOptions(s), steps: 0, lr: 0 }, { registry });
  // h is a numeric control (state.ts parses it); absent, the check's default 1e-5 applies.
  const h = s.h as number | undefined;
  return { kind: 'gradcheck', ...gradientCheck(spec, { registry, h, float32: s.precision === 'float32' }), spec };
}
