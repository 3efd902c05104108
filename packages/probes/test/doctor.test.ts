import { describe, expect, it } from 'vitest';
import { applyToSpec, contextHint, describeChange, doctor, FINDINGS, runProbe } from '../src/index.ts';
import { registry } from './helpers.ts';
import { SCENARIOS } from './scenarios/catalog.ts';

const serious = (codes: { code: string; severity: string }[]) =>
  codes.filter((f) => f.severity !== 'info').map((f) => f.code);

describe('doctor', () => {
  it('tries each applicable fix of a vanishing sigmoid net, and every fix it marks cleared clears when re-run', () => {
    const setup = {
      kind: 'probe' as const,
      options: { activation: 'sigmoid', initializer: 'glorot', depth: 8, width: 32, batch: 32 },
    };
    const report = doctor(setup, { registry: registry() });
    expect(serious(report.findings)).toContain('VANISHING_GRADIENTS');
    const vanishing = report.fixes.filter((f) => f.finding.code === 'VANISHING_GRADIENTS');
    // glorot is already the initializer: it is not suggested.
    expect(vanishing.map((f) => f.change)).toEqual(['--init he', '--activation relu --init he']);
    const relu = vanishing.find((f) => f.change === '--activation relu --init he');
    expect(relu?.cleared).toBe(true);
    expect(relu?.before.deltaRatio).toBeLessThan(1e-3);
    expect(relu?.after.deltaRatio).toBeGreaterThan(1e-3);
    for (const fix of report.fixes.filter((f) => f.cleared)) {
      const again = runProbe({ ...setup.options, ...toOptions(fix.setting) }, { registry: registry() });
      expect(serious(again.findings)).not.toContain(fix.finding.code);
    }
  });

  it('on a spec: lowering the learning rate clears LOSS_DIVERGING, and the JSON shape is { findings, fixes }', () => {
    const spec = SCENARIOS.find((s) => s.name.startsWith('run sgd lr 100'))?.spec;
    if (!spec) throw new Error('scenario missing');
    const report = doctor({ kind: 'spec', spec }, { registry: registry() });
    expect(Object.keys(report)).toEqual(['findings', 'fixes']);
    const lr = report.fixes.find((f) => f.finding.code === 'LOSS_DIVERGING' && f.setting.lrFactor === 0.01);
    expect(lr).toMatchObject({ change: 'train: lr 1' });
    expect(typeof lr?.cleared).toBe('boolean');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('never suggests what the setup has: no clipping when the spec clips, CLI flags in CLI context', () => {
    const spec = SCENARIOS.find((s) => s.name.startsWith('run sgd lr 100'))?.spec;
    if (!spec) throw new Error('scenario missing');
    const clipped = { ...spec, train: { ...spec.train, clipping: ['global-norm'] } };
    expect(applyToSpec(clipped, { clipping: 'global-norm' })).toBeUndefined();
    const finding = { code: 'LOSS_DIVERGING' as const, severity: 'error' as const, step: 1, message: '', evidence: {} };
    expect(contextHint(finding, { kind: 'spec', spec: clipped }, 'spec')).not.toContain('clipping');
    expect(contextHint(finding, { kind: 'spec', spec }, 'spec')).toContain("clipping ['global-norm']");
    const dead = { ...finding, code: 'DEAD_UNITS' as const, severity: 'warn' as const };
    expect(contextHint(dead, { kind: 'probe', options: { steps: 20, biasInit: -1 } }, 'cli')).toBe(
      'Try --activation leaky-relu; --bias 0.01; or --lr 0.0001. (gradlab doctor tries each with the same seed and reports whether it clears this.)',
    );
    expect(describeChange({ bias: 0.01 }, 'spec')).toBe(
      "biasInitializer ['constant', { value: 0.01 }] on the hidden layers",
    );
  });

  it('suggests only the learning-rate direction that can help an update ratio, and no change twice', () => {
    const ratio = (value: number) => ({
      code: 'UPDATE_RATIO' as const,
      severity: 'warn' as const,
      step: 0,
      message: '',
      evidence: { ratio: value, threshold: value < 1e-3 ? 1e-6 : 1e-1 },
    });
    const at = { kind: 'probe' as const, options: { steps: 20, lr: 0.001 } };
    const tail = '. (gradlab doctor tries each with the same seed and reports whether it clears this.)';
    // Too small: only a higher rate (0.001 × 100); too large: only a lower one (0.001 × 0.1).
    expect(contextHint(ratio(1e-14), at, 'cli')).toBe(`Try --lr 0.1${tail}`);
    expect(contextHint(ratio(0.5), at, 'cli')).toBe(`Try --lr 0.0001${tail}`);
    // On a ReLU net (the default activation), "--activation relu --init he" is "--init he" again.
    const vanishing = { ...ratio(1e-12), code: 'VANISHING_GRADIENTS' as const, evidence: {} };
    const small = { initializer: ['normal', { std: 0.01 }] as const };
    expect(contextHint(vanishing, { kind: 'probe', options: small }, 'cli')).toBe(
      `Try --init he; or --init glorot${tail}`,
    );
    expect(contextHint(vanishing, { kind: 'probe', options: { ...small, activation: 'sigmoid' } }, 'cli')).toBe(
      `Try --init he; --init glorot; or --activation relu --init he${tail}`,
    );
  });

  it('doctor on a net whose steps are too small tries only higher learning rates', () => {
    const r = doctor({ kind: 'probe', options: { initializer: ['normal', { std: 0.01 }] } }, { registry: registry() });
    const lrs = r.fixes.filter((f) => f.finding.code === 'UPDATE_RATIO').map((f) => f.setting.lrFactor);
    expect(lrs).toEqual([100]);
    expect(r.fixes.filter((f) => f.finding.code === 'VANISHING_GRADIENTS').map((f) => f.change)).toEqual([
      '--init he',
      '--init glorot',
    ]);
  });

  it("shows the update ratio the finding is about: a deep sigmoid net's first layer, not its healthy last one", () => {
    // 20 sigmoid layers: ‖ΔW‖/‖W‖ runs from ~1e-16 (layer 0) up to ~5e-3 (the output); the finding is
    // about the small end, so the number shown before and after a fix must be too.
    const setup = { kind: 'probe' as const, options: { activation: 'sigmoid', initializer: 'glorot', depth: 20 } };
    const ratios = runProbe(setup.options, { registry: registry() }).layers.map((l) => l.updateRatio as number);
    expect(Math.max(...ratios)).toBeGreaterThan(1e-3);
    const fix = doctor(setup, { registry: registry() }).fixes.find((f) => f.finding.code === 'UPDATE_RATIO');
    expect(fix?.before.updateRatio).toBe(Math.min(...ratios));
    expect(fix?.before.updateRatio).toBeLessThan(1e-6);
  });

  it('every catalog change is written for both contexts', () => {
    for (const info of Object.values(FINDINGS))
      for (const fix of info.fixes)
        for (const c of fix.changes ?? []) {
          expect(describeChange(c, 'cli').length).toBeGreaterThan(3);
          expect(describeChange(c, 'spec').length).toBeGreaterThan(3);
        }
  });
});

function toOptions(c: { activation?: string; initializer?: string; gain?: number; bias?: number }) {
  return {
    ...(c.activation && { activation: c.activation }),
    ...(c.initializer && { initializer: c.initializer }),
    ...(c.gain !== undefined && { gain: c.gain }),
    ...(c.bias !== undefined && { biasInit: c.bias }),
  };
}

describe('applyToSpec', () => {
  it('changes the activation in effect through model.defaults, and leaves linear layers linear', () => {
    const spec = {
      seed: 1,
      data: 'teacher',
      model: {
        defaults: { activation: 'relu', initializer: 'he' },
        layers: [
          { type: 'dense' as const, units: 8 },
          { type: 'dense' as const, units: 8, activation: 'linear' },
          { type: 'dense' as const, units: 1, activation: 'linear' },
        ],
      },
      train: { loss: 'mse' as const, optimizer: 'sgd', batchSize: 8 },
    };
    const next = applyToSpec(spec, { activation: 'leaky-relu' });
    expect(next?.model.layers.map((l) => ('activation' in l ? l.activation : undefined))).toEqual([
      'leaky-relu',
      'linear',
      'linear',
    ]);
    expect(applyToSpec(spec, { lrFactor: 0.1 })?.train.optimizer).toEqual(['sgd', { lr: 0.001 }]);
    expect(applyToSpec(spec, { lrFactor: 1e5 })).toBeUndefined();
  });

  it('is no change when model.defaults already gives the activation or initializer', () => {
    const spec = {
      seed: 1,
      data: 'teacher',
      model: {
        defaults: { activation: 'sigmoid', initializer: 'glorot' },
        layers: [
          { type: 'dense' as const, units: 8 },
          { type: 'dense' as const, units: 1, activation: 'linear' },
        ],
      },
      train: { loss: 'mse' as const, optimizer: 'sgd', batchSize: 8 },
    };
    expect(applyToSpec(spec, { initializer: 'glorot' })).toBeUndefined();
    expect(applyToSpec(spec, { activation: 'sigmoid' })).toBeUndefined();
    const he = applyToSpec(spec, { initializer: 'he' });
    expect(he?.model.layers.map((l) => ('initializer' in l ? l.initializer : undefined))).toEqual(['he', undefined]);
    // A ref with options differs from the bare id.
    const gained = {
      ...spec,
      model: { ...spec.model, defaults: { ...spec.model.defaults, initializer: ['glorot', { gain: 2 }] as const } },
    };
    expect(applyToSpec(gained, { initializer: 'glorot' })?.model.layers[0]).toMatchObject({ initializer: 'glorot' });
  });
});
