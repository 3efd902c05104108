import { defineActivation, defineRegularizer, type GradlabError, type StepTrace } from '@gradlab/plugin-api';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../src/datasets.ts';
import { createSession, type Progress, train } from '../src/session.ts';
import type { ExperimentSpec } from '../src/spec/types.ts';
import {
  type AfterStepCall,
  bytes,
  randomData,
  recordingClipping,
  recordingProbe,
  recordingRegularizer,
  snapshot,
  type TransformCall,
  testRegistry,
} from './helpers.ts';

const dense = (units: number, activation = 'linear', std = 0.5) =>
  ({ type: 'dense', units, activation, initializer: ['normal', { std }] }) as const;

describe('a non-finite loss', () => {
  it('stops training with NonFiniteLoss and keeps the parameters from before that step', () => {
    const spec: ExperimentSpec = {
      seed: 3,
      model: { layers: [dense(8, 'relu', 1), dense(8, 'relu', 1), dense(1)] },
      train: { loss: 'mse', optimizer: ['sgd', { lr: 100 }], batchSize: 8, steps: 500, testFraction: 0 },
    };
    const session = createSession(spec, { registry: testRegistry(), data: randomData(16, 4, 1, 'regression', 1) });
    let before = snapshot(session.model.params);
    let last = session.step();
    while (!last.stopped && session.stepCount < 500) {
      before = snapshot(session.model.params);
      last = session.step();
    }
    expect(last.stopped?.code).toBe('NonFiniteLoss');
    expect(Number.isFinite(last.loss)).toBe(false);
    expect(last.stopped?.step).toBe(last.step);
    expect(last.step).toBeGreaterThan(0); // it exploded on the way, not at the start
    session.model.params.forEach((p, i) => {
      expect(bytes(p.value)).toEqual(bytes(before[i]));
    });
    // Every parameter is still finite: the overflowing step was not applied.
    for (const p of session.model.params) expect(p.value.every(Number.isFinite)).toBe(true);
    expect(last.stopped?.message).toContain(`Training stopped at step ${last.step}: the loss is`);
    expect(last.stopped?.hint).toContain('clipping');

    // Further steps do nothing.
    const again = session.step();
    expect(again.stopped).toBe(last.stopped);
    session.model.params.forEach((p, i) => {
      expect(bytes(p.value)).toEqual(bytes(before[i]));
    });
    const result = session.run();
    expect(result.stopped?.code).toBe('NonFiniteLoss');
    expect(result.losses).toHaveLength(last.step);
    expect(result.losses.every(Number.isFinite)).toBe(true);
  });
});

describe('strict checks', () => {
  /** Identity that breaks (NaN) above 5: a plugin bug that only shows once the weights have moved. */
  const breaksAbove5 = defineActivation({
    meta: {
      id: 'breaks-above-5',
      title: 'Broken identity (test)',
      summary: 'Identity that returns NaN above 5, for strict-mode tests.',
      formula: { forward: 'x', derivative: '1' },
      range: [Number.NEGATIVE_INFINITY, 5],
      properties: { monotonic: true, passesThroughOrigin: true, zeroCentered: true, smooth: true, saturates: 'none' },
    },
    create: () => ({ forward: (x) => (x > 5 ? Number.NaN : x), derivative: () => 1 }),
  });
  // Targets of 100 pull the bias up by about 2 per step until z crosses 5.
  const data: Dataset = { ...randomData(8, 2, 1, 'regression', 4), y: new Float64Array(8).fill(100) };
  const spec = (checks: 'strict' | 'off'): ExperimentSpec => ({
    seed: 1,
    model: { layers: [dense(3, 'tanh'), { ...dense(1, 'breaks-above-5', 0.1) }] },
    train: { loss: 'mse', optimizer: ['sgd', { lr: 0.01 }], batchSize: 8, steps: 50, testFraction: 0, checks },
  });

  it('turns a NaN created inside a plugin into a PluginError naming the plugin, hook, layer and step', () => {
    const session = createSession(spec('strict'), { registry: testRegistry().use(breaksAbove5), data });
    let error: GradlabError | undefined;
    let completed = 0;
    try {
      for (; completed < 50; completed++) session.step();
    } catch (e) {
      error = e as GradlabError;
    }
    expect(error?.name).toBe('PluginError');
    expect(completed).toBeGreaterThan(0);
    expect(error?.plugin).toBe('activation:breaks-above-5');
    expect(error?.hook).toBe('forward');
    const message = new RegExp(
      `^\\[activation:breaks-above-5\\] forward returned NaN for x = (\\d+\\.\\d+) \\(layer 1, step ${completed}\\)\\.$`,
    ).exec(error?.message ?? '');
    expect(message, error?.message).not.toBeNull();
    // The input that broke it is the first z above 5 (how far above depends on the step size and the draws).
    expect(Number(message![1])).toBeGreaterThan(5);
    expect(error?.hint).toContain('activation:breaks-above-5');
  });

  it("with checks: 'off' the NaN flows into the loss and training stops on it instead", () => {
    const result = createSession(spec('off'), { registry: testRegistry().use(breaksAbove5), data }).run();
    expect(result.stopped?.code).toBe('NonFiniteLoss');
    expect(result.stopped?.message).toContain('the loss is NaN');
  });

  it('also checks derivatives', () => {
    const badDerivative = defineActivation({
      meta: { ...breaksAbove5.meta, id: 'bad-derivative' },
      create: () => ({ forward: (x) => x, derivative: (x) => (x < 0 ? Number.NaN : 1) }),
    });
    const s: ExperimentSpec = { ...spec('strict'), model: { layers: [dense(4, 'bad-derivative', 1), dense(1)] } };
    expect(() => createSession(s, { registry: testRegistry().use(badDerivative), data }).step()).toThrow(
      /^\[activation:bad-derivative\] derivative returned NaN for x = -[\d.e-]+ \(layer 0, step 0\)\.$/,
    );
  });
});

describe('training', () => {
  it('learns the two moons with a tanh net and adam (test accuracy > 0.9 within 300 steps)', () => {
    const spec: ExperimentSpec = {
      seed: 11,
      data: ['moons', { samples: 400, noise: 0.1 }],
      model: {
        defaults: { initializer: ['normal', { std: 0.5 }] },
        layers: [dense(12, 'tanh'), dense(12, 'tanh'), dense(1)],
      },
      train: { loss: 'bce', optimizer: ['adam', { lr: 0.02 }], batchSize: 32, epochs: 30 },
    };
    const result = train(spec, { registry: testRegistry() });
    expect(result.steps).toBe(30 * Math.ceil(320 / 32));
    expect(result.steps).toBeLessThanOrEqual(300);
    const last = result.epochs.at(-1)!;
    expect(last.testAccuracy).toBeGreaterThan(0.9);
    expect(last.trainLoss).toBeLessThan(result.epochs[0].trainLoss / 2);
  });

  it('reports accuracy that agrees with an independent count of correct test predictions', () => {
    const spec: ExperimentSpec = {
      seed: 2,
      data: ['xor', { samples: 300 }],
      model: { defaults: { initializer: 'normal' }, layers: [dense(8, 'tanh'), dense(1)] },
      train: { loss: 'bce', optimizer: ['adam', { lr: 0.05 }], batchSize: 30, epochs: 20 },
    };
    const session = createSession(spec, { registry: testRegistry() });
    session.run();
    const { testData, model } = session;
    const out = model.forward(testData.x, testData.rows, false);
    let correct = 0;
    for (let r = 0; r < testData.rows; r++) if (out[r] >= 0 === (testData.y[r] === 1)) correct++;
    expect(session.evaluate('test').accuracy).toBe(correct / testData.rows);
    expect(correct / testData.rows).toBeGreaterThan(0.9);
  });
});

describe('partial batches', () => {
  it('train through a residual output layer when the last batch is smaller', () => {
    // 10 rows in batches of 4: the third batch has 2 rows, and the loss gradient buffer is longer than it.
    const spec: ExperimentSpec = {
      seed: 1,
      model: { layers: [dense(2, 'tanh'), { ...dense(2, 'tanh'), residual: true }] },
      train: { loss: 'mse', optimizer: 'sgd', batchSize: 4, epochs: 2, testFraction: 0 },
    };
    const result = createSession(spec, { registry: testRegistry(), data: randomData(10, 2, 2, 'regression', 2) }).run();
    expect(result.steps).toBe(6);
    expect(result.losses.every(Number.isFinite)).toBe(true);
  });
});

describe('regularizers and clipping', () => {
  function run(train: Partial<ExperimentSpec['train']>) {
    const transforms: TransformCall[] = [];
    const afterSteps: AfterStepCall[] = [];
    const registry = testRegistry().use([recordingClipping(transforms), recordingRegularizer(afterSteps)]);
    const spec: ExperimentSpec = {
      seed: 5,
      model: { layers: [dense(3, 'tanh'), dense(2)] },
      train: { loss: 'mse', optimizer: ['sgd', { lr: 0.1 }], batchSize: 6, steps: 1, testFraction: 0, ...train },
    };
    const session = createSession(spec, { registry, data: randomData(6, 2, 2, 'regression', 9) });
    const before = snapshot(session.model.params);
    const result = session.step();
    return { session, before, result, transforms, afterSteps };
  }

  it('adds penalty gradients before the transforms, runs transforms in spec order, then steps', () => {
    const plain = run({ clipping: [['scale-and-log', { tag: 'a', scale: 1 }]] });
    const raw = plain.transforms[0].grads;

    const { session, before, result, transforms, afterSteps } = run({
      regularizers: [['push', { strength: 0.25 }]],
      clipping: [
        ['scale-and-log', { tag: 'a', scale: 2 }],
        ['scale-and-log', { tag: 'b', scale: 3 }],
      ],
    });
    expect(transforms.map((t) => t.tag)).toEqual(['a', 'b']);
    const roles = session.model.params.map((p) => p.role);
    expect(roles).toEqual(['weight', 'bias', 'weight', 'bias']);
    // The first transform sees data gradient + 0.25 on weights (the regularizer's gradient), biases untouched.
    transforms[0].grads.forEach((g, p) => {
      g.forEach((v, i) => {
        expect(v).toBe(roles[p] === 'weight' ? raw[p][i] + 0.25 : raw[p][i]);
      });
    });
    // The second sees the first one's output.
    transforms[1].grads.forEach((g, p) => {
      g.forEach((v, i) => {
        expect(v).toBe(2 * transforms[0].grads[p][i]);
      });
    });
    // Both see the parameters before the step.
    for (const t of transforms)
      t.params.forEach((w, p) => {
        expect(bytes(w)).toEqual(bytes(before[p]));
      });
    // SGD applied the output of the last transform: w − 0.1 · 3 · 2 · (g + 0.25 on weights).
    session.model.params.forEach((param, p) => {
      param.value.forEach((w, i) => {
        const g = raw[p][i] + (roles[p] === 'weight' ? 0.25 : 0);
        expect(w).toBeCloseTo(before[p][i] - 0.1 * 3 * 2 * g, 14);
      });
    });
    // The penalty is strength · Σw over weight tensors, before the step.
    const sumWeights = before
      .filter((_, p) => roles[p] === 'weight')
      .reduce((s, w) => s + w.reduce((a, b) => a + b, 0), 0);
    expect(result.penalty).toBeCloseTo(0.25 * sumWeights, 14);
    expect(result.loss).toBe(plain.result.loss); // the reported loss is the data loss

    // afterStep saw each weight tensor after the step, with its value before the step.
    const weightSlots = roles.flatMap((r, p) => (r === 'weight' ? [p] : []));
    expect(afterSteps).toHaveLength(weightSlots.length);
    afterSteps.forEach((call, k) => {
      expect(bytes(call.previous)).toEqual(bytes(before[weightSlots[k]]));
      expect(bytes(call.w)).toEqual(bytes(session.model.params[weightSlots[k]].value));
    });
  });

  it('reports each transform’s stats in the trace, in order', () => {
    const transforms: TransformCall[] = [];
    const probe = recordingProbe((trace) => trace.transforms.map((t) => `${t.id}:${t.stats.scale}`));
    const spec: ExperimentSpec = {
      seed: 5,
      model: { layers: [dense(2)] },
      train: {
        loss: 'mse',
        optimizer: 'sgd',
        batchSize: 4,
        steps: 2,
        testFraction: 0,
        clipping: [
          ['scale-and-log', { scale: 0.5 }],
          ['scale-and-log', { scale: 4, tag: 'c' }],
        ],
      },
    };
    createSession(spec, {
      registry: testRegistry().use(recordingClipping(transforms)),
      data: randomData(4, 2, 2, 'regression', 1),
      probes: [probe.definition()],
    }).run();
    expect(probe.seen).toEqual([
      ['scale-and-log:0.5', 'scale-and-log:4'],
      ['scale-and-log:0.5', 'scale-and-log:4'],
    ]);
    expect(transforms.map((t) => t.tag)).toEqual(['a', 'c', 'a', 'c']);
  });
});

describe('the trace', () => {
  const spec: ExperimentSpec = {
    seed: 8,
    model: { layers: [dense(4, 'tanh'), { type: 'batchnorm' }, dense(1)] },
    train: { loss: 'mse', optimizer: ['sgd', { lr: 0.05 }], batchSize: 5, steps: 4, testFraction: 0 },
  };
  const data = randomData(10, 3, 1, 'regression', 2);

  it("gives updateW = W_after − W_before when a probe needs 'updates'", () => {
    const probe = recordingProbe(
      (trace) =>
        trace.layers.map((l) => ({
          W: Float64Array.from(l.W),
          gradW: Float64Array.from(l.gradW),
          updateW: l.updateW && Float64Array.from(l.updateW),
        })),
      ['updates'],
    );
    const session = createSession(spec, { registry: testRegistry(), data, probes: [probe.definition()] });
    const mainWeights = [0, 2, 4].map((p) => session.model.params[p]);
    expect(mainWeights.map((p) => p.name)).toEqual(['dense_0.W', 'batchnorm_1.gamma', 'dense_2.W']);
    let previous = mainWeights.map((p) => Float64Array.from(p.value));
    session.run();
    expect(probe.seen).toHaveLength(4);
    for (const layers of probe.seen) {
      layers.forEach((layer, l) => {
        expect(layer.updateW).toBeDefined();
        layer.updateW!.forEach((u, i) => {
          expect(u).toBe(layer.W[i] - previous[l][i]);
          // plain SGD without transforms: ΔW = −η·∂L/∂W
          expect(u).toBeCloseTo(-0.05 * layer.gradW[i], 15);
        });
      });
      previous = layers.map((layer) => layer.W);
    }
  });

  it('gives previousW = W before the step, and an updateW read after a step never stands for the next', () => {
    let trace: StepTrace | undefined;
    const seen: { previousW: Float64Array[]; updateW: Float64Array[] }[] = [];
    const probe = recordingProbe(
      (t) => {
        trace = t;
        // previousW first, then updateW: reading ΔW forms it and must not touch the copy.
        const previousW = t.layers.map((l) => Float64Array.from(l.previousW!));
        seen.push({ previousW, updateW: t.layers.map((l) => Float64Array.from(l.updateW!)) });
      },
      ['updates'],
    );
    const session = createSession(spec, { registry: testRegistry(), data, probes: [probe.definition()] });
    const mainWeights = [0, 2, 4].map((p) => session.model.params[p]);
    for (let step = 0; step < 3; step++) {
      const before = mainWeights.map((p) => Float64Array.from(p.value));
      session.step();
      const { previousW, updateW } = seen[step];
      mainWeights.forEach((p, l) => {
        expect(Array.from(previousW[l]), `step ${step} layer ${l}`).toEqual(Array.from(before[l]));
        expect(Array.from(updateW[l]), `step ${step} layer ${l}`).toEqual(
          Array.from(p.value, (w, i) => w - before[l][i]),
        );
      });
      // A late read, between steps: it must not be taken for the next step's ΔW.
      expect(trace!.layers[0].updateW![0]).toBe(updateW[0][0]);
    }
  });

  it('gives updateW = 0 and previousW = W on a step whose loss is not finite (no update is applied)', () => {
    // A regularizer whose first afterStep writes +Infinity into each weight's first entry: step 0
    // applies it (ΔW[0] = +Infinity), step 1's loss is then not finite (the linear output layer
    // passes the infinity on) and no update is applied, so its ΔW is 0 even where W is infinite
    // (W − previousW would be NaN there).
    const poison = defineRegularizer({
      meta: { id: 'poison', title: 'Poison (test)', summary: 'Writes Infinity into each weight once.', formula: '0' },
      create: () => {
        const poisoned = new WeakSet<Float64Array>();
        return {
          appliesTo: ['weight'],
          penalty: () => 0,
          addGradient: () => {},
          afterStep: (w) => {
            if (!poisoned.has(w)) w[0] = Number.POSITIVE_INFINITY;
            poisoned.add(w);
          },
        };
      },
    });
    const probe = recordingProbe(
      (t) => ({
        loss: t.loss,
        W: Float64Array.from(t.layers[0].W),
        previousW: Float64Array.from(t.layers[0].previousW!),
        updateW: Float64Array.from(t.layers[0].updateW!),
      }),
      ['updates'],
    );
    const poisoned: ExperimentSpec = { ...spec, train: { ...spec.train, regularizers: ['poison'] } };
    const registry = testRegistry().use(poison);
    createSession(poisoned, { registry, data, probes: [probe.definition()] }).run();
    expect(probe.seen).toHaveLength(2);
    const [first, second] = probe.seen;
    expect([Number.isFinite(first.loss), first.updateW[0]]).toEqual([true, Number.POSITIVE_INFINITY]);
    expect(Number.isFinite(second.loss)).toBe(false);
    expect(second.W[0]).toBe(Number.POSITIVE_INFINITY);
    expect(bytes(second.previousW)).toEqual(bytes(second.W));
    expect(Array.from(second.updateW).every((u) => Object.is(u, 0))).toBe(true);
  });

  it('leaves updateW out when no probe needs it, and describes each layer', () => {
    const probe = recordingProbe((trace) =>
      trace.layers.map((l) => ({
        index: l.index,
        type: l.type,
        activation: l.activation,
        rows: l.rows,
        units: l.units,
        hasUpdate: l.updateW !== undefined,
        z: l.z.length,
        a: l.a.length,
      })),
    );
    createSession(spec, { registry: testRegistry(), data, probes: [probe.definition()] }).run();
    expect(probe.seen[0]).toEqual([
      { index: 0, type: 'dense', activation: 'tanh', rows: 5, units: 4, hasUpdate: false, z: 20, a: 20 },
      { index: 1, type: 'batchnorm', activation: 'linear', rows: 5, units: 4, hasUpdate: false, z: 20, a: 20 },
      { index: 2, type: 'dense', activation: 'linear', rows: 5, units: 1, hasUpdate: false, z: 5, a: 5 },
    ]);
  });

  it('gives dadz = f′(z) and δ = ∂L/∂z consistent with the next layer', () => {
    const probe = recordingProbe((trace) => {
      const [first, , last] = trace.layers;
      return {
        z: Float64Array.from(first.z),
        dadz: Float64Array.from(first.dadz),
        loss: trace.loss,
        lastDelta: Float64Array.from(last.delta),
      };
    });
    createSession(spec, { registry: testRegistry(), data, probes: [probe.definition()] }).run();
    const { z, dadz, lastDelta } = probe.seen[0];
    z.forEach((v, i) => {
      expect(dadz[i]).toBeCloseTo(1 - Math.tanh(v) ** 2, 15);
    });
    expect(lastDelta).toHaveLength(5);
    expect(lastDelta.some((d) => d !== 0)).toBe(true);
  });
});

describe('progress', () => {
  it('fires with sane fields and ends at the total', () => {
    const reports: Progress[] = [];
    const spec: ExperimentSpec = {
      seed: 1,
      model: { layers: [dense(2, 'tanh'), dense(1)] },
      train: { loss: 'mse', optimizer: 'sgd', batchSize: 4, epochs: 3, testFraction: 0.25 },
    };
    const session = createSession(spec, { registry: testRegistry(), data: randomData(16, 2, 1, 'regression', 3) });
    expect(session.totalSteps).toBe(3 * Math.ceil(12 / 4));
    const result = session.run({ onProgress: (p) => reports.push(p), everyMs: 0 });
    expect(reports.length).toBeGreaterThanOrEqual(9);
    for (const [k, p] of reports.entries()) {
      expect(p.totalSteps).toBe(9);
      expect(p.step).toBeGreaterThanOrEqual(1);
      expect(p.step).toBeLessThanOrEqual(9);
      if (k > 0) expect(p.step).toBeGreaterThanOrEqual(reports[k - 1].step);
      if (k > 0) expect(p.elapsedMs).toBeGreaterThanOrEqual(reports[k - 1].elapsedMs);
      expect(Number.isFinite(p.loss)).toBe(true);
      expect(p.stepsPerSecond).toBeGreaterThan(0);
      expect(p.etaSeconds).toBeGreaterThanOrEqual(0);
      expect(p.epoch).toBeGreaterThanOrEqual(0);
      expect(p.epoch).toBeLessThanOrEqual(3);
    }
    const final = reports.at(-1)!;
    expect(final.step).toBe(9);
    expect(final.etaSeconds).toBe(0);
    expect(final.loss).toBe(result.losses.at(-1));
    expect(result.epochs.map((e) => e.step)).toEqual([3, 6, 9]);
    expect(result.epochs.every((e) => e.testLoss !== undefined && e.testAccuracy === undefined)).toBe(true);
  });

  it('counts steps as the smaller of steps and epochs × steps per epoch', () => {
    const base: ExperimentSpec = {
      seed: 1,
      model: { layers: [dense(1)] },
      train: { loss: 'mse', optimizer: 'sgd', batchSize: 3, testFraction: 0 },
    };
    const data = randomData(10, 2, 1, 'regression', 3);
    const total = (t: Partial<ExperimentSpec['train']>) =>
      createSession({ ...base, train: { ...base.train, ...t } }, { registry: testRegistry(), data }).totalSteps;
    expect(total({})).toBe(4); // one epoch of ⌈10/3⌉ batches
    expect(total({ epochs: 2 })).toBe(8);
    expect(total({ steps: 5 })).toBe(5);
    expect(total({ steps: 5, epochs: 1 })).toBe(4);
    expect(total({ steps: 0 })).toBe(0);
  });
});

describe('evaluation mode', () => {
  it('normalizes with the running statistics, which training updates PyTorch-style', () => {
    const rows = 20;
    const data = randomData(rows, 3, 1, 'regression', 12);
    const spec: ExperimentSpec = {
      seed: 4,
      model: { layers: [{ type: 'batchnorm' }, dense(1, 'linear', 1)] },
      train: { loss: 'mse', optimizer: ['sgd', { lr: 0.1 }], batchSize: rows, steps: 1, testFraction: 0 },
    };
    const session = createSession(spec, { registry: testRegistry(), data });
    session.step();
    const bn = session.model.layers[0].buffers;
    const [gamma, beta, W, b] = session.model.params.map((p) => p.value);
    // Independent statistics of the (whole, shuffled) batch: mean and unbiased variance per column.
    for (let j = 0; j < 3; j++) {
      const col = Array.from({ length: rows }, (_, r) => data.x[r * 3 + j]);
      const mean = col.reduce((s, v) => s + v, 0) / rows;
      const unbiased = col.reduce((s, v) => s + (v - mean) ** 2, 0) / (rows - 1);
      expect(bn.runningMean[j]).toBeCloseTo(0.9 * 0 + 0.1 * mean, 14);
      expect(bn.runningVar[j]).toBeCloseTo(0.9 * 1 + 0.1 * unbiased, 14);
    }
    const predict = (mean: (j: number) => number, variance: (j: number) => number) => {
      let loss = 0;
      for (let r = 0; r < rows; r++) {
        let yhat = b[0];
        for (let j = 0; j < 3; j++) {
          const xhat = (data.x[r * 3 + j] - mean(j)) / Math.sqrt(variance(j) + 1e-5);
          yhat += (gamma[j] * xhat + beta[j]) * W[j];
        }
        loss += (yhat - data.y[r]) ** 2;
      }
      return loss / rows;
    };
    const running = predict(
      (j) => bn.runningMean[j],
      (j) => bn.runningVar[j],
    );
    const stats = snapshot([{ value: bn.runningMean }, { value: bn.runningVar }]);
    expect(session.evaluate('train').loss).toBeCloseTo(running, 12);
    // Evaluation leaves the running statistics alone.
    expect(bytes(bn.runningMean)).toEqual(bytes(stats[0]));
    expect(bytes(bn.runningVar)).toEqual(bytes(stats[1]));
    // And it is not the batch-statistics answer.
    const colMean = (j: number) =>
      Array.from({ length: rows }, (_, r) => data.x[r * 3 + j]).reduce((s, v) => s + v, 0) / rows;
    const colVar = (j: number) =>
      Array.from({ length: rows }, (_, r) => data.x[r * 3 + j]).reduce((s, v) => s + (v - colMean(j)) ** 2, 0) / rows;
    expect(Math.abs(predict(colMean, colVar) - running)).toBeGreaterThan(1e-3);
  });

  it("evaluates 'mse-sum' as the sum over the whole split, and its first step is N·C times mse's", () => {
    const data = randomData(10, 2, 1, 'regression', 4);
    const make = (loss: 'mse' | 'mse-sum') =>
      createSession(
        {
          seed: 2,
          model: { layers: [dense(1)] },
          train: { loss, optimizer: ['sgd', { lr: 0.01 }], batchSize: 5, testFraction: 0, shuffle: false },
        },
        { registry: testRegistry(), data },
      );
    const sum = make('mse-sum');
    const mean = make('mse');
    // Same weights (same seed): the split sum is rows × the split mean, and a batch's sum is 5 × its mean.
    expect(sum.evaluate('train').loss).toBeCloseTo(10 * (mean.evaluate('train').loss as number), 12);
    expect(sum.evaluate('train').accuracy).toBeUndefined();
    const [s, m] = [sum.step(), mean.step()];
    expect(s.loss).toBeCloseTo(5 * m.loss, 12);
    // The sum's gradient is 5× larger, so with the same lr its step moved the weights 5× as far.
    const w0 = make('mse').model.params[0].value;
    const dSum = sum.model.params[0].value.map((v, i) => v - w0[i]);
    const dMean = mean.model.params[0].value.map((v, i) => v - w0[i]);
    dSum.forEach((d, i) => {
      expect(d).toBeCloseTo(5 * dMean[i], 12);
    });
  });

  it('has no test split to evaluate when testFraction is 0', () => {
    const session = createSession(
      {
        seed: 1,
        model: { layers: [dense(1)] },
        train: { loss: 'mse', optimizer: 'sgd', batchSize: 2, testFraction: 0 },
      },
      { registry: testRegistry(), data: randomData(4, 1, 1, 'regression', 1) },
    );
    expect(session.testData.rows).toBe(0);
    expect(session.evaluate('test').loss).toBeNaN();
  });
});
