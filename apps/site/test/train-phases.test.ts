/**
 * Two-phase training runs (train-phases.ts): phase 2 really continues from phase 1's weights, and the
 * `inactive` series means what it says. Checked against a second computation, not against itself.
 */
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { createJobs, startTraining } from '../src/lab/jobs.ts';
import { trainPhases } from '../src/lab/train-phases.ts';

const net = { activation: 'relu', initializer: 'he', depth: 4, width: 16, batch: 16, seed: 3, gain: 1, biasInit: 0 };

describe('two-phase training', () => {
  it('with SGD (no optimizer state) and nothing changed at the switch, equals the one-phase run bit for bit', () => {
    const one = startTraining(buildRegistry, { ...net, optimizer: 'sgd', lr: 0.01, trainSteps: 12 }).finish();
    const two = startTraining(buildRegistry, {
      ...net,
      optimizer: 'sgd',
      lr: 0.01,
      trainSteps: 12,
      reviveAt: 5,
    }).finish();
    expect(two.loss).toEqual(one.loss);
    expect(two.dead).toEqual(one.dead);
    expect(two.phases?.switchStep).toBe(5);
    expect(one.phases).toBeUndefined();
  });

  it('phase 2 starts from the trained weights, not a fresh draw: its first loss is not the step-0 loss', () => {
    const r = startTraining(buildRegistry, {
      ...net,
      optimizer: 'sgd',
      lr: 0.01,
      trainSteps: 10,
      reviveAt: 5,
      reviveActivation: 'leaky-relu',
      alpha: 0,
    }).finish();
    // leaky-relu with α = 0 computes ReLU exactly, so the run must equal the one-phase ReLU run.
    const relu = startTraining(buildRegistry, { ...net, optimizer: 'sgd', lr: 0.01, trainSteps: 10 }).finish();
    expect(r.loss).toEqual(relu.loss);
    expect(r.loss[5]).not.toBe(r.loss[0]);
  });

  it('for ReLU, "inactive" (z ≤ 0 on every row) equals "dead" (f′ = 0 on every row) at every step', () => {
    const r = startTraining(buildRegistry, { ...net, optimizer: 'adam', lr: 0.05, trainSteps: 15 }).finish();
    expect(r.inactive).toEqual(r.dead);
    expect(r.totalSteps).toBe(15);
  });

  it('α goes only to an activation that declares it; a reviveAt outside 1…trainSteps − 1 is refused by name', () => {
    const p = trainPhases(buildRegistry, {
      ...net,
      alpha: 0.2,
      trainSteps: 30,
      reviveAt: 10,
      reviveActivation: 'leaky-relu',
    });
    expect(p.first.alpha).toBeUndefined();
    expect(p.first.trainSteps).toBe(10);
    expect(p.second).toMatchObject({ activation: 'leaky-relu', alpha: 0.2, trainSteps: 20 });
    expect(() => trainPhases(buildRegistry, { ...net, trainSteps: 30, reviveAt: 30 })).toThrow(
      /lab setting reviveAt: 30 must be a whole number of steps between 1 and trainSteps − 1 \(29\)/,
    );
  });

  it("the training series' step 0 equals the canonical probe's numbers (a second implementation: @gradlab/probes)", () => {
    for (const [activation, initializer, optimizer] of [
      ['relu', 'he', 'sgd'],
      ['sigmoid', 'glorot', 'adam'],
    ] as const) {
      const s = { ...net, activation, initializer, optimizer, lr: 0.01 };
      const t = startTraining(buildRegistry, { ...s, trainSteps: 2 }).finish();
      const p = createJobs(buildRegistry).probe({ ...s, steps: 0 });
      expect(t.deltaFirst[0]).toBeCloseTo(p.deltaNorm[0]!, 14);
      expect(t.deltaLast[0]! / p.deltaNorm[net.depth - 1]! - 1).toBeCloseTo(0, 12);
      expect(t.updateRatio[0]! / p.updateRatio[0]! - 1).toBeCloseTo(0, 12);
      expect(t.dead[0]).toBeCloseTo(p.dead.slice(0, -1).reduce((a, b) => a! + b!, 0)! / net.depth, 14);
    }
  });
});
