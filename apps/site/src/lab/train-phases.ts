/**
 * A training run in two phases: the "kill, then revive" experiment of page 5. Phase 1 trains the
 * setting as given for `reviveAt` steps; phase 2 continues from phase 1's weights (same data, same
 * seed; the optimizer's state starts afresh) with the activation, learning rate and optimizer the
 * `revive…` keys name, up to `trainSteps` steps in all. Without `reviveAt` (or with 0) a run has one phase.
 *
 * Setting keys read here:
 * - `reviveAt`: the step where phase 2 starts (1 ≤ reviveAt < trainSteps);
 * - `reviveActivation`, `reviveLr`, `reviveOptimizer`: phase 2's activation, learning rate and optimizer
 *   (each defaults to phase 1's).
 * - `alpha` goes to whichever phase's activation declares an `alpha` option (leaky-relu's slope, elu's
 *   scale) and is left out for one that does not (relu), so one α control serves both phases.
 */
import type { Registry } from '@gradlab/core';
import type { Setting } from './protocol.ts';

const PHASE_KEYS = ['reviveAt', 'reviveActivation', 'reviveLr', 'reviveOptimizer'] as const;

/** The setting without `alpha` when its activation declares no such option. */
export function alphaWhereDeclared(registry: Registry, s: Setting): Setting {
  if (s.alpha === undefined) return s;
  const id = typeof s.activation === 'string' ? s.activation : 'relu';
  const def = registry.get('activation', id);
  if (def && 'alpha' in def.options) return s;
  const { alpha: _dropped, ...rest } = s;
  return rest;
}

export interface Phases {
  /** Phase 1's setting (`trainSteps` = its own steps). */
  readonly first: Setting;
  /** Phase 2's setting, or null for a one-phase run. */
  readonly second: Setting | null;
}

/** Splits a setting into its phases (see the module comment); a bad `reviveAt` is a clear error. */
export function trainPhases(registry: Registry, s: Setting): Phases {
  const base: Record<string, number | string> = { ...s };
  for (const k of PHASE_KEYS) delete base[k];
  const at = s.reviveAt;
  if (at === undefined || at === 0) return { first: alphaWhereDeclared(registry, base), second: null };
  const total = typeof s.trainSteps === 'number' ? s.trainSteps : 100;
  if (typeof at !== 'number' || !Number.isInteger(at) || at < 1 || at >= total)
    throw new TypeError(
      `lab setting reviveAt: ${String(at)} must be a whole number of steps between 1 and trainSteps − 1 (${total - 1}), or 0 for one phase.`,
    );
  const first = alphaWhereDeclared(registry, { ...base, trainSteps: at });
  const second = alphaWhereDeclared(registry, {
    ...base,
    trainSteps: total - at,
    ...(s.reviveActivation !== undefined && { activation: s.reviveActivation }),
    ...(s.reviveLr !== undefined && { lr: s.reviveLr }),
    ...(s.reviveOptimizer !== undefined && { optimizer: s.reviveOptimizer }),
  });
  return { first, second };
}
