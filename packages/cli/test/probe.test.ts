import { createRegistry, createSession } from '@gradlab/core';
import standard from '@gradlab/preset-standard';
import probes, { canonicalSpec, type ProbeReport, runProbe } from '@gradlab/probes';
import { describe, expect, it } from 'vitest';
import { gradlab, STACK, TIMEOUT } from './helpers.ts';

const registry = () => createRegistry().use(standard).use(probes);
/** The number after a label such as `‖δ₀‖/‖δ₉‖ = `. */
const numberAfter = (text: string, label: RegExp) => {
  const m = text.match(new RegExp(`${label.source}\\s*([-+0-9.e]+)`));
  if (!m) throw new Error(`no ${label} in:\n${text}`);
  return Number(m[1]);
};

/**
 * ‖δ_l‖_F and ‖∂L/∂W_l‖_F of the canonical setup by a from-scratch forward and backward pass
 * (plain loops, no engine or probe code) from the engine's initial weights and data: an
 * independent check of the numbers the CLI prints.
 */
function normsByHand(options: {
  activation: 'relu' | 'tanh';
  depth: number;
  width: number;
  batch: number;
  seed: number;
}) {
  const spec = canonicalSpec({ ...options, initializer: options.activation === 'relu' ? 'he' : 'glorot' });
  const session = createSession(spec, { registry: registry() });
  const { x, y, rows } = session.trainData;
  const f = options.activation === 'relu' ? (z: number) => Math.max(z, 0) : Math.tanh;
  const df = options.activation === 'relu' ? (z: number) => (z > 0 ? 1 : 0) : (z: number) => 1 - Math.tanh(z) ** 2;
  const W = session.model.params.filter((p) => p.role === 'weight');
  const b = session.model.params.filter((p) => p.role === 'bias');
  const zs: Float64Array[] = [];
  const inputs: Float64Array[] = [];
  let a = x;
  W.forEach((w, l) => {
    const [fanIn, fanOut] = w.shape;
    const z = new Float64Array(rows * fanOut);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < fanOut; j++) {
        let s = b[l].value[j];
        for (let i = 0; i < fanIn; i++) s += a[r * fanIn + i] * w.value[i * fanOut + j];
        z[r * fanOut + j] = s;
      }
    inputs.push(a);
    zs.push(z);
    a = l === W.length - 1 ? z : z.map(f);
  });
  // ∂L/∂W_l = a_{l−1}ᵀ δ_l, stored fanIn × fanOut like W.
  const gradNorm = (l: number, delta: Float64Array) => {
    const [fanIn, fanOut] = W[l].shape;
    let sum = 0;
    for (let i = 0; i < fanIn; i++)
      for (let j = 0; j < fanOut; j++) {
        let g = 0;
        for (let r = 0; r < rows; r++) g += inputs[l][r * fanIn + i] * delta[r * fanOut + j];
        sum += g * g;
      }
    return Math.sqrt(sum);
  };
  let delta = a.map((yhat, r) => (2 * (yhat - y[r])) / rows); // MSE, linear output
  const deltaNorms = [Math.hypot(...delta)];
  const gradNorms = [gradNorm(W.length - 1, delta)];
  for (let l = W.length - 2; l >= 0; l--) {
    const [fanIn, fanOut] = W[l + 1].shape;
    const next = new Float64Array(rows * fanIn);
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < fanIn; i++) {
        let s = 0;
        for (let j = 0; j < fanOut; j++) s += delta[r * fanOut + j] * W[l + 1].value[i * fanOut + j];
        next[r * fanIn + i] = s * df(zs[l][r * fanIn + i]);
      }
    delta = next;
    deltaNorms.unshift(Math.hypot(...delta));
    gradNorms.unshift(gradNorm(l, delta));
  }
  return { deltaNorms, gradNorms };
}

describe('gradlab probe', { timeout: TIMEOUT }, () => {
  it('prints the per-layer table, both ratios, the theory and the findings', async () => {
    const args = [
      '--activation',
      'relu',
      '--init',
      'he',
      '--depth',
      '10',
      '--width',
      '64',
      '--batch',
      '64',
      '--seed',
      '1',
    ];
    const r = await gradlab(['probe', ...args]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toMatch(/^Canonical probe: 10 hidden × 64 relu, initializer he, batch 64, seed 1/);
    expect(out).toMatch(
      /layer +units +act +‖δ‖ +‖∂L\/∂W‖ +act std +sat % +dead % +δₗ\/δₗ₊₁ +√χ theory +‖δ‖ \(log scale\)/,
    );
    // 10 hidden rows and the output row, each with a bar.
    expect(out.match(/^ +\d+ +\d+ +(relu|linear) .*█/gm)).toHaveLength(11);
    expect(out).toMatch(/bar: ‖δ‖ = ‖∂L\/∂z‖ on a log scale, empty = 1e-?\d+, full = 1e-?\d+ \(\d+ cells, /);
    expect(out).toMatch(/χ₁ = 1: critical/);
    expect(out).toContain('Findings');

    const report = runProbe(
      { activation: 'relu', initializer: 'he', depth: 10, width: 64, batch: 64, seed: 1 },
      { registry: registry() },
    );
    const delta = numberAfter(out, /δ ratio +‖δ₀‖\/‖δ₉‖ =/);
    const grad = numberAfter(out, /‖∂L\/∂W‖ ratio +‖∂L\/∂W₀‖\/‖∂L\/∂W₉‖ =/);
    expect(delta).toBe(Number(report.ratios.deltaFirstLast!.toPrecision(4)));
    expect(grad).toBe(Number(report.ratios.gradFirstLast!.toPrecision(4)));
    expect(numberAfter(out, /theory/)).toBeCloseTo(1, 6);
    // He init keeps ReLU's ‖δ‖ roughly constant across 10 layers: the δ ratio is near 1 …
    expect(delta).toBeGreaterThan(0.3);
    expect(delta).toBeLessThan(3);
    // … and the ratio differs from the ‖∂L/∂W‖ ratio (DESIGN.md: every chart says which one).
    expect(Math.abs(Math.log(delta / grad))).toBeGreaterThan(0.5);
  });

  it('sigmoid over 8 layers prints VANISHING_GRADIENTS and a tiny δ ratio', async () => {
    const r = await gradlab(['probe', '--activation', 'sigmoid', '--init', 'xavier', '--depth', '8']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warn +VANISHING_GRADIENTS \(layer 0, step 0\): /);
    expect(r.stdout).toMatch(/^ +hint: /m);
    expect(numberAfter(r.stdout, /‖δ₀‖\/‖δ₇‖ =/)).toBeLessThan(1e-3);
    expect(r.stdout).toContain('vanishing; depth scale');
  });

  it('--json prints the documented report; per-layer deltaNorm and gradNorm match an independent backprop', async () => {
    const setup = { activation: 'tanh' as const, depth: 4, width: 8, batch: 5, seed: 3 };
    const r = await gradlab([
      'probe',
      '--activation',
      'tanh',
      '--init',
      'glorot',
      '--depth',
      '4',
      '--width',
      '8',
      '--batch',
      '5',
      '--seed',
      '3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ProbeReport;
    expect(report.schema).toBe('gradlab/probe-report@1');
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['setup', 'layers', 'ratios', 'globalGradNorm', 'theory', 'findings']),
    );
    expect(report.setup).toMatchObject({
      activation: 'tanh',
      initializer: 'glorot',
      depth: 4,
      width: 8,
      batch: 5,
      seed: 3,
    });
    expect(report.layers).toHaveLength(5);
    for (const key of [
      'index',
      'units',
      'activation',
      'deltaNorm',
      'gradNorm',
      'biasGradNorm',
      'activationMean',
      'activationStd',
      'saturation',
      'dead',
      'updateRatio',
    ]) {
      expect(report.layers[0], key).toHaveProperty(key);
    }
    const deltaNorm = report.layers.map((l) => l.deltaNorm!);
    const gradNorm = report.layers.map((l) => l.gradNorm!);
    // The report also carries the per-layer arrays at top level, as the issue documents.
    expect(report.deltaNorm).toEqual(deltaNorm);
    expect(report.gradNorm).toEqual(gradNorm);
    const byHand = normsByHand(setup);
    for (let l = 0; l < 5; l++) {
      expect(deltaNorm[l], `‖δ‖ of layer ${l}`).toBeCloseTo(byHand.deltaNorms[l], 12);
      expect(gradNorm[l], `‖∂L/∂W‖ of layer ${l}`).toBeCloseTo(byHand.gradNorms[l], 12);
    }
    expect(report.ratios.deltaFirstLast).toBeCloseTo(deltaNorm[0] / deltaNorm[3], 12);
    expect(report.ratios.gradFirstLast).toBeCloseTo(report.layers[0].gradNorm! / report.layers[3].gradNorm!, 12);
    expect(report.theory.applicable).toBe(true);
    expect(report.theory.chi).toHaveLength(4);
  });

  it('--csv prints a header and one row per layer', async () => {
    const r = await gradlab(['probe', '--depth', '6', '--csv']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^index,role,units,activation,deltaNorm,gradNorm,/);
    expect(lines).toHaveLength(1 + 7);
    expect(lines[7]).toMatch(/^6,output,1,linear,/);
  });

  it("--init ID:OPTION=VALUE passes the initializer's own options: same report as runProbe with them", async () => {
    const r = await gradlab(['probe', '--init', 'kaiming:mode=fan-out:distribution=uniform', '--depth', '4', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ProbeReport;
    expect(report.setup.initializer).toEqual(['he', { mode: 'fan-out', distribution: 'uniform' }]);
    const direct = runProbe(
      { initializer: ['he', { mode: 'fan-out', distribution: 'uniform' }], depth: 4 },
      { registry: registry() },
    );
    expect(report.deltaNorm).toEqual(direct.deltaNorm);
    const normal = JSON.parse((await gradlab(['probe', '--init', 'normal:std=0.01', '--depth', '4', '--json'])).stdout);
    expect(normal.setup.initializer).toEqual(['normal', { std: 0.01 }]);
  });

  it('the header names the initializer with its options, as --init writes them (pasteable)', async () => {
    const r = await gradlab(['probe', '--init', 'kaiming:mode=fan-out', '--depth', '2', '--width', '8']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Canonical probe: 2 hidden × 8 relu, initializer he:mode=fan-out, batch 64, seed 0\n/);
    const plain = await gradlab(['probe', '--depth', '2', '--width', '8']);
    expect(plain.stdout).toMatch(/^Canonical probe: 2 hidden × 8 relu, initializer he, batch 64/);
    // Pasting the header's initializer back gives the same numbers (the options were not dropped).
    const again = await gradlab(['probe', '--init', 'he:mode=fan-out', '--depth', '2', '--width', '8']);
    expect(again.stdout).toBe(r.stdout);
    expect(again.stdout).not.toBe(plain.stdout);
  });

  it('accepts aliases (kaiming, xavier) and the setup knobs', async () => {
    const r = await gradlab([
      'probe',
      '--activation',
      'leaky-relu',
      '--alpha',
      '0.2',
      '--init',
      'kaiming',
      '--gain',
      '1.5',
      '--bias',
      '0.1',
      '--steps',
      '3',
      '--lr',
      '0.001',
      '--optimizer',
      'momentum',
      '--depth',
      '5',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ProbeReport;
    expect(report.setup).toMatchObject({
      activation: ['leaky-relu', { alpha: 0.2 }],
      initializer: 'he',
      gain: 1.5,
      biasInit: 0.1,
      steps: 3,
      lr: 0.001,
      optimizer: 'momentum',
    });
    expect(report.step).toBe(3);
    expect((await gradlab(['probe', '--init', 'xavier', '--depth', '2', '--json'])).stdout).toContain(
      '"initializer": "glorot"',
    );
  });

  it('DEAD_UNITS at initialization is info; after training it warns, under "Warm-up findings", with hints as flags', async () => {
    const init = await gradlab(['probe', '--seed', '2']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/info\s+DEAD_UNITS \(layer \d+, step 0\): .* at initialization/);
    expect(init.stdout).not.toMatch(/warn\s+DEAD_UNITS/);
    const trained = await gradlab(['probe', '--bias', '-1', '--depth', '5', '--steps', '20', '--lr', '0.01']);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toContain('Warm-up findings (steps 0–19');
    expect(trained.stdout).toMatch(/warn\s+DEAD_UNITS/);
    expect(trained.stdout).toContain('hint: Try --activation leaky-relu; --bias 0.01; or --lr 0.001.');
    expect(trained.stdout).not.toContain('biasInitializer');
  });

  it('a problem found during warm-up is not hidden behind "none" at the measured step', async () => {
    // A 20-layer sigmoid net vanishes at every step (‖δ₀‖/‖δ₁₉‖ ≈ 1e-12, page 2 and myth 7 of the
    // site); the grad-norms probe says so once, at step 0, and Adam does not change that.
    const r = await gradlab([
      'probe',
      '--activation',
      'sigmoid',
      '--init',
      'glorot',
      '--depth',
      '20',
      '--steps',
      '20',
      '--optimizer',
      'adam',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/δ ratio +‖δ₀‖\/‖δ₁₉‖ = \d\.\d+e-1[1-3]/);
    expect(r.stdout).toContain('none new at step 20: each probe reports a problem once');
    expect(r.stdout).not.toContain('no probe raised a finding');
    expect(r.stdout).toMatch(/Warm-up findings[^\n]*\n(.*\n)*\s+warn\s+VANISHING_GRADIENTS \(layer 0, step 0\)/);
    // Its update ratios are too small: the hint raises the learning rate (0.001 × 100), never lowers it.
    expect(r.stdout).toContain('hint: Try --lr 0.1.');
    expect(r.stdout).not.toContain('--lr 0.0001');
  });

  it('a large gain makes ReLU explode, as the theory predicts', async () => {
    const r = await gradlab(['probe', '--gain', '2', '--depth', '20']);
    expect(r.stdout).toContain('EXPLODING_GRADIENTS');
    expect(r.stdout).toMatch(/χ₁ = 4: exploding/);
  });
});

describe('gradlab compare', { timeout: TIMEOUT }, () => {
  it('prints one row per setting with both ratios, the prediction, dead %, saturation % and findings', async () => {
    const r = await gradlab(['compare', '--activation', 'sigmoid,tanh,relu', '--init', 'glorot', '--depth', '8']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const header = lines.find((l) => l.startsWith('activation'))!;
    expect(header).toMatch(/^activation +δ ratio +‖∂L\/∂W‖ ratio +theory δ ratio +χ₁ +dead % +sat % +findings$/);
    const row = (id: string) => lines.find((l) => l.startsWith(`${id} `))!;
    expect(row('sigmoid')).toContain('VANISHING_GRADIENTS');
    expect(row('tanh')).not.toContain('VANISHING_GRADIENTS');
    const ratio = (id: string) => Number(row(id).trim().split(/\s+/)[1]);
    expect(ratio('sigmoid')).toBeLessThan(1e-3);
    expect(ratio('relu')).toBeGreaterThan(ratio('sigmoid'));
    const single = runProbe({ activation: 'tanh', initializer: 'glorot', depth: 8 }, { registry: registry() });
    expect(ratio('tanh')).toBe(Number(single.ratios.deltaFirstLast!.toPrecision(4)));
  });

  it('--init auto is the default: the table says which init each row used', async () => {
    const r = await gradlab(['compare', '--activation', 'relu,tanh,selu', '--depth', '3', '--width', '8']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\s*(relu|tanh|selu)\s/.test(l));
    expect(
      rows.map((l) =>
        l
          .trim()
          .split(/\s{2,}/)
          .slice(0, 2),
      ),
    ).toEqual([
      ['relu', 'he (auto)'],
      ['tanh', 'glorot (auto)'],
      ['selu', 'lecun (auto)'],
    ]);
    // When every row gets the same init, the header line says so.
    const same = await gradlab(['compare', '--activation', 'relu,leaky-relu', '--depth', '3', '--width', '8']);
    expect(same.stdout).toMatch(/^Canonical probe comparison: init he \(auto\), depth 3/m);
  });

  it('crosses every list and prints CSV and JSON', async () => {
    const csv = await gradlab(['compare', '--init', 'he,glorot', '--depth', '3,6', '--width', '16', '--csv']);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^activation,init,depth,width,.*,deltaRatio,gradRatio,predictedDeltaRatio,chi1,dead,saturation,findings$/,
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      'relu,he,3',
      'relu,he,6',
      'relu,glorot,3',
      'relu,glorot,6',
    ]);
    const json = JSON.parse((await gradlab(['compare', '--activation', 'relu,tanh', '--depth', '3', '--json'])).stdout);
    // --init auto (the compare default) gives each activation its recommendedInitializer.
    expect(json.varied).toEqual(['activation', 'init']);
    expect(json.rows.map((r: { setting: { init: string; initAuto?: boolean } }) => r.setting)).toMatchObject([
      { activation: 'relu', init: 'he', initAuto: true },
      { activation: 'tanh', init: 'glorot', initAuto: true },
    ]);
    expect(json.rows).toHaveLength(2);
    expect(json.rows[1].report.schema).toBe('gradlab/probe-report@1');
    expect(json.rows[1].deltaRatio).toBe(json.rows[1].report.ratios.deltaFirstLast);
  });
});

const BAD: [string[], RegExp][] = [
  [['probe', '--depth', 'abc'], /^--depth must be a whole number between 1 and 999 \(received "abc"\)\.$/],
  [['probe', '--depth', '0'], /^--depth must be a whole number between 1 and 999 \(received "0"\)\.$/],
  [['probe', '--width', '2.5'], /^--width must be a whole number/],
  [['probe', '--lr', 'fast'], /^--lr must be a number between 0 and 100 \(received "fast"\)\.$/],
  [['probe', '--activation', 'rleu'], /^Unknown activation "rleu"\. Did you mean "relu"/],
  [['probe', '--init', 'kaimng'], /^Unknown initializer "kaimng"\. Did you mean "kaiming"/],
  [
    ['probe', '--optimizer', 'adm'],
    /^--optimizer must be one of sgd, momentum, adam, adamw \(received "adm"\)\. Did you mean "adam"/,
  ],
  [['probe', '--dpeth', '5'], /^Unknown flag --dpeth for gradlab probe\. Did you mean --depth\?/],
  [['probe', '--initializer', 'he'], /^Unknown flag --initializer for gradlab probe\. Did you mean --init\?/],
  [['probe', '--depth'], /^--depth needs a value, e.g\. --depth N\.$/],
  [['probe', 'relu'], /^gradlab probe takes no arguments \(received "relu"\)/],
  [
    ['probe', '--activation', 'relu,tanh'],
    /^--activation takes one value in gradlab probe .*gradlab compare takes lists/,
  ],
  [
    ['probe', '--alpha', '0.1'],
    /^--alpha needs an activation with an alpha option \(elu, leaky-relu\); "relu" has none\.$/,
  ],
  [['probe', '--json', '--csv'], /^--json and --csv cannot be combined/],
  [
    ['probe', '--init', 'he:mode'],
    /^--init he:mode: "mode" is not OPTION=VALUE; write e\.g\. --init he:mode=fan-out or --init normal:std=0\.01\.$/,
  ],
  [['probe', '--init', 'he:mod=fan-out'], /Unknown option `mod` for initializer "he"\. Did you mean `mode`\?/],
  [['probe', '--depth', '999', '--width', '4096'], /parameters; the limit is 50000000/],
  [
    ['probe', '--gain', '2', '--init', 'uniform'],
    /^--gain needs an initializer with a gain option \(glorot, he, identity, lecun, orthogonal\); "uniform" has none\.$/,
  ],
  [
    ['compare', '--activation', 'linear', '--init', 'auto'],
    /^--init auto: activation "linear" recommends no initializer/,
  ],
  [['compare', '--activation', 'relu,,tanh'], /^--activation has an empty item in "relu,,tanh"/],
  [['compare', '--activation', 'relu,tnah'], /^Unknown activation "tnah"\. Did you mean "tanh"/],
];

describe.concurrent('bad probe and compare flags', { timeout: TIMEOUT }, () => {
  it.each(BAD)('gradlab %j', async (args, message) => {
    const r = await gradlab(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr).not.toMatch(STACK);
  });
});
