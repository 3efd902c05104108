import { describe, expect, it } from 'vitest';
import { withBuffers } from '../src/buffers.ts';
import { createSession } from '../src/session.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import { bytes, recordingProbe, testRegistry } from './helpers.ts';

/** Dense layers (one residual), momentum (optimizer state) and a probe that needs updates: every kind of buffer. */
const spec: ExperimentSpec = {
  seed: 7,
  data: ['moons', { samples: 60 }],
  model: {
    defaults: { initializer: ['normal', { std: 0.7 }] },
    layers: [
      { type: 'dense', units: 5, activation: 'tanh' },
      { type: 'dense', units: 5, activation: 'relu', residual: true },
      { type: 'dense', units: 1 },
    ],
  },
  train: { loss: 'bce', optimizer: ['momentum', { lr: 0.05 }], batchSize: 16, steps: 12 },
};

function run() {
  const { definition, seen } = recordingProbe(
    (t) => t.layers.map((l) => Float64Array.from(l.updateW ?? [])),
    ['updates'],
  );
  const session = createSession(spec, { registry: testRegistry(), probes: [definition()] });
  const result = session.run();
  return {
    session,
    losses: result.losses,
    params: session.model.params.map((p) => bytes(p.value)),
    updates: seen.flat().map(bytes),
  };
}

/** A lender that hands out the same buffers again on every call, still holding the last run's numbers until lent. */
function recycling() {
  const held: Float64Array[] = [];
  let next = 0;
  return {
    held,
    restart: () => {
      for (const b of held) b.fill(Number.NaN);
      next = 0;
    },
    lend: (n: number) => {
      const b = held[next++];
      if (b) {
        // The same spec takes its buffers in the same order.
        if (b.length !== n) throw new Error(`buffer ${next - 1}: length ${n}, was ${b.length}`);
        return b.fill(0);
      }
      held.push(new Float64Array(n));
      return held[held.length - 1];
    },
  };
}

describe('withBuffers', () => {
  it('takes the engine’s working buffers from the lender, and reused memory gives the same bits', () => {
    const fresh = run();
    const pool = recycling();
    const first = withBuffers(pool.lend, run);
    // Gradients, activations, batch copies, updates and momentum state: several per layer.
    expect(pool.held.length).toBeGreaterThan(3 * 6);
    const count = pool.held.length;
    pool.restart();
    const second = withBuffers(pool.lend, run);
    expect(pool.held.length).toBe(count); // every buffer of the second run was a recycled one
    // The weights are copied from the initializers into lent buffers (engine buffers, decision 0059); so are the gradients.
    const lent = (p: { value: Float64Array }) => pool.held.includes(p.value);
    expect(second.session.model.params.every(lent)).toBe(true);
    expect(second.session.model.grads.every((g) => pool.held.includes(g))).toBe(true);
    const { session: _a, ...a } = first;
    const { session: _b, ...b } = second;
    const { session: _f, ...f } = fresh;
    expect(a).toEqual(f);
    expect(b).toEqual(f);
  });

  it('restores the previous source after the call, also when it throws', () => {
    const lent: number[] = [];
    const lend = (n: number) => {
      lent.push(n);
      return new Float64Array(n);
    };
    expect(() =>
      withBuffers(lend, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(withBuffers(lend, () => 42)).toBe(42);
    run();
    expect(lent).toEqual([]);
  });
});
