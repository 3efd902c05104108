import { describe, expect, it } from 'vitest';
import { DenseLayer } from '../src/layers/dense.ts';
import { createRng } from '../src/rng.ts';
import { testRelu, testSigmoid } from './helpers.ts';

const bits = (a: Float64Array) => Array.from(new BigUint64Array(Float64Array.from(a).buffer));

/**
 * The dense layer's backward forms δ = g ⊙ f′ and adds the column sums of δ to ∂L/∂b in one
 * loop. Reference: the two separate passes it replaced, written out here (δ first, then each
 * column summed over the rows in order), compared bit for bit, with zeros, −0, subnormals,
 * infinities and NaN among the gradients and an accumulating ∂L/∂b (two backward calls).
 */
describe('dense backward: fused δ and bias gradient', () => {
  for (const [name, activation] of [
    ['relu', testRelu()],
    ['sigmoid', testSigmoid()],
  ] as const) {
    it(`equals δ = g ⊙ f′ then row-order column sums, bit for bit (${name})`, () => {
      const rng = createRng(5);
      const inputs = 7;
      const units = 13;
      const batch = 11;
      const W = Float64Array.from({ length: inputs * units }, () => rng.normal() * 0.5);
      const b = Float64Array.from({ length: units }, () => rng.normal());
      const layer = new DenseLayer(0, inputs, units, activation, false, W, b, { step: 0, strict: false });
      const special = [0, -0, 5e-324, -5e-324, 1e-310, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
      const biasGrad = layer.grads[1];
      const want = new Float64Array(units);
      for (const rows of [batch, 4]) {
        const x = Float64Array.from({ length: rows * inputs }, () => rng.normal() * 3);
        // g may be longer than rows × units (a partial last batch reuses the full buffer).
        const g = Float64Array.from({ length: batch * units }, (_, i) =>
          i % 9 === 0 ? special[(i / 9) % special.length] : rng.normal() * 10 ** Math.floor(-300 * rng.next()),
        );
        layer.forward(x, rows);
        layer.backward(g, rows, false);
        const view = layer.view(rows);
        const delta = new Float64Array(rows * units);
        for (let i = 0; i < delta.length; i++) delta[i] = g[i] * view.dadz[i];
        for (let r = 0; r < rows; r++) for (let j = 0; j < units; j++) want[j] += delta[r * units + j];
        expect(bits(view.delta)).toEqual(bits(delta));
        expect(bits(biasGrad)).toEqual(bits(want));
      }
      expect(biasGrad.some(Number.isNaN)).toBe(true);
      expect(delta0(layer.view(4).delta)).toBe(true);
    });
  }
});

/** Some δ entry is a subnormal or a signed zero, so those cases were exercised. */
const delta0 = (d: Float64Array) =>
  d.some((v) => Object.is(v, -0) || (v !== 0 && Math.abs(v) < 2.2250738585072014e-308));
