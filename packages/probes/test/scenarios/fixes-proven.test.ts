/**
 * Every fix the catalog suggests (each `changes` entry of FINDINGS) is proven helpful: in the
 * named labelled scenario, `doctor` applies it with the same seed and the finding clears.
 */
import { describe, expect, it } from 'vitest';
import { type DoctorReport, doctor, FINDINGS, type SetupChange } from '../../src/index.ts';
import { registry } from '../helpers.ts';
import { SCENARIOS } from './catalog.ts';

const PROOFS: readonly [code: string, change: SetupChange, scenario: string][] = [
  ['VANISHING_GRADIENTS', { initializer: 'he' }, 'probe relu+glorot depth 30'],
  ['VANISHING_GRADIENTS', { initializer: 'glorot' }, 'run zeros init'],
  ['VANISHING_GRADIENTS', { activation: 'relu', initializer: 'he' }, 'probe sigmoid+glorot depth 8'],
  ['EXPLODING_GRADIENTS', { gain: 1 }, 'probe relu+he gain 2 depth 10'],
  ['EXPLODING_GRADIENTS', { lrFactor: 0.1 }, 'run relu mlp lr 3 on moons (diverges, then units die)'],
  ['SATURATION', { gain: 1 }, 'probe tanh+glorot gain 8 depth 5'],
  ['SATURATION', { initializer: 'glorot' }, 'run tanh mlp with weights of std 3'],
  ['SATURATION', { activation: 'relu', initializer: 'he' }, 'probe sigmoid+glorot gain 10 depth 3'],
  ['DEAD_UNITS', { activation: 'leaky-relu' }, 'probe relu+he bias −1 depth 5, 20 steps'],
  ['DEAD_UNITS', { bias: 0.01 }, 'run relu mlp with bias −0.5 and lr 1 (dying while training)'],
  ['DEAD_UNITS', { lrFactor: 0.1 }, 'probe relu+he lr 0.12 seed 1, 30 steps (dying while training)'],
  ['NAN_DETECTED', { lrFactor: 0.1 }, 'run relu mlp lr 3 on moons (diverges, then units die)'],
  ['NAN_DETECTED', { lrFactor: 0.01 }, 'probe relu+he lr 10, 10 steps'],
  ['NAN_DETECTED', { lrFactor: 0.001 }, 'run sgd lr 100 (the issue: loss 0.73 → 17.5 → 8859)'],
  ['NAN_DETECTED', { clipping: 'global-norm' }, 'run sgd lr 100 (the issue: loss 0.73 → 17.5 → 8859)'],
  ['UPDATE_RATIO', { lrFactor: 0.1 }, 'probe relu+he lr 0.12 seed 1, 30 steps (dying while training)'],
  ['UPDATE_RATIO', { lrFactor: 100 }, 'run sigmoid mlp depth 8'],
  [
    'VANISHING_THROUGH_TIME',
    { activation: 'tanh', recurrentInitializer: 'orthogonal' },
    'run tanh rnn with W_h = 0.3·I over 30 steps',
  ],
  [
    'EXPLODING_THROUGH_TIME',
    { recurrentInitializer: 'orthogonal' },
    'run linear-ish tanh rnn with W_h = 1.5·I and weak input (exploding through time)',
  ],
  ['LOSS_DIVERGING', { lrFactor: 0.1 }, 'run relu mlp lr 3 on moons (diverges, then units die)'],
  ['LOSS_DIVERGING', { lrFactor: 0.01 }, 'probe relu+he lr 10, 10 steps'],
  ['LOSS_DIVERGING', { lrFactor: 0.001 }, 'run sgd lr 100 (the issue: loss 0.73 → 17.5 → 8859)'],
  ['LOSS_DIVERGING', { clipping: 'global-norm' }, 'run relu mlp lr 3 on moons (diverges, then units die)'],
  ['SYMMETRY', { initializer: 'he' }, 'probe relu with constant init'],
  ['SYMMETRY', { initializer: 'glorot' }, 'probe tanh with zeros init (the issue)'],
];

const reports = new Map<string, DoctorReport>();
function doctorOf(name: string): DoctorReport {
  let r = reports.get(name);
  if (!r) {
    const s = SCENARIOS.find((x) => x.name === name);
    if (!s) throw new Error(`no scenario "${name}"`);
    const setup = s.probe ? { kind: 'probe' as const, options: s.probe } : { kind: 'spec' as const, spec: s.spec! };
    r = doctor(setup, { registry: registry() });
    reports.set(name, r);
  }
  return r;
}

describe('every suggested fix clears its finding in a labelled scenario', () => {
  it('the proofs cover every change of the catalog', () => {
    const proven = new Set(PROOFS.map(([code, c]) => `${code} ${JSON.stringify(c)}`));
    for (const [code, info] of Object.entries(FINDINGS))
      for (const fix of info.fixes)
        for (const c of fix.changes ?? [])
          expect(proven.has(`${code} ${JSON.stringify(c)}`), `${code} ${JSON.stringify(c)}`).toBe(true);
  });
  for (const [code, change, scenario] of PROOFS) {
    it(`${code}: ${JSON.stringify(change)} in "${scenario}"`, () => {
      const fix = doctorOf(scenario).fixes.find(
        (f) => f.finding.code === code && JSON.stringify(f.setting) === JSON.stringify(change),
      );
      expect(fix, 'doctor tried it').toBeDefined();
      expect(fix?.cleared).toBe(true);
      expect(fix?.remaining).not.toContain(code);
    });
  }
});
