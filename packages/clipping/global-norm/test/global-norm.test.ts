import { describeClipping } from '@gradlab/testkit';
import { describe, expect, it } from 'vitest';
import globalNorm from '../src/index.ts';

describeClipping(globalNorm, { cases: [{}, { maxNorm: 5 }] });

it('scales everything by maxNorm/‖g‖: [3] and [4] with maxNorm 1 → [0.6] and [0.8]', () => {
  const out = [new Float64Array(1), new Float64Array(1)];
  const { stats } = globalNorm().update([Float64Array.of(3), Float64Array.of(4)], out, [], undefined);
  expect([out[0][0], out[1][0]]).toBeCloseToArray([0.6, 0.8]);
  expect(stats).toMatchObject({ preNorm: 5, scale: 0.2, clippedFraction: 1 });
});

it('survives gradients whose squares overflow: [3e200, 4e200] → [0.6, 0.8]', () => {
  const out = [new Float64Array(2)];
  globalNorm().update([Float64Array.of(3e200, 4e200)], out, [], undefined);
  expect(out[0]).toBeCloseToArray([0.6, 0.8]);
});

describe("normType (PyTorch clip_grad_norm_'s norm_type)", () => {
  const maxAbs = (ts: readonly Float64Array[]) => Math.max(...ts.flatMap((t) => Array.from(t, Math.abs)));
  describeClipping(globalNorm, {
    cases: [{ normType: 'inf', maxNorm: 0.5 }],
    bound: (out, _p, o) => (maxAbs(out) <= (o.maxNorm as number) + 1e-12 ? [] : [`max |g| = ${maxAbs(out)}`]),
  });
  describeClipping(globalNorm, { cases: [{ normType: '1', maxNorm: 0.5 }] });

  // Reference: torch.nn.utils.clip_grad_norm_([a, b], max_norm, norm_type) computes
  // total = ‖(‖a‖_p, ‖b‖_p)‖_p and multiplies by min(1, max_norm / (total + 1e-6)); the 1e-6 is left out here.
  it("'inf' takes the largest |g| over every tensor: [3] and [-8, 1] with maxNorm 2 → × 0.25", () => {
    const out = [new Float64Array(1), new Float64Array(2)];
    const { stats } = globalNorm({ maxNorm: 2, normType: 'inf' }).update(
      [Float64Array.of(3), Float64Array.of(-8, 1)],
      out,
      [],
      undefined,
    );
    expect([...out[0], ...out[1]]).toEqual([0.75, -2, 0.25]);
    expect(stats.scale).toBe(0.25);
  });

  it("'1' takes Σ|g| over every tensor: [3] and [-8, 1] (Σ = 12) with maxNorm 6 → × 0.5", () => {
    const out = [new Float64Array(1), new Float64Array(2)];
    globalNorm({ maxNorm: 6, normType: '1' }).update([Float64Array.of(3), Float64Array.of(-8, 1)], out, [], undefined);
    expect([...out[0], ...out[1]]).toEqual([1.5, -4, 0.5]);
  });

  it("'inf' with a NaN gradient passes it through instead of scaling by NaN", () => {
    const out = [new Float64Array(2)];
    const { stats } = globalNorm({ maxNorm: 1, normType: 'inf' }).update(
      [Float64Array.of(Number.NaN, 5)],
      out,
      [],
      undefined,
    );
    expect(stats.scale).toBe(1);
    expect(out[0][1]).toBe(5);
  });
});
