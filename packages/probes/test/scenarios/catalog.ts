/**
 * The labelled scenarios. Each label names the pathology the setup has (or none: healthy) and
 * the measured quantity that shows it; `scenarios.test.ts` checks every label against the
 * measurements of `measure.ts` before it compares the findings with it. Sizes are small so the
 * whole suite runs in seconds.
 */
import type { ExperimentSpec } from '@gradlab/core';
import type { LoosePluginRef } from '@gradlab/plugin-api';
import type { Scenario } from './run.ts';

const W = 32;
const probe = (o: Scenario['probe']) => ({ width: W, batch: W, ...o });

interface Dense {
  units?: number;
  activation?: LoosePluginRef;
  initializer?: LoosePluginRef;
  bias?: number;
  residual?: boolean;
}

/** An MLP on a planar dataset (or gaussian regression), hidden layers as given, trained `steps` steps. */
function mlp(
  hidden: readonly Dense[],
  train: { optimizer?: LoosePluginRef; steps?: number; clipping?: LoosePluginRef[]; loss?: 'bce' | 'mse' },
  data: LoosePluginRef = ['moons', { samples: 128, noise: 0.1 }],
  extra: ExperimentSpec['model']['layers'] = [],
  seed = 1,
): ExperimentSpec {
  return {
    seed,
    data,
    model: {
      layers: [
        ...hidden.map((h) => ({
          type: 'dense' as const,
          units: h.units ?? 16,
          activation: h.activation ?? 'relu',
          initializer: h.initializer ?? 'he',
          ...(h.bias !== undefined && { biasInitializer: ['constant', { value: h.bias }] as LoosePluginRef }),
          ...(h.residual && { residual: true }),
        })),
        ...extra,
        { type: 'dense', units: 1, activation: 'linear', initializer: 'glorot' },
      ],
    },
    train: {
      loss: train.loss ?? 'bce',
      optimizer: train.optimizer ?? ['sgd', { lr: 0.1 }],
      batchSize: 32,
      steps: train.steps ?? 120,
      testFraction: 0,
      ...(train.clipping && { clipping: train.clipping }),
    },
  };
}

const layers = (n: number, d: Dense): Dense[] => Array.from({ length: n }, () => d);

/** An rnn → dense(1) model on a sequence dataset. */
function rnn(
  cell: { activation: string; initializer?: LoosePluginRef; recurrentInitializer?: LoosePluginRef; units?: number },
  data: LoosePluginRef,
  train: { optimizer?: LoosePluginRef; steps?: number } = {},
): ExperimentSpec {
  return {
    seed: 2,
    data,
    model: {
      layers: [
        {
          type: 'rnn',
          units: cell.units ?? 8,
          activation: cell.activation,
          initializer: cell.initializer ?? 'glorot',
          ...(cell.recurrentInitializer && { recurrentInitializer: cell.recurrentInitializer }),
        },
        { type: 'dense', units: 1, initializer: 'glorot' },
      ],
    },
    train: {
      loss: 'mse',
      optimizer: train.optimizer ?? ['sgd', { lr: 0.05 }],
      batchSize: 32,
      steps: train.steps ?? 60,
      testFraction: 0,
    },
  };
}

export const SCENARIOS: readonly Scenario[] = [
  // ---------- healthy, measured at initialization ----------
  {
    name: 'probe relu+he depth 10 seed 0',
    labels: [],
    reason: 'ReLU + He is the critical setup: δ first/last stays within 1e-3 … 10.',
    probe: probe({ seed: 0 }),
  },
  ...[1, 2].map((seed) => ({
    name: `probe relu+he depth 10 seed ${seed}`,
    labels: [],
    info: ['inactive-at-init' as const],
    reason:
      'δ first/last within 1e-3 … 10; more than 25% of a deep layer is inactive on the whole batch at step 0 (an expected effect of depth: info).',
    probe: probe({ seed }),
  })),
  {
    name: 'probe relu+he depth 10 width 64 seed 2 (the issue: DEAD_UNITS at init)',
    labels: [],
    info: ['inactive-at-init'],
    reason: 'δ ratio near 1; units inactive on the whole batch at step 0 are an expected effect of depth (info).',
    probe: { seed: 2 },
  },
  {
    name: 'probe relu+he depth 20 width 128 batch 128 (the issue: DEAD_UNITS on every seed)',
    labels: [],
    info: ['inactive-at-init'],
    reason: 'δ ratio near 1; deep layers start with many inactive units (info), nothing has trained yet.',
    probe: { depth: 20, width: 128, batch: 128, seed: 1 },
  },
  {
    name: 'probe leaky-relu+he depth 10',
    labels: [],
    reason: 'Leaky ReLU with He: δ ratio near 1, and f′ > 0 everywhere so no unit is ever inactive.',
    probe: probe({ activation: 'leaky-relu' }),
  },
  {
    name: 'probe tanh+glorot depth 10',
    labels: [],
    reason: 'tanh + Glorot (σ_w² = 1) is the edge of chaos: δ ratio of order 1.',
    probe: probe({ activation: 'tanh', initializer: 'glorot' }),
  },
  {
    name: 'probe selu+lecun depth 10',
    labels: [],
    reason: 'SELU + LeCun is self-normalizing: δ ratio of order 1.',
    probe: probe({ activation: 'selu', initializer: 'lecun' }),
  },
  {
    name: 'probe gelu+he depth 10',
    labels: [],
    reason: 'GELU + He: δ ratio of order 1.',
    probe: probe({ activation: 'gelu' }),
  },
  {
    name: 'probe relu+he depth 10, 20 steps of sgd lr 1e-3',
    labels: [],
    reason:
      'Small steps keep every measure in range; units inactive at init have not been inactive for the half-run window.',
    probe: probe({ steps: 20 }),
  },
  // ---------- vanishing ----------
  {
    name: 'probe sigmoid+glorot depth 8',
    labels: ['vanishing', 'update-ratio'],
    reason:
      "σ′ ≤ 1/4: δ first/last < 1e-3 over 7 steps (the explainer's example); so the first layer's ‖ΔW‖/‖W‖ at lr 1e-3 is below 1e-6.",
    probe: probe({ activation: 'sigmoid', initializer: 'glorot', depth: 8 }),
  },
  {
    name: 'probe sigmoid+he depth 12',
    labels: ['vanishing', 'update-ratio'],
    reason: 'Even with larger weights the sigmoid loses more than 2× per layer: δ first/last < 1e-3.',
    probe: probe({ activation: 'sigmoid', depth: 12 }),
  },
  {
    name: 'probe relu+glorot depth 30',
    labels: ['vanishing', 'update-ratio'],
    info: ['inactive-at-init'],
    reason: 'ReLU with Var(W) = 1/n loses √2 per layer: 2^(−29/2) ≈ 4e-5 < 1e-3.',
    probe: probe({ initializer: 'glorot', depth: 30 }),
  },
  {
    name: 'probe relu+he gain 0.5 depth 12',
    labels: ['vanishing', 'update-ratio'],
    info: ['inactive-at-init'],
    reason: 'A gain below the critical scale: about 0.5 per layer, 0.5^11 ≈ 5e-4.',
    probe: probe({ gain: 0.5, depth: 12 }),
  },
  {
    name: 'probe tanh+glorot gain 0.5 depth 12',
    labels: ['vanishing', 'update-ratio'],
    reason: 'tanh near its linear region with σ_w = 0.5: about 0.5 per layer.',
    probe: probe({ activation: 'tanh', initializer: 'glorot', gain: 0.5, depth: 12 }),
  },
  // ---------- exploding ----------
  {
    name: 'probe relu+he gain 2 depth 10',
    labels: ['exploding', 'update-ratio'],
    reason:
      'ReLU does not saturate: about 2× per layer, 2^9 ≈ 512 > 10; the global norm is so large that even lr 1e-3 steps exceed ‖ΔW‖/‖W‖ = 0.1.',
    probe: probe({ gain: 2 }),
  },
  {
    name: 'probe relu+he gain 1.5 depth 12',
    labels: ['exploding', 'update-ratio'],
    info: ['inactive-at-init'],
    reason: 'About 1.5 per layer: 1.5^11 ≈ 86 > 10.',
    probe: probe({ gain: 1.5, depth: 12 }),
  },
  {
    name: 'probe leaky-relu+he gain 2 depth 10',
    labels: ['exploding', 'update-ratio'],
    reason: 'Leaky ReLU with twice the critical std: δ grows about 2× per layer.',
    probe: probe({ activation: 'leaky-relu', gain: 2 }),
  },
  {
    name: 'probe tanh+glorot gain 2.5 depth 20 (chaotic)',
    labels: ['exploding'],
    reason: 'σ_w² = 6.25 is the chaotic phase of tanh: χ₁ > 1, δ first/last > 10 over 19 layers.',
    probe: probe({ activation: 'tanh', initializer: 'glorot', gain: 2.5, depth: 20 }),
  },
  // ---------- dead vs inactive ----------
  {
    name: 'probe relu+he bias −1 depth 5 at init',
    labels: [],
    info: ['inactive-at-init'],
    reason: 'Units inactive on the whole batch at step 0 (> 25%), but nothing has trained yet: info.',
    probe: probe({ biasInit: -1, depth: 5 }),
  },
  {
    name: 'probe relu+he bias −1 depth 5, 20 steps',
    labels: ['dead'],
    reason: 'More than 25% of a layer stays inactive on every example over the last 11 training steps.',
    probe: probe({ biasInit: -1, depth: 5, steps: 20, lr: 0.01 }),
  },
  {
    name: 'probe relu+he lr 0.12 seed 1, 30 steps (dying while training)',
    labels: ['dead', 'update-ratio'],
    reason:
      'The first SGD steps rewrite the layers (‖ΔW‖/‖W‖ > 0.1) and push units below 0 for every example; more than 25% stay inactive over the last 16 steps.',
    probe: probe({ depth: 4, steps: 30, lr: 0.12, seed: 1 }),
  },
  // ---------- saturation ----------
  {
    name: 'probe tanh+glorot gain 8 depth 5',
    labels: ['saturation', 'exploding'],
    reason:
      'z of std ≈ 8: more than half of the unit × example pairs have tanh′ < 0.01; σ_w² = 64 is deep in the chaotic phase, so δ still grows (first/last ≈ 19).',
    probe: probe({ activation: 'tanh', initializer: 'glorot', gain: 8, depth: 5 }),
  },
  {
    name: 'probe sigmoid+glorot gain 10 depth 3',
    labels: ['saturation'],
    reason: 'z of std ≈ 10: more than half of the pairs have σ′ < 0.0025.',
    probe: probe({ activation: 'sigmoid', initializer: 'glorot', gain: 10, depth: 3 }),
  },
  // ---------- symmetry ----------
  {
    name: 'probe tanh with zeros init (the issue)',
    labels: ['symmetry'],
    reason: 'Every weight 0: all units of a layer are copies and every hidden δ is exactly 0.',
    probe: probe({ activation: 'tanh', initializer: 'zeros' }),
  },
  {
    name: 'probe relu with constant init',
    labels: ['symmetry'],
    reason: 'One constant for every weight: the units of each hidden layer are exact copies.',
    probe: probe({ initializer: ['constant', { value: 0.05 }], depth: 4 }),
  },
  // ---------- divergence and non-finite ----------
  {
    name: 'probe relu+he lr 10, 10 steps',
    labels: ['diverging', 'exploding', 'nonfinite', 'update-ratio'],
    reason:
      'The loss climbs above 10× its first value and keeps rising, the gradient norm passes 1e3, then values overflow.',
    probe: probe({ depth: 4, steps: 10, lr: 10 }),
  },
  {
    name: 'probe relu+he gain 1e6 depth 30 (overflow at init)',
    labels: ['nonfinite', 'exploding'],
    info: ['inactive-at-init'],
    reason:
      'Weights 1e6× the critical std: activations reach 1e180, the loss and the gradients overflow float64 on the first step (global norm Infinity).',
    probe: probe({ gain: 1e6, depth: 30 }),
  },
  // ---------- update ratio ----------
  {
    name: 'probe tanh+glorot lr 1e-9, 3 steps',
    labels: ['update-ratio'],
    reason: '‖ΔW‖/‖W‖ ≈ 1e-10, below 1e-6 on the measured step.',
    probe: probe({ activation: 'tanh', initializer: 'glorot', steps: 3, lr: 1e-9, depth: 3 }),
  },
  // ---------- run specs: healthy ----------
  {
    name: 'run relu+he mlp on moons, sgd',
    labels: [],
    reason: 'Loss falls, δ ratio of order 1, no unit inactive for 50 steps in a row.',
    spec: mlp(layers(3, {}), {}),
  },
  {
    name: 'run tanh+glorot mlp on circles, adam',
    labels: [],
    reason: 'Loss falls, δ ratio of order 1, tanh′ mostly above 0.01.',
    spec: mlp(layers(3, { activation: 'tanh', initializer: 'glorot' }), { optimizer: ['adam', { lr: 0.01 }] }, [
      'circles',
      { samples: 128 },
    ]),
  },
  {
    name: 'run leaky-relu mlp, momentum',
    labels: [],
    reason: 'Loss falls; leaky units are never inactive; δ ratio of order 1.',
    spec: mlp(layers(4, { activation: 'leaky-relu' }), { optimizer: ['momentum', { lr: 0.05 }] }),
  },
  {
    name: 'run 30-layer tanh net, small init, batch norm after every layer (page 10)',
    labels: [],
    info: ['norm-jump'],
    reason:
      'Without batch norm this init vanishes (LeCun × 0.25: about ×0.25 per layer). Batch norm after every dense layer rescales δ by γ/σ at each layer and undoes that shrink: the raw first/last ratio is level while the ratio with the jumps left out is tiny. The first layers get a full-size error signal and the loss falls (1.47 → 0.87 in 60 steps, against 1.12 → 1.06 without batch norm): explained, not vanishing.',
    spec: {
      seed: 0,
      data: ['gaussian', { samples: 64, features: 16 }],
      model: {
        layers: [
          ...Array.from({ length: 30 }, () => [
            {
              type: 'dense' as const,
              units: 16,
              activation: 'linear',
              initializer: ['lecun', { gain: 0.25 }] as LoosePluginRef,
            },
            { type: 'batchnorm' as const, activation: 'tanh' },
          ]).flat(),
          { type: 'dense', units: 1, activation: 'linear', initializer: 'glorot' },
        ],
      },
      train: { loss: 'mse', optimizer: ['sgd', { lr: 0.01 }], batchSize: 64, steps: 60, testFraction: 0 },
    },
  },
  {
    name: 'run residual relu net on spirals',
    labels: ['dead'],
    reason:
      'Residual blocks keep δ level (identity path), but half the units of the last block are inactive on every example for 50 steps in a row: dead, which the identity path does not revive.',
    spec: mlp(
      [{ units: 16 }, ...layers(4, { units: 16, residual: true, initializer: ['he', {}] })],
      { optimizer: ['adam', { lr: 0.005 }] },
      ['spirals', { samples: 128 }],
    ),
  },
  {
    name: 'run batch-norm relu net with global-norm (the issue: EXPLODING ×3)',
    labels: [],
    info: ['norm-jump'],
    reason:
      'δ jumps where it enters batch norm (γ/σ of a small-spread layer) and is level elsewhere: the jump is explained, not exploding.',
    spec: {
      seed: 3,
      data: ['spirals', { samples: 128 }],
      model: {
        layers: [
          { type: 'dense', units: 16, activation: 'linear', initializer: ['normal', { std: 0.02 }] },
          { type: 'batchnorm', activation: 'relu' },
          { type: 'dense', units: 16, activation: 'linear', initializer: ['normal', { std: 0.02 }] },
          { type: 'batchnorm', activation: 'relu' },
          { type: 'dense', units: 16, activation: 'linear', initializer: ['normal', { std: 0.02 }] },
          { type: 'batchnorm', activation: 'relu' },
          { type: 'dense', units: 1, activation: 'linear', initializer: 'glorot' },
        ],
      },
      train: {
        loss: 'bce',
        optimizer: ['adam', { lr: 0.01 }],
        batchSize: 32,
        steps: 120,
        testFraction: 0,
        clipping: ['global-norm'],
      },
    },
  },
  {
    name: 'run healthy tanh rnn on sine',
    labels: [],
    reason: '20 steps of tanh with orthogonal recurrence: ‖∂L/∂h_t‖ stays within 1e-3 … 10 of the last step.',
    spec: rnn({ activation: 'tanh', recurrentInitializer: 'orthogonal' }, ['sine', { samples: 64, steps: 20 }]),
  },
  {
    name: 'run gelu+he regression on teacher data',
    labels: [],
    reason: 'Loss falls; δ ratio of order 1.',
    spec: mlp(layers(3, { activation: 'gelu' }), { loss: 'mse', optimizer: ['adam', { lr: 0.003 }] }, [
      'teacher',
      { samples: 128, features: 8 },
    ]),
  },
  // ---------- run specs: pathologies ----------
  {
    name: 'run sigmoid mlp depth 8',
    labels: ['vanishing', 'update-ratio'],
    reason:
      'δ first/last < 1e-3 across 7 sigmoid layers; the first layer then moves by less than 1e-6 of its norm per step for 20 steps.',
    spec: mlp(layers(8, { activation: 'sigmoid', initializer: 'glorot' }), {}),
  },
  {
    name: 'run sigmoid rnn over 50 steps (vanishing through time)',
    labels: ['vanishing-time'],
    reason: '‖∂L/∂h_0‖/‖∂L/∂h_49‖ < 1e-3: σ′ ≤ 1/4 at every step back.',
    spec: rnn({ activation: 'sigmoid' }, ['adding', { samples: 64, steps: 50 }]),
  },
  {
    name: 'run tanh rnn with W_h = 0.3·I over 30 steps',
    labels: ['vanishing-time'],
    reason: 'A recurrent gain of 0.3: ‖∂L/∂h_t‖ shrinks about 0.3× per step back.',
    spec: rnn({ activation: 'tanh', recurrentInitializer: ['identity', { gain: 0.3 }] }, [
      'sine',
      { samples: 64, steps: 30 },
    ]),
  },
  {
    name: 'run linear-ish tanh rnn with W_h = 1.5·I and weak input (exploding through time)',
    labels: ['exploding-time'],
    reason: 'Spectral radius 1.5 with units near 0: ‖∂L/∂h_0‖/‖∂L/∂h_T‖ > 10.',
    spec: rnn(
      {
        activation: 'tanh',
        initializer: ['normal', { std: 1e-4 }],
        recurrentInitializer: ['identity', { gain: 1.5 }],
      },
      ['sine', { samples: 64, steps: 12 }],
      { optimizer: ['sgd', { lr: 0 }], steps: 5 },
    ),
  },
  {
    name: 'run sgd lr 100 (the issue: loss 0.73 → 17.5 → 8859)',
    labels: ['diverging', 'exploding', 'nonfinite', 'vanishing'],
    reason:
      'The loss passes 10× its first value while rising and the gradient norm passes 1e3; the huge steps leave every unit of the first layer inactive (δ_first = 0, vanishing) and the loss overflows at step 35.',
    spec: mlp(layers(3, {}), { optimizer: ['sgd', { lr: 100 }], loss: 'mse' }, [
      'teacher',
      { samples: 128, features: 8 },
    ]),
  },
  {
    name: 'run relu mlp lr 3 on moons (diverges, then units die)',
    labels: ['dead', 'diverging', 'exploding', 'nonfinite'],
    reason:
      'The loss climbs above 10× its first value, the gradient norm passes 1e3 and overflows; the steps leave more than 25% of a layer inactive on every example for 50 steps.',
    spec: mlp(layers(3, {}), { optimizer: ['sgd', { lr: 3 }], steps: 150 }),
  },
  {
    name: 'run residual tanh net on moons',
    labels: [],
    info: ['norm-jump'],
    reason:
      'δ adds up along the identity path (×1.3–2 per block, first/last up to 15): expected for residual nets and explained; the loss falls to 0.003.',
    spec: mlp(
      [
        { units: 16, activation: 'tanh', initializer: 'glorot' },
        ...layers(4, { units: 16, residual: true, activation: 'tanh', initializer: 'glorot' }),
      ],
      { optimizer: ['adam', { lr: 0.005 }] },
    ),
  },

  {
    name: 'run relu mlp with bias −0.5 and lr 1 (dying while training)',
    labels: ['dead'],
    reason: 'More than 25% of a layer inactive on every example for 50 consecutive steps.',
    spec: mlp(layers(3, { bias: -0.5 }), { optimizer: ['sgd', { lr: 1 }], steps: 150 }),
  },
  {
    name: 'run tanh mlp with weights of std 3',
    labels: ['saturation', 'exploding'],
    reason:
      'More than half of the pairs with tanh′ < 0.01 for 20 steps in a row; σ_w² = 9·16 is deep in the chaotic phase, so δ first/last passes 10 as well.',
    spec: mlp(
      layers(3, { activation: 'tanh', initializer: ['normal', { std: 3 }] }),
      { steps: 60, loss: 'mse', optimizer: ['sgd', { lr: 0.005 }] },
      ['teacher', { samples: 128, features: 16 }],
    ),
  },
  {
    name: 'run zeros init',
    labels: ['symmetry', 'vanishing'],
    reason:
      'All hidden weights 0: the units of each layer are copies, and δ is exactly 0 below the last hidden layer (first/last = 0).',
    spec: mlp(layers(3, { activation: 'tanh', initializer: 'zeros' }), { steps: 30 }),
  },
  {
    name: 'run tanh mlp with lr 1e-9',
    labels: ['update-ratio'],
    reason: '‖ΔW‖/‖W‖ below 1e-6 for 20 steps in a row.',
    spec: mlp(layers(3, { activation: 'tanh', initializer: 'glorot' }), {
      optimizer: ['sgd', { lr: 1e-9 }],
      steps: 40,
    }),
  },
];
