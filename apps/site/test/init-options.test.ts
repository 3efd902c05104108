/**
 * Page 6's initialization lab: the initializers' own options become controls and reach the engine only
 * where declared, and the forward-pass theory it overlays matches the closed forms for ReLU.
 */
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { buildControl } from '../src/lab/catalog.ts';
import { reproduceCommand } from '../src/lab/command.ts';
import { declaredInitOptions, initializerRef } from '../src/lab/init-options.ts';
import { createJobs } from '../src/lab/jobs.ts';

const net = { activation: 'relu', depth: 10, width: 64, batch: 64, seed: 0, gain: 1 };

describe('initializer options as lab controls', () => {
  it('builds selects from the enum options the initializers declare, and refuses an option nobody declares', () => {
    const mode = buildControl(buildRegistry, { name: 'initMode' });
    expect(mode.kind === 'select' && mode.options.map((o) => o.value)).toEqual(['fan-in', 'fan-out']);
    const dist = buildControl(buildRegistry, { name: 'initDistribution' });
    expect(dist.kind === 'select' && dist.options.map((o) => o.value).sort()).toEqual([
      'normal',
      'truncated-normal',
      'uniform',
    ]);
    const std = buildControl(buildRegistry, { name: 'initStd', max: 1 });
    expect(std).toMatchObject({ kind: 'range', min: 0, max: 1 });
    expect(() => buildControl(buildRegistry, { name: 'initBogus' })).toThrow(
      'lab control initBogus: no registered initializer declares an option "bogus".',
    );
  });

  it('passes an option only to an initializer that declares it; the command writes it as --init id:option=value', () => {
    const s = { ...net, initializer: 'glorot', initMode: 'fan-out', initDistribution: 'uniform', initStd: 0.01 };
    expect(initializerRef(buildRegistry, s)).toEqual(['glorot', { distribution: 'uniform' }]);
    expect(initializerRef(buildRegistry, { ...s, initializer: 'normal' })).toEqual(['normal', { std: 0.01 }]);
    expect(
      reproduceCommand('probe', { ...s, initializer: 'he' }, 'x.spec.json', declaredInitOptions(buildRegistry)),
    ).toMatch(/ --init he:mode=fan-out:distribution=uniform /);
  });
});

describe('the forward pass against the mean-field closed forms (ReLU, zero biases, unit-variance inputs)', () => {
  const jobs = createJobs(buildRegistry);
  it('He: q_l = 2 at every layer (the variance is level), so the predicted std of z is √2 everywhere', () => {
    const r = jobs.probe({ ...net, initializer: 'he' });
    for (const p of r.predictedStd!.slice(0, -1)) expect(p).toBeCloseTo(Math.SQRT2, 10);
  });

  it('Glorot on square layers: Var(W) = 1/n, so q_l = 2^-l (std × 1/√2 per layer); N(0, 0.01²): q_l = 0.0064·(0.0032)^l', () => {
    const g = jobs.probe({ ...net, initializer: 'glorot' });
    g.predictedStd!.slice(0, -1).forEach((p, l) => {
      expect(p! / Math.sqrt(2 ** -l) - 1).toBeCloseTo(0, 8);
    });
    const small = jobs.probe({ ...net, initializer: 'normal', initStd: 0.01 });
    small.predictedStd!.slice(0, -1).forEach((p, l) => {
      expect(p! / Math.sqrt(0.0064 * 0.0032 ** l) - 1).toBeCloseTo(0, 8);
    });
    // The measured forward std at the first hidden layer is one draw of 64 × 64 inputs: within 5 % of theory.
    expect(Math.abs(small.preactivationStd[0]! / 0.08 - 1)).toBeLessThan(0.05);
  });

  it('constant weights raise SYMMETRY; a random draw of the same size does not', () => {
    expect(jobs.probe({ ...net, initializer: 'constant', initValue: 0.1 }).findings).toContain('SYMMETRY');
    expect(jobs.probe({ ...net, initializer: 'normal', initStd: 0.1 }).findings).not.toContain('SYMMETRY');
  });
});
