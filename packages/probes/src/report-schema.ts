import { REPORT_SCHEMA_ID } from './report.ts';

const num = (description: string) => ({ type: ['number', 'null'], description });
const finiteOrNull = 'null means not finite (NaN or ±Infinity): JSON has no such numbers.';
const ref = {
  oneOf: [
    { type: 'string' },
    { type: 'array', prefixItems: [{ type: 'string' }, { type: 'object' }], minItems: 2, maxItems: 2 },
  ],
};
const FINDING_CODES = [
  'NAN_DETECTED',
  'VANISHING_GRADIENTS',
  'EXPLODING_GRADIENTS',
  'DEAD_UNITS',
  'SATURATION',
  'UPDATE_RATIO',
  'VANISHING_THROUGH_TIME',
  'EXPLODING_THROUGH_TIME',
  'NORMALIZATION_JUMP',
  'LOSS_DIVERGING',
  'SYMMETRY',
];

const layer = {
  type: 'object',
  additionalProperties: false,
  required: [
    'index',
    'role',
    'units',
    'activation',
    'deltaNorm',
    'gradNorm',
    'biasGradNorm',
    'activationMean',
    'activationStd',
    'preactivationMean',
    'preactivationStd',
    'saturation',
    'saturationValue',
    'dead',
    'updateRatio',
  ],
  properties: {
    index: { type: 'integer', minimum: 0 },
    role: {
      enum: ['hidden', 'output'],
      description: 'The last layer is the linear output; ratios span the hidden layers.',
    },
    units: { type: 'integer', minimum: 1 },
    activation: { type: 'string', description: 'Activation id.' },
    deltaNorm: num('‖∂L/∂z_l‖_F over the batch (the back-propagated error).'),
    gradNorm: num('‖∂L/∂W_l‖_F (the weight gradient).'),
    biasGradNorm: num('‖∂L/∂b_l‖_F.'),
    activationMean: num('Mean of a = f(z) over batch × units.'),
    activationStd: num('Population standard deviation of a.'),
    preactivationMean: num('Mean of z.'),
    preactivationStd: num('Population standard deviation of z.'),
    saturation: num("Derivative-based saturation: fraction of batch × units with |f'(z)| < 0.01 · max |f'|."),
    saturationValue: num(
      'Value-based saturation: fraction of batch × units with |tanh z| > 0.97 (sigmoid: σ(z) outside [0.03, 0.97]); null for other activations.',
    ),
    dead: num("Fraction of units with f'(z) = 0 on every row of the batch."),
    updateRatio: num('‖ΔW‖_F / ‖W‖_F of the measured step (W before the step).'),
  },
};

const finding = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'severity', 'step', 'message', 'evidence'],
  properties: {
    code: { enum: FINDING_CODES, description: 'Permanent code; see FINDINGS in @gradlab/probes.' },
    severity: { enum: ['info', 'warn', 'error'] },
    step: { type: 'integer', minimum: 0 },
    layer: { type: 'integer', minimum: 0 },
    message: { type: 'string' },
    hint: { type: 'string' },
    evidence: {
      type: 'object',
      description: 'The numbers behind the verdict; non-finite numbers are written as strings ("NaN", "Infinity").',
      additionalProperties: { type: ['number', 'string'] },
    },
  },
};

const theory = {
  type: 'object',
  additionalProperties: false,
  required: ['applicable', 'measured'],
  description:
    'Mean-field prediction for the hidden stack at initialization (Poole et al. 2016, Schoenholz et al. 2017) beside the measurement. q_{l+1} = σ_w² E[φ(μ_b + √q_l Z)²] + σ_b², χ(q) = σ_w² E[φ′(μ_b + √q Z)²].',
  properties: {
    applicable: { type: 'boolean' },
    reason: { type: 'string', description: 'Why the theory does not apply (applicable: false).' },
    sigmaW2: { type: 'number', description: 'Var(W)·fan-in of the hidden weights (gain² included).' },
    sigmaB2: { type: 'number' },
    biasMean: { type: 'number' },
    inputVariance: { type: 'number' },
    q: { type: 'array', items: num('Pre-activation variance of a hidden layer.') },
    chi: { type: 'array', items: num('χ(q_l): predicted ‖δ_l‖²/‖δ_{l+1}‖².') },
    qStar: num('Fixed point of the variance map; null when infinite.'),
    qStarStatus: { enum: ['zero', 'finite', 'infinite'] },
    chi1: num('χ₁ = χ(q*).'),
    depthScale: num('1/|ln χ₁| layers; null when infinite (critical).'),
    regime: { enum: ['vanishing', 'critical', 'exploding'] },
    predicted: {
      type: 'object',
      additionalProperties: false,
      required: ['deltaFirstLast', 'deltaFirstLastAtFixedPoint', 'perLayerFactor', 'perLayerFactorAtFixedPoint'],
      properties: {
        deltaFirstLast: num('Π_{l<last} √χ(q_l).'),
        deltaFirstLastAtFixedPoint: num('χ₁^{k/2}, k = last − first.'),
        perLayerFactor: num('deltaFirstLast^{1/k}.'),
        perLayerFactorAtFixedPoint: num('√χ₁.'),
      },
    },
    measured: {
      type: 'object',
      additionalProperties: false,
      required: ['deltaFirstLast', 'perLayerFactor'],
      properties: {
        deltaFirstLast: num('Measured ‖δ_first‖/‖δ_last‖.'),
        perLayerFactor: num('Measured geometric-mean factor per layer, deltaFirstLast^{1/k}.'),
      },
    },
  },
};

/**
 * JSON Schema (draft 2020-12) of {@link runProbe}'s report, `gradlab/probe-report@1`. Written to
 * `packages/probes/schema/probe-report.schema.json` by the tests (`UPDATE=1`). Numbers that may
 * be non-finite are `number | null`; a breaking change bumps the `@1`.
 */
export const reportJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://gradlab.dev/schema/probe-report.schema.json',
  title: 'gradlab probe report',
  description: `The canonical probe setup measured at one step. ${finiteOrNull}`,
  type: 'object',
  additionalProperties: false,
  required: [
    'schema',
    'setup',
    'step',
    'loss',
    'layers',
    'deltaNorm',
    'gradNorm',
    'ratios',
    'globalGradNorm',
    'theory',
    'findings',
  ],
  properties: {
    schema: { const: REPORT_SCHEMA_ID },
    setup: {
      type: 'object',
      additionalProperties: false,
      required: [
        'activation',
        'initializer',
        'depth',
        'width',
        'batch',
        'seed',
        'gain',
        'biasInit',
        'steps',
        'optimizer',
        'lr',
        'checks',
        'loss',
        'data',
        'dtype',
      ],
      properties: {
        activation: { ...ref, description: 'Hidden activation: id or [id, options].' },
        initializer: { ...ref, description: 'Weight initializer: id or [id, options].' },
        depth: { type: 'integer', minimum: 1, description: 'Hidden layers.' },
        width: { type: 'integer', minimum: 1, description: 'Units per hidden layer and input dimension.' },
        batch: { type: 'integer', minimum: 1 },
        seed: { type: 'number' },
        gain: { type: 'number', description: "Multiplies the hidden weights' std." },
        biasInit: { type: 'number', description: 'Constant hidden bias.' },
        steps: { type: 'integer', minimum: 0, description: 'Optimizer steps before the measured step.' },
        optimizer: { type: 'string' },
        lr: { type: 'number' },
        checks: { enum: ['strict', 'off'] },
        loss: { const: 'mse' },
        data: { const: 'gaussian' },
        dtype: { const: 'float64' },
      },
    },
    step: { type: 'integer', minimum: 0, description: 'The measured step (gradients before its update).' },
    loss: num('MSE of the batch at the measured step.'),
    layers: { type: 'array', items: layer },
    deltaNorm: {
      type: 'array',
      items: num('‖∂L/∂z_l‖_F.'),
      description: 'Per-layer back-propagated error norms, hidden layers then the output layer.',
    },
    gradNorm: {
      type: 'array',
      items: num('‖∂L/∂W_l‖_F.'),
      description: 'Per-layer weight-gradient norms, hidden layers then the output layer.',
    },
    ratios: {
      type: 'object',
      additionalProperties: false,
      required: ['span', 'first', 'last', 'deltaFirstLast', 'gradFirstLast', 'biasGradFirstLast'],
      description: 'x[first] / x[last] over the hidden layers (first = 0, last = depth − 1).',
      properties: {
        span: { const: 'hidden' },
        first: { type: 'integer', minimum: 0 },
        last: { type: 'integer', minimum: 0 },
        deltaFirstLast: num('deltaNorm[first] / deltaNorm[last].'),
        gradFirstLast: num('gradNorm[first] / gradNorm[last].'),
        biasGradFirstLast: num('biasGradNorm[first] / biasGradNorm[last].'),
      },
    },
    globalGradNorm: num('√(Σ over every parameter tensor of ‖∂L/∂θ‖²).'),
    theory,
    findings: { type: 'array', items: finding, description: "Findings of the measured step and of the run's end." },
    warmupFindings: {
      type: 'array',
      items: finding,
      description: 'With steps > 0: findings of earlier (warm-up) steps, each with its own step.',
    },
    stopped: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'step', 'message'],
      properties: { code: { type: 'string' }, step: { type: 'integer' }, message: { type: 'string' } },
    },
  },
} as const;
