import { describe, expect, it } from 'vitest';
import {
  activationStats,
  clippingStats,
  deadUnits,
  gradNorms,
  type NanWatchReport,
  nanWatch,
  saturation,
  type UpdateRatioReport,
  updateRatio,
} from '../src/index.ts';
import { useSimdPasses } from '../src/wasm/simd-passes.ts';
import { type FakeLayer, fakeTrace } from './helpers.ts';

describe('grad-norms on a hand-built trace', () => {
  // Two hidden layers and an output layer, one row each.
  const layers: FakeLayer[] = [
    { units: 2, delta: [3, 4], gradW: [1, 2, 2], gradB: [0.6, 0.8] }, // ‖δ‖ 5, ‖∂W‖ 3, ‖∂b‖ 1
    { units: 2, delta: [6, 8], gradW: [0, 0, 12], gradB: [0, 2] }, // ‖δ‖ 10, ‖∂W‖ 12, ‖∂b‖ 2
    { units: 1, activation: 'linear', delta: [1], gradW: [2], gradB: [1] },
  ];

  it('records every norm and the hidden first/last ratios', () => {
    const probe = gradNorms();
    expect(probe.onStep!(fakeTrace(layers, { step: 4, loss: 0.5 }))).toEqual([]);
    expect(probe.report()).toEqual({
      span: 'hidden',
      first: 0,
      last: 1,
      layers: [
        { index: 0, type: 'dense', activation: 'tanh', units: 2 },
        { index: 1, type: 'dense', activation: 'tanh', units: 2 },
        { index: 2, type: 'dense', activation: 'linear', units: 1 },
      ],
      history: [
        {
          step: 4,
          loss: 0.5,
          deltaNorm: [5, 10, 1],
          gradNorm: [3, 12, 2],
          biasGradNorm: [1, 2, 1],
          globalNorm: Math.hypot(3, 1, 12, 2, 2, 1),
          ratios: { delta: 0.5, grad: 0.25, biasGrad: 0.5 },
        },
      ],
    });
  });

  it("span 'all' measures up to the output layer", () => {
    const probe = gradNorms({ span: 'all' });
    probe.onStep!(fakeTrace(layers));
    const report = probe.report() as { last: number; history: { ratios: object }[] };
    expect(report.last).toBe(2);
    expect(report.history[0].ratios).toEqual({ delta: 5, grad: 1.5, biasGrad: 1 });
  });

  it('judges the δ ratio with patience, once per episode', () => {
    const probe = gradNorms({ vanishing: 0.6, patience: 2 });
    const steps = [0, 1, 2].map((step) => probe.onStep!(fakeTrace(layers, { step })));
    expect(steps[0]).toEqual([]);
    expect(steps[2]).toEqual([]);
    expect(steps[1]).toMatchObject([
      {
        code: 'VANISHING_GRADIENTS',
        severity: 'warn',
        step: 1,
        layer: 0,
        evidence: { deltaRatio: 0.5, firstDeltaNorm: 5, lastDeltaNorm: 10, threshold: 0.6, steps: 2 },
      },
    ]);
    expect((steps[1] as readonly { message: string }[])[0].message).toMatch(/‖δ‖ at layer 0 is 0.5 × ‖δ‖ at layer 1/);
  });

  it('calls a large global norm, or a growing δ, exploding', () => {
    expect(gradNorms({ maxGlobalNorm: 10 }).onStep!(fakeTrace(layers))).toMatchObject([
      { code: 'EXPLODING_GRADIENTS', evidence: { globalNorm: Math.hypot(3, 1, 12, 2, 2, 1) } },
    ]);
    const growing = [layers[1], layers[0], layers[2]];
    expect(gradNorms({ exploding: 1.5 }).onStep!(fakeTrace(growing))).toMatchObject([
      { code: 'EXPLODING_GRADIENTS', evidence: { deltaRatio: 2 } },
    ]);
  });

  it('keeps rnn extras: ‖∂L/∂W_h‖ and ‖∂L/∂h_t‖ per time step', () => {
    const probe = gradNorms();
    const rnn: FakeLayer = { type: 'rnn', units: 1, Wh: [1], gradWh: [-2], timeDeltaNorms: [0.1, 0.2, 0.4] };
    probe.onStep!(fakeTrace([rnn, layers[2]]));
    const [record] = (probe.report() as { history: object[] }).history;
    expect(record).toMatchObject({
      recurrentGradNorm: [2, null],
      timeDeltaNorms: [{ layer: 0, norms: [0.1, 0.2, 0.4] }],
    });
  });
});

describe('activation-stats', () => {
  it('keeps means and stds every step and histograms every n-th step', () => {
    const probe = activationStats({ histogramEvery: 2, bins: 2, range: 4, histogramOf: 'a' });
    const layer = { rows: 2, units: 2, z: [1, 2, 3, 4], a: [0, 0, 2, 2] };
    for (const step of [0, 1, 2]) probe.onStep!(fakeTrace([layer], { step }));
    const { history } = probe.report() as { history: { histograms?: unknown; layers: unknown[] }[] };
    // a = [0, 0, 2, 2]: two of four activations are exactly 0.
    expect(history[0].layers).toEqual([{ aMean: 1, aStd: 1, zMean: 2.5, zStd: Math.sqrt(1.25), aZero: 0.5 }]);
    expect(history.map((h) => h.histograms !== undefined)).toEqual([true, false, true]);
    expect(history[0].histograms).toEqual([
      { a: { min: -4, max: 4, counts: [0, 4], underflow: 0, overflow: 0, nonFinite: 0 } },
    ]);
  });
});

describe('saturation', () => {
  const layers: FakeLayer[] = [
    { activation: 'sigmoid', units: 5, dadz: [0.25, 0.002, 0.0024, 0.1, 0] }, // cut 0.0025: 3/5
    { activation: 'relu', units: 4, dadz: [0, 0, 0, 1] }, // 3/4, but one-sided
    { activation: 'mystery', units: 3, dadz: [2, 0.01, 0.03] }, // reference = batch max 2: 1/3
  ];

  it('measures |f′| against the known maximum, or the batch maximum', () => {
    const probe = saturation({ patience: 1 });
    const found = probe.onStep!(fakeTrace(layers));
    expect(probe.report()).toMatchObject({ history: [{ fraction: [0.6, 0.75, 1 / 3], reference: [0.25, 1, 2] }] });
    expect(found).toMatchObject([{ code: 'SATURATION', layer: 0, evidence: { fraction: 0.6, layers: '0' } }]);
  });

  it("judges one-sided activations only with oneSided: 'judge'", () => {
    const found = saturation({ patience: 1, oneSided: 'judge' }).onStep!(fakeTrace(layers));
    expect(found).toMatchObject([{ code: 'SATURATION', layer: 1, evidence: { layers: '0,1' } }]);
    expect((found as readonly { message: string }[])[0].message).toContain('(also layer 0)');
  });

  it('waits for `patience` steps', () => {
    const probe = saturation();
    const found = Array.from({ length: 20 }, (_, step) => probe.onStep!(fakeTrace(layers, { step })));
    expect(found.findIndex((f) => f !== undefined)).toBe(19);
  });
});

describe('dead-units', () => {
  // rows: [0 1 0], [0 0 0], [0 1 0]: units 0 and 2 never fire.
  const layer: FakeLayer = { rows: 3, units: 3, activation: 'relu', dadz: [0, 1, 0, 0, 0, 0, 0, 1, 0] };

  it('counts units that are off on every row, for `steps` steps in a row', () => {
    const probe = deadUnits({ steps: 2 });
    expect(probe.onStep!(fakeTrace([layer], { step: 0 }))).toBeUndefined();
    expect(probe.onStep!(fakeTrace([layer], { step: 1 }))).toMatchObject([
      { code: 'DEAD_UNITS', step: 1, layer: 0, evidence: { dead: 2 / 3, inactive: 2 / 3, steps: 2 } },
    ]);
    expect(probe.report()).toMatchObject({
      history: [
        { step: 0, inactive: [2 / 3], dead: [0] },
        { step: 1, inactive: [2 / 3], dead: [2 / 3] },
      ],
      deadUnits: [[0, 2]],
    });
  });

  it('a unit that fires once is alive again', () => {
    const probe = deadUnits({ steps: 2 });
    probe.onStep!(fakeTrace([layer]));
    probe.onStep!(fakeTrace([{ ...layer, dadz: [1, 1, 1, 0, 0, 0, 0, 0, 0] }]));
    expect(probe.report()).toMatchObject({ deadUnits: [[]] });
  });
});

describe('update-ratio', () => {
  const layers: FakeLayer[] = [
    { units: 2, W: [3, 4], updateW: [-1, 0] }, // W before = [4, 4]: 1/√32
    { units: 2, W: [1, 0], updateW: [1e-7, 0] }, // ≈ 1e-7
  ];

  it('is ‖ΔW‖/‖W before the step‖, judged in both directions', () => {
    const probe = updateRatio({ patience: 1 });
    const found = probe.onStep!(fakeTrace(layers));
    const ratio = 1 / Math.sqrt(32);
    expect(probe.report()).toMatchObject({
      history: [{ ratio: [ratio, 1e-7 / (1 - 1e-7)], updateNorm: [1, 1e-7], weightNorm: [Math.sqrt(32), 1 - 1e-7] }],
    });
    expect(found).toMatchObject([
      { code: 'UPDATE_RATIO', layer: 0, evidence: { ratio, threshold: 0.1 } },
      { code: 'UPDATE_RATIO', layer: 1, evidence: { threshold: 1e-6 } },
    ]);
    expect(updateRatio.meta.id).toBe('update-ratio');
    expect(probe.needs).toEqual(['updates']);
  });

  it('reads W and previousW as the engine gives them: the same bits as from ΔW, whatever the selection', () => {
    // Long enough for the wasm pass (which forms ΔW = W − previousW itself), two layers of a length
    // (the interleaved pass) and a third alone; magnitudes spread so sums round in every order.
    let seed = 17;
    const next = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    const sizes = [96, 96, 67];
    const engineLike: FakeLayer[] = sizes.map((n) => {
      const previousW = Array.from({ length: n }, () => next() * 10 ** Math.round(6 * next()));
      const W = previousW.map((w) => w + next() * 1e-3);
      return { units: n, W, previousW, updateW: W.map((w, i) => w - previousW[i]) };
    });
    const fromDelta = engineLike.map(({ previousW: _, ...l }) => l);
    const reports = [];
    for (const selection of ['wasm', 'js'] as const) {
      useSimdPasses(selection);
      for (const ls of [engineLike, fromDelta]) {
        const probe = updateRatio();
        probe.onStep!(fakeTrace(ls));
        reports.push(probe.report() as UpdateRatioReport);
      }
    }
    useSimdPasses('auto');
    const norms = (r: UpdateRatioReport) => r.history[0].updateNorm.concat(r.history[0].weightNorm) as number[];
    for (const r of reports.slice(1)) expect(norms(r)).toEqual(norms(reports[0]));
    // And they are the norms: ‖ΔW‖ and ‖W before‖ summed plainly.
    const plain = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0));
    norms(reports[0]).forEach((got, j) => {
      const l = engineLike[j % 3];
      const want = plain(j < 3 ? l.updateW! : l.previousW!);
      expect(Math.abs(got - want) / want).toBeLessThan(1e-12);
    });
  });

  it('takes ΔW = 0 on a step whose loss is not finite, even where W is infinite', () => {
    // The engine applies no update then: previousW is W, and ΔW is 0, not W − W (NaN at ±Infinity).
    const W = Array.from({ length: 96 }, (_, i) => (i === 5 ? Number.POSITIVE_INFINITY : i / 7));
    const layer = { units: 96, W, previousW: W, updateW: W.map(() => 0) };
    for (const selection of ['wasm', 'js'] as const) {
      useSimdPasses(selection);
      const probe = updateRatio();
      probe.onStep!(fakeTrace([layer], { loss: Number.NaN }));
      expect((probe.report() as UpdateRatioReport).history[0].updateNorm, selection).toEqual([0]);
    }
    useSimdPasses('auto');
  });

  it('does not judge steps where nothing moved (lr = 0)', () => {
    const still = layers.map((l) => ({ ...l, updateW: [0, 0] }));
    expect(updateRatio({ patience: 1 }).onStep!(fakeTrace(still))).toEqual([]);
  });
});

describe('nan-watch names where the first non-finite value was computed', () => {
  const clean = (): FakeLayer[] => [
    { units: 2, z: [0.1, 0.2], a: [0.1, 0.2], delta: [1, 1], gradW: [1, 1], W: [1, 1] },
    { units: 2, z: [0.1, 0.2], a: [0.1, 0.2], delta: [1, 1], gradW: [1, 1], W: [1, 1] },
    { units: 1, z: [0.3], a: [0.3], delta: [1], gradW: [1], W: [1] },
  ];
  const first = (layers: FakeLayer[], loss = 1, scan: 'all' | 'sentinel' = 'all') => {
    const probe = nanWatch({ scan });
    const found = probe.onStep!(fakeTrace(layers, { step: 7, loss }));
    return { found, report: probe.report() as NanWatchReport, probe };
  };

  it('forward: z of the earliest layer, not the layers it spread to', () => {
    const ls = clean();
    ls[1].z = [0.1, Number.NaN];
    ls[2].z = [Number.NaN];
    const { found, report } = first(ls, Number.NaN);
    expect(report.first).toEqual({
      step: 7,
      phase: 'forward',
      tensor: 'z',
      layer: 1,
      index: 1,
      count: 1,
      value: 'NaN',
    });
    expect(found).toMatchObject([{ code: 'NAN_DETECTED', severity: 'error', step: 7, layer: 1 }]);
  });

  it('forward: a bad activation output with a finite z', () => {
    const ls = clean();
    ls[0].a = [Number.POSITIVE_INFINITY, 0];
    expect(first(ls).report.first).toMatchObject({ phase: 'forward', tensor: 'a', layer: 0, value: 'Infinity' });
  });

  it('loss, then backward from the last layer, then the update', () => {
    expect(first(clean(), Number.NaN).report.first).toMatchObject({ phase: 'loss', tensor: 'loss' });
    const back = clean();
    back[2].delta = [Number.NEGATIVE_INFINITY];
    back[0].gradW = [Number.NaN, 1];
    expect(first(back).report.first).toMatchObject({ phase: 'backward', tensor: 'delta', layer: 2 });
    const update = clean();
    update[1].W = [1, Number.NaN];
    expect(first(update).report.first).toMatchObject({ phase: 'update', tensor: 'dense_1.W', layer: 1 });
  });

  it('blames a bad parameter when z is the first bad tensor', () => {
    const ls = clean();
    ls[0].z = [Number.NaN, Number.NaN];
    ls[0].W = [Number.NaN, 1];
    expect(first(ls).report.first).toMatchObject({ phase: 'parameters', tensor: 'W', layer: 0 });
  });

  it('reports once, and sentinel mode skips values a ReLU hid', () => {
    const ls = clean();
    ls[0].z = [Number.NEGATIVE_INFINITY, 0];
    const { probe } = first(ls);
    expect(probe.onStep!(fakeTrace(ls, { step: 8 }))).toBeUndefined();
    expect(first(ls, 1, 'sentinel').report.first).toBeNull();
  });
});

describe('clipping-stats', () => {
  it('keeps each transform’s stats, clipped steps and a log10(preNorm) histogram', () => {
    const probe = clippingStats({ bins: 12, logMin: -8, logMax: 4 });
    const step = (n: number, preNorm: number, scale: number) =>
      fakeTrace([{ units: 1 }], {
        step: n,
        transforms: [
          { id: 'global-norm', stats: { preNorm, scale, clippedFraction: scale < 1 ? 1 : 0 } },
          { id: 'value', stats: { preNorm: 1e-3, clippedFraction: 0.25 } },
        ],
      });
    probe.onStep!(step(0, 100, 0.01));
    probe.onStep!(step(1, 0.5, 1));
    const [global, value] = (probe.report() as { transforms: Record<string, unknown>[] }).transforms;
    const counts = (bins: number[]) => Array.from({ length: 12 }, (_, i) => bins.filter((b) => b === i).length);
    expect(global).toMatchObject({
      index: 0,
      id: 'global-norm',
      steps: 2,
      clippedSteps: 1,
      meanClippedFraction: 0.5,
      preNorm: { counts: counts([10, 7]), underflow: 0, overflow: 0 },
      history: [
        { step: 0, stats: { preNorm: 100, scale: 0.01, clippedFraction: 1 } },
        { step: 1, stats: { preNorm: 0.5, scale: 1, clippedFraction: 0 } },
      ],
    });
    expect(value).toMatchObject({ clippedSteps: 2, meanClippedFraction: 0.25, preNorm: { counts: counts([5, 5]) } });
  });
});
