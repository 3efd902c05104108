import { describeClipping } from '@gradlab/testkit';
import { describe, expect, it } from 'vitest';
import norm from '../src/index.ts';

describeClipping(norm, { cases: [{}, { maxNorm: 0.5 }] });

it('rescales each tensor on its own: [3, 4] → [0.6, 0.8] while [0.3, 0.4] is kept', () => {
  const out = [new Float64Array(2), new Float64Array(2)];
  const { stats } = norm().update([Float64Array.of(3, 4), Float64Array.of(0.3, 0.4)], out, [], undefined);
  expect([...out[0], ...out[1]]).toBeCloseToArray([0.6, 0.8, 0.3, 0.4]);
  expect(stats).toMatchObject({ minScale: 0.2, clippedFraction: 0.5 });
});

describe("normType (PyTorch's norm_type, applied per tensor)", () => {
  const maxAbs = (t: Float64Array) => Math.max(...Array.from(t, Math.abs));
  describeClipping(norm, {
    cases: [{ normType: 'inf', maxNorm: 0.5 }],
    bound: (out, _p, o) =>
      out.flatMap((t, k) => (maxAbs(t) <= (o.maxNorm as number) + 1e-12 ? [] : [`tensor ${k}: max |g| ${maxAbs(t)}`])),
  });
  describeClipping(norm, { cases: [{ normType: '1', maxNorm: 0.5 }] });

  it("'inf' rescales by c / max|g|: [3, -4] with maxNorm 2 → [1.5, -2]; [0.3, 0.4] is kept", () => {
    const out = [new Float64Array(2), new Float64Array(2)];
    norm({ maxNorm: 2, normType: 'inf' }).update(
      [Float64Array.of(3, -4), Float64Array.of(0.3, 0.4)],
      out,
      [],
      undefined,
    );
    expect([...out[0], ...out[1]]).toEqual([1.5, -2, 0.3, 0.4]);
  });

  it("'1' rescales by c / Σ|g|: [3, -4] with maxNorm 1.4 → [0.6, -0.8]", () => {
    const out = [new Float64Array(2)];
    const { stats } = norm({ maxNorm: 1.4, normType: '1' }).update([Float64Array.of(3, -4)], out, [], undefined);
    expect([...out[0]]).toBeCloseToArray([0.6, -0.8]);
    // Stats stay Euclidean: ‖[3, −4]‖₂ = 5 before, ‖[0.6, −0.8]‖₂ = 1 after.
    expect(stats.preNorm).toBe(5);
    expect(stats.postNorm).toBeCloseTo(1, 15);
  });
});
