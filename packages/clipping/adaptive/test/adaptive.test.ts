import type { ParamSlot } from '@gradlab/plugin-api';
import { describeClipping } from '@gradlab/testkit';
import { expect, it } from 'vitest';
import adaptive from '../src/index.ts';

describeClipping(adaptive, { cases: [{}, { clipping: 0.5, eps: 0 }] });

it('clips unit-wise (per column of [fanIn, fanOut]): ‖G_u‖ ≤ λ·max(‖W_u‖, ε)', () => {
  // W = [[3, 0], [4, 0]]: unit 0 has ‖W‖ = 5, unit 1 has ‖W‖ = 0 → floor ε = 1e-3.
  const slot: ParamSlot = { name: 'W', layer: 0, role: 'weight', shape: [2, 2], value: Float64Array.of(3, 0, 4, 0) };
  const out = [new Float64Array(4)];
  adaptive({ clipping: 0.1 }).update([Float64Array.of(0.3, 1, 0.4, 0)], out, [slot], undefined);
  // unit 0: ‖G‖ = 0.5 ≤ 0.1·5, kept; unit 1: ‖G‖ = 1 > 0.1·1e-3 → scaled to 1e-4
  expect([...out[0]]).toEqual([0.3, expect.closeTo(1e-4, 18), 0.4, 0]);
});
