/** Adam's first update of one weight, from the engine's own optimizer (no reimplementation here). */
import { adam } from '@gradlab/core';
import type { ParamSlot } from '@gradlab/plugin-api';

/** |Δw| of the engine's Adam on its first step for gradient `grad` (β₁ 0.9, β₂ 0.999, ε 1e-8, PyTorch style). */
export function adamFirstStep(lr: number, grad: number): number {
  const w = Float64Array.of(1);
  const slot: ParamSlot = { name: 'dense_0.W', layer: 0, role: 'weight', shape: [1, 1], value: w };
  const opt = adam.create({ lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, epsilonStyle: 'pytorch' }, [slot]);
  opt.step([slot], [Float64Array.of(grad)]);
  return Math.abs(1 - w[0]);
}
