/**
 * The words and numbers a view gives besides its chart. The number table formats each column as one:
 * a cosine of exactly 1 reads 1.00 among 0.999s. A training chart's words (its aria-live summary) name every series it draws, with the first and last
 * value of each read from the run itself, so a screen reader hears the whole chart, not only its first line.
 */
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/lab/build.ts';
import { commandPieces } from '../src/lab/command.ts';
import { createJobs } from '../src/lab/jobs.ts';
import { fmt, tableCells, viewData } from '../src/lab/views.ts';

const jobs = createJobs(buildRegistry);
const setting = {
  activation: 'relu',
  initializer: 'he',
  depth: 3,
  width: 8,
  batch: 16,
  seed: 1,
  optimizer: 'sgd',
  lr: 0.05,
  trainSteps: 12,
};

describe('steps view summary', () => {
  it('names each series with its value at the first and the last step', () => {
    const r = jobs.train(setting).finish();
    const d = viewData({ type: 'steps', metrics: ['loss', 'deltaFirst', 'dead'], log: false }, r, setting);
    expect(d.series).toHaveLength(3);
    for (const [label, values] of [
      ['loss', r.loss],
      ['‖δ‖ first hidden layer', r.deltaFirst],
      ['dead units (fraction)', r.dead],
    ] as const) {
      expect(d.summary).toContain(`${label} went from ${fmt(values[0])} at step 0 to ${fmt(values[11])}`);
    }
    expect(d.summary).toContain('at step 11 of 12.');
  });

  it('says a series that never moves stayed at its value, instead of "went from x to x"', () => {
    const r = jobs.train(setting).finish();
    const flat = { ...r, loss: r.loss.map(() => r.loss[0]) }; // the shape of the mean-prediction baseline
    const d = viewData({ type: 'steps', metrics: ['loss', 'deltaFirst'], log: false }, flat, setting);
    expect(d.summary).toContain(`loss stayed at ${fmt(r.loss[0])}; `);
    expect(d.summary).toContain(`‖δ‖ first hidden layer went from ${fmt(r.deltaFirst[0])} at step 0`);
    // The step is told with the series that moved, not pinned on the one that stayed: page 11 lists
    // its baseline last, after the loss.
    const last = r.deltaFirst.length - 1;
    const e = viewData({ type: 'steps', metrics: ['deltaFirst', 'loss'], log: false }, flat, setting);
    expect(e.summary).toContain(`to ${fmt(r.deltaFirst[last])} at step ${last} of ${r.totalSteps}; loss stayed at`);
    expect(e.summary).not.toMatch(/stayed at [^;]* at step/);
  });

  it('gives a batch-norm run\'s evaluation-mode loss after the last update, the "train loss" gradlab run prints (page 10)', () => {
    const bn = { ...setting, norm: 'batchnorm', evalLoss: 'on' };
    const r = jobs.train(bn).finish();
    expect(r.evalLoss).toEqual(expect.any(Number));
    const d = viewData({ type: 'steps', metrics: ['loss', 'bnEvalLoss'], log: true }, r, bn);
    expect(d.summary).toContain(
      `in evaluation mode is ${fmt(r.evalLoss!)}, what the terminal command gradlab run prints as "train loss".`,
    );
    const plain = jobs.train(setting).finish(); // no evalLoss asked: no such sentence
    expect(viewData({ type: 'steps', metrics: ['loss'], log: true }, plain, setting).summary).not.toContain(
      'evaluation mode',
    );
  });

  it('says which norm each ‖·‖ series is, and only for series that have one', () => {
    const r = jobs.train(setting).finish();
    const caption = (metrics: ('loss' | 'deltaFirst' | 'deltaLast' | 'updateRatio')[]) =>
      viewData({ type: 'steps', metrics, log: true }, r, setting).caption;
    expect(caption(['loss', 'deltaFirst', 'deltaLast'])).toMatch(/‖δ‖ is the Frobenius norm over the batch\.$/);
    expect(caption(['deltaFirst', 'deltaLast']).match(/Frobenius/g)).toHaveLength(1); // said once for both
    expect(caption(['updateRatio'])).toContain('Frobenius norms of the update and of the weights');
    expect(caption(['loss'])).not.toContain('norm');
  });

  it('says in words that a diverged series ended on a value that is not finite (page 4’s run)', () => {
    const r = jobs
      .train({ ...setting, depth: 10, width: 64, batch: 64, seed: 0, gain: 1, lr: 0.1, trainSteps: 100 })
      .finish();
    const last = r.loss.length - 1;
    // Measured, not assumed: the run did diverge, and its last recorded ‖δ‖ is not finite.
    expect(r.stopped).toBeDefined();
    expect(r.deltaFirst[last]).toBeNull();
    const d = viewData({ type: 'steps', metrics: ['deltaFirst'], log: true }, r, setting);
    expect(d.summary).toContain(
      `went from ${fmt(r.deltaFirst[0])} at step 0 to a value that is not finite (Infinity or NaN)`,
    );
    expect(d.summary).not.toContain(' to –');
  });
});

describe('clip view summary', () => {
  it('gives the share of entries value clipping changed as a percentage, as the page’s prose does', () => {
    const r = jobs.clip({ ...setting, depth: 10, width: 64, batch: 64, seed: 0, gain: 1 });
    const i = r.thresholds.findIndex((t) => t >= 1e-3);
    const d = viewData({ type: 'clip', rules: ['value', 'norm', 'global-norm', 'adaptive'] }, r, setting);
    expect(d.summary).toContain(`changes ${(100 * r.clippedFraction[i]!).toFixed(1)}\u00a0% of the entries`);
  });
});

describe('histogram view summary', () => {
  it('says how many of the layer’s rows × units values the chart shows, so a learner knows how many it leaves out', () => {
    const s = { ...setting, activation: 'tanh', initializer: 'glorot', depth: 4, width: 64, batch: 32, gain: 3 };
    const r = jobs.histogram(s);
    for (const layer of [1, 4]) {
      const d = viewData({ type: 'histogram' }, r, { ...s, layer });
      // 32 rows × 64 units per layer, from the setting; the count shown is the bars' sum.
      const shown = r.hist.counts[layer - 1].reduce((a, b) => a + b, 0);
      expect(shown).toBeLessThan(32 * 64); // gain 3: some z lie outside [−6, 6]
      expect(d.summary).toContain(`${shown} of its ${32 * 64} values fall inside the chart's range [-6, 6].`);
    }
    // Gain 1: every z of the first layer lies inside [−6, 6], and the words say all of them.
    const calm = { ...s, gain: 1 };
    const all = jobs.histogram(calm);
    expect(all.hist.counts[0].reduce((a, b) => a + b, 0)).toBe(32 * 64);
    expect(viewData({ type: 'histogram' }, all, { ...calm, layer: 1 }).summary).toContain(
      `all ${32 * 64} of its values fall inside the chart's range [-6, 6].`,
    );
  });
});

describe('number table', () => {
  it('formats each column as one: whole numbers among fractions get three significant digits', () => {
    const { head, rows } = tableCells({
      x: [-1, -0.5, 0],
      xLabel: 'log₁₀ threshold',
      yLabel: 'cosine',
      log: false,
      series: [
        { label: 'global norm', values: [1, 0.9994, null], color: '#000' },
        { label: 'steps', values: [0, 10, 20], color: '#000' },
      ],
      summary: '',
      caption: '',
    });
    expect(head).toEqual(['log₁₀ threshold', 'global norm', 'steps']);
    expect(rows).toEqual([
      ['-1.00', '1.00', '0'],
      ['-0.500', '0.999', '10'],
      ['0.00', '–', '20'],
    ]);
  });
});

describe('reproduce command pieces', () => {
  it('keep each --flag with its value, and join back into the command a copy gives', () => {
    const command =
      'gradlab probe --activation relu --init he:mode=fan-in:distribution=normal --depth 10 --seed 0 --gain 1 --bias 0';
    expect(commandPieces(command)).toEqual([
      'gradlab',
      'probe',
      '--activation relu',
      '--init he:mode=fan-in:distribution=normal',
      '--depth 10',
      '--seed 0',
      '--gain 1',
      '--bias 0',
    ]);
    const twoPhase =
      'gradlab run revive.spec.json --out runs/revive && gradlab run revive-phase2.spec.json --weights runs/revive/model.json';
    expect(commandPieces(twoPhase)).toEqual([
      'gradlab',
      'run',
      'revive.spec.json',
      '--out runs/revive',
      '&&',
      'gradlab',
      'run',
      'revive-phase2.spec.json',
      '--weights runs/revive/model.json',
    ]);
    for (const c of [command, twoPhase]) expect(commandPieces(c).join(' ')).toBe(c);
  });
});
