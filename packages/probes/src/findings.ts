import type { FindingCode } from '@gradlab/plugin-api';

/** One fix for a finding; `try` lists plugin ids (any kind) the fix uses. */
export interface FindingFix {
  readonly text: string;
  readonly try?: readonly string[];
}

/** What a finding code means, why it happens and what to do; `gradlab explain <code>` and the site read it. */
export interface FindingInfo {
  readonly title: string;
  /** Ids of the probes that emit the code. */
  readonly emittedBy: readonly string[];
  readonly meaning: string;
  readonly causes: readonly string[];
  readonly fixes: readonly FindingFix[];
}

/** The findings catalog. Codes are permanent; text may improve. */
export const FINDINGS: Readonly<Record<FindingCode, FindingInfo>> = {
  VANISHING_GRADIENTS: {
    title: 'Vanishing gradients',
    emittedBy: ['grad-norms'],
    meaning:
      'The back-propagated error δ_l = ∂L/∂z_l is much smaller in the first hidden layer than in the last one (by default more than 1000×). Backpropagation multiplies δ by Wᵀ and by f′(z) once per layer, so when the typical factor σ_w·√E[f′(z)²] is below 1 the error shrinks geometrically with depth, and the first layers get almost no learning signal.',
    causes: [
      "Saturating activations: the sigmoid's derivative is at most 0.25, so even ideal weights lose a factor of 4 per layer; tanh and sigmoid units driven into their flat tails pass almost nothing.",
      'Weights too small for the activation: with Var(W) = 1/fan-in a ReLU net loses a factor √2 per layer (He initialization, 2/fan-in, restores 1).',
      'Depth: a per-layer factor slightly below 1 becomes tiny after many layers (0.8^30 ≈ 1e-3).',
      'Many dead ReLU units, which pass no gradient at all.',
    ],
    fixes: [
      {
        text: 'Match the initialization to the activation: He for the ReLU family, Glorot (or LeCun) for tanh.',
        try: ['he', 'glorot', 'lecun'],
      },
      {
        text: 'Use a non-saturating activation: its derivative is 1 on the active side.',
        try: ['relu', 'leaky-relu', 'elu', 'gelu'],
      },
      { text: "Add batch normalization ({ type: 'batchnorm' } layers) to restore the scale at every layer." },
      { text: 'Use residual connections (residual: true on dense layers): the identity path carries δ unchanged.' },
      {
        text: 'Adaptive optimizers rescale small gradients per parameter; that helps the step size but does not revive saturated or dead units.',
      },
    ],
  },
  EXPLODING_GRADIENTS: {
    title: 'Exploding gradients',
    emittedBy: ['grad-norms'],
    meaning:
      'The back-propagated error grows from the last hidden layer to the first (by default more than 10×), or the global gradient norm is very large (by default above 1e3). The per-layer factor σ_w·√E[f′(z)²] is above 1: ReLU does not saturate, so with weights of std g·√(2/n) and g > 1 the error grows about g per layer. Steps become huge, the loss jumps, and values can overflow to NaN.',
    causes: [
      'Initialization larger than the critical scale (He with a gain above 1 for ReLU; Var(W) well above 1/fan-in for tanh).',
      'A learning rate so high that weights grow step after step, which in turn scales the gradients up.',
      'Recurrent networks whose recurrent matrix has spectral radius above 1: the gradient through time grows like ρ(W_h)^T.',
    ],
    fixes: [
      { text: 'Use the critical initialization for the activation, without extra gain.', try: ['he', 'glorot'] },
      { text: 'Clip the gradients by their global norm (keeps the direction).', try: ['global-norm'] },
      { text: 'Lower the learning rate.' },
      { text: "Add batch normalization ({ type: 'batchnorm' } layers)." },
      { text: 'Orthogonal recurrent weights keep ρ(W_h) = 1 at the start.', try: ['orthogonal'] },
    ],
  },
  SATURATION: {
    title: 'Saturated units',
    emittedBy: ['saturation'],
    meaning:
      "More than half of a layer's unit × example pairs sit where the activation is flat (|f′(z)| below 1% of its maximum), for many steps in a row. A saturated unit passes almost no gradient backwards and barely changes, so saturation causes vanishing gradients in the layers below.",
    causes: [
      'Pre-activations with a large spread: weights initialized too large for a sigmoid or tanh layer (e.g. std 1 with 100 inputs gives z of std 10).',
      'A learning rate that pushes weights and biases to large values.',
      'Inputs that are not standardized (large raw feature values).',
      'Sigmoid outputs are not zero-centred, so the next layer sees a shifted input that drifts it into a tail.',
    ],
    fixes: [
      {
        text: 'Initialize with Glorot (Xavier) or LeCun scaling so that z stays near 0 where f′ is largest.',
        try: ['glorot', 'lecun'],
      },
      {
        text: 'Prefer tanh to sigmoid for hidden layers (zero-centred, and f′(0) = 1 instead of 0.25).',
        try: ['tanh'],
      },
      { text: 'Switch to a non-saturating activation.', try: ['relu', 'leaky-relu', 'gelu'] },
      { text: "Lower the learning rate; add batch normalization ({ type: 'batchnorm' } layers)." },
    ],
  },
  DEAD_UNITS: {
    title: 'Dead units',
    emittedBy: ['dead-units'],
    meaning:
      "More than a quarter of a layer's units had f′(z) = 0 on every example of the batch, step after step. Such a unit's weights get a zero gradient, so gradient descent cannot bring it back: with ReLU this is the 'dying ReLU' problem.",
    causes: [
      'A large learning rate or a large gradient step that pushed the bias and weights so that z < 0 for every input.',
      'A negative bias initialization, or weights initialized too small relative to a negative bias.',
      'Very deep ReLU nets with a poor initialization, where whole layers collapse to zero.',
    ],
    fixes: [
      { text: 'Use an activation with a non-zero slope for z < 0.', try: ['leaky-relu', 'elu', 'gelu'] },
      { text: 'Use He initialization and zero or slightly positive biases.', try: ['he', 'constant'] },
      { text: 'Lower the learning rate, or clip gradients so one bad step cannot kill units.', try: ['global-norm'] },
    ],
  },
  NAN_DETECTED: {
    title: 'Non-finite value',
    emittedBy: ['nan-watch'],
    meaning:
      'A NaN or ±Infinity appeared. The finding names where it was first computed (step, phase, tensor, layer), not where it spread: once one value is NaN, every value computed from it is NaN too, and training cannot recover.',
    causes: [
      'Exploding activations or gradients that overflowed float64 (about 1.8e308), often after a too-high learning rate.',
      'Inf − Inf or 0 × Inf inside a formula: an activation or loss that is not written for extreme inputs.',
      'A non-finite value in the input data or the initialization.',
    ],
    fixes: [
      { text: 'Lower the learning rate and clip the gradients by global norm.', try: ['global-norm'] },
      { text: 'Use the critical initialization for the activation.', try: ['he', 'glorot'] },
      {
        text: "Keep train.checks: 'strict' (the default), which turns a NaN created inside a plugin into a named PluginError, and run the plugin's conformance suite from @gradlab/testkit.",
      },
    ],
  },
  UPDATE_RATIO: {
    title: 'Update/weight ratio out of range',
    emittedBy: ['update-ratio'],
    meaning:
      "The size of each weight update relative to the weights, ‖ΔW‖/‖W‖, stayed far from the rule of thumb of about 1e-3 (by default above 1e-1 or below 1e-6 for 20 steps). Much larger, and each step rewrites the layer; much smaller, and the layer effectively doesn't learn.",
    causes: [
      'A learning rate that is too high or too low for this network and optimizer.',
      'Exploding gradients with plain SGD, whose steps are proportional to the gradient (too high).',
      'Vanishing gradients in early layers with SGD (too low in those layers only).',
    ],
    fixes: [
      { text: 'Tune the learning rate: move it in factors of 3–10 until the ratio is near 1e-3.' },
      {
        text: 'Adam-type optimizers make the first steps about lr per parameter whatever the gradient scale (optimizer adam or adamw).',
      },
      { text: 'Clip gradients by global norm against occasional huge steps.', try: ['global-norm'] },
    ],
  },
};
