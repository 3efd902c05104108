/**
 * The free lab's conditional controls: α applies only to activations with an `alpha` option, the gain
 * only to initializers with a `gain` option. Checked against the engine's own validation: with every
 * activation (initializer) the control applies to, the probe accepts the option; with every other one
 * the engine refuses it, so leaving it out (applicableSetting) is what keeps the lab from erroring.
 */
import { describe, expect, it } from 'vitest';
import { buildRegistry, computeAtBuild } from '../src/lab/build.ts';
import { buildControl } from '../src/lab/catalog.ts';
import { applicableSetting, applies } from '../src/lab/state.ts';

const NET = { depth: 2, width: 4, batch: 4, seed: 0 };
const refused = (r: object) => 'error' in r;

describe('conditional controls', () => {
  const alpha = buildControl(buildRegistry, { name: 'alpha', conditional: true });
  const gain = buildControl(buildRegistry, { name: 'gain', conditional: true });

  it('α applies exactly where the engine accepts an alpha option', () => {
    expect(alpha.appliesWhen?.control).toBe('activation');
    expect(alpha.appliesWhen?.values).toContain('leaky-relu');
    expect(alpha.appliesWhen?.values).not.toContain('relu');
    for (const a of buildRegistry.list('activation').map((d) => d.meta.id)) {
      const r = computeAtBuild('probe', { ...NET, activation: a, initializer: 'glorot', alpha: 0.1 });
      expect(refused(r), `${a} with alpha`).toBe(!applies(alpha, { activation: a }));
    }
  });

  it('the gain applies exactly where the engine accepts a gain ≠ 1', () => {
    for (const i of buildRegistry.list('initializer').map((d) => d.meta.id)) {
      const r = computeAtBuild('probe', { ...NET, activation: 'tanh', initializer: i, gain: 1.5 });
      expect(refused(r), `${i} with gain 1.5`).toBe(!applies(gain, { initializer: i }));
    }
  });

  it('applicableSetting leaves out what does not apply and keeps everything else', () => {
    const s = { activation: 'relu', initializer: 'normal', alpha: 0.2, gain: 2, depth: 3 };
    expect(applicableSetting(s, [alpha, gain])).toEqual({ activation: 'relu', initializer: 'normal', depth: 3 });
    const t = { ...s, activation: 'leaky-relu', initializer: 'he' };
    expect(applicableSetting(t, [alpha, gain])).toEqual(t);
    // Unconditional requests (every page but the lab) are unchanged.
    expect(buildControl(buildRegistry, { name: 'alpha' }).appliesWhen).toBeUndefined();
  });
});
