import type { FindingCode } from '@gradlab/plugin-api';
import type { SetupChange } from './fixes.ts';

/**
 * One fix for a finding; `try` lists plugin ids (any kind) the fix uses. `changes` are the
 * concrete settings `doctor` tries (each alone, with the same seed); every fix is shown to help
 * in at least one labelled scenario of the probes' scenario suite (test/scenarios).
 */
export interface FindingFix {
  readonly text: string;
  readonly try?: readonly string[];
  readonly changes?: readonly SetupChange[];
  /**
   * For a two-sided finding (UPDATE_RATIO: too large or too small): the fix applies only when the
   * finding's `evidence.ratio` is above, or below, its `evidence.threshold`. A lower learning rate
   * cannot help steps that are already too small.
   */
  readonly side?: 'above' | 'below';
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
        changes: [{ initializer: 'he' }, { initializer: 'glorot' }],
      },
      {
        text: 'Use a non-saturating activation with its critical initialization: ReLU with He passes δ at a factor of about 1 per layer.',
        try: ['relu', 'he'],
        changes: [{ activation: 'relu', initializer: 'he' }],
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
      {
        text: 'Use the critical initialization for the activation, without extra gain (He for ReLU, Glorot for tanh).',
        try: ['he', 'glorot'],
        changes: [{ gain: 1 }],
      },
      {
        text: 'Lower the learning rate, when the gradients grew while training.',
        changes: [{ lrFactor: 0.1 }],
      },
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
        text: 'Initialize without extra gain (Glorot or LeCun scaling) so that z stays near 0, where f′ is largest.',
        try: ['glorot', 'lecun'],
        changes: [{ gain: 1 }, { initializer: 'glorot' }],
      },
      {
        text: 'Switch to a non-saturating activation with its critical initialization (ReLU with He).',
        try: ['relu', 'he'],
        changes: [{ activation: 'relu', initializer: 'he' }],
      },
    ],
  },
  DEAD_UNITS: {
    title: 'Dead units',
    emittedBy: ['dead-units'],
    meaning:
      "More than a quarter of a layer's units had f′(z) = 0 on every example of the batch, step after step. Such a unit's weights get a zero gradient, so gradient descent cannot bring it back: with ReLU this is the 'dying ReLU' problem (severity warn). Measured on one batch at initialization only, the finding is info: deep ReLU layers often start with many units inactive on a whole batch (their inputs become correlated with depth), and that is dying only if it lasts while training.",
    causes: [
      'A large learning rate or a large gradient step that pushed the bias and weights so that z < 0 for every input.',
      'A negative bias initialization, or weights initialized too small relative to a negative bias.',
      'Very deep ReLU nets with a poor initialization, where whole layers collapse to zero.',
    ],
    fixes: [
      {
        text: 'Use an activation with a non-zero slope for z < 0: leaky ReLU units keep a gradient when z < 0.',
        try: ['leaky-relu'],
        changes: [{ activation: 'leaky-relu' }],
      },
      { text: 'Start the biases at zero or slightly positive (0.01), never negative.', changes: [{ bias: 0.01 }] },
      {
        text: 'Lower the learning rate, so one large step cannot push every z of a unit below 0.',
        changes: [{ lrFactor: 0.1 }],
      },
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
      "A plugin bug: keep train.checks: 'strict' (the default), which turns a NaN created inside a plugin into a named PluginError, and run the plugin's conformance suite from @gradlab/testkit.",
    ],
    fixes: [
      {
        text: 'Lower the learning rate by 10× at a time.',
        changes: [{ lrFactor: 0.1 }, { lrFactor: 0.01 }, { lrFactor: 0.001 }],
      },
      {
        text: 'Clip the gradients by their global norm.',
        try: ['global-norm'],
        changes: [{ clipping: 'global-norm' }],
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
      {
        text: 'Steps too large: lower the learning rate in factors of 3–10 until the ratio is near 1e-3.',
        side: 'above',
        changes: [{ lrFactor: 0.1 }],
      },
      {
        text: 'Steps too small: raise the learning rate in factors of 3–10 until the ratio is near 1e-3. If only the first layers are low, their gradients vanish: fix that first (VANISHING_GRADIENTS).',
        side: 'below',
        changes: [{ lrFactor: 100 }],
      },
    ],
  },
  VANISHING_THROUGH_TIME: {
    title: 'Vanishing gradients through time',
    emittedBy: ['grad-norms'],
    meaning:
      "In a recurrent layer, ‖∂L/∂h_t‖ at the first back-propagated time step is much smaller than at the last one (by default more than 1000×). Each step back multiplies the error by W_hᵀ and f′(z_t), so a recurrence whose factor is below 1 forgets: early inputs get almost no credit. This is where the term 'vanishing gradient' comes from (Hochreiter 1991; Bengio, Simard, Frasconi 1994).",
    causes: [
      'A sigmoid recurrence: f′ ≤ 0.25 loses at least 4× per step.',
      'Recurrent weights with spectral radius below 1, or saturated tanh units.',
      'Long sequences: a per-step factor of 0.9 is 1e-3 after 66 steps.',
    ],
    fixes: [
      {
        text: 'Use tanh with an orthogonal recurrent initializer (ρ(W_h) = 1, f′(0) = 1).',
        try: ['tanh', 'orthogonal'],
        changes: [{ activation: 'tanh', recurrentInitializer: 'orthogonal' }],
      },
    ],
  },
  EXPLODING_THROUGH_TIME: {
    title: 'Exploding gradients through time',
    emittedBy: ['grad-norms'],
    meaning:
      'In a recurrent layer, ‖∂L/∂h_t‖ at the first back-propagated time step is much larger than at the last one (by default more than 10×): the recurrence amplifies the error going back, like ρ(W_h)^T when the units are not saturated.',
    causes: [
      'Recurrent weights with spectral radius above 1 and inputs too weak to saturate the units.',
      'Linear or ReLU recurrences, which never saturate.',
    ],
    fixes: [
      {
        text: 'Use an orthogonal recurrent initializer (ρ(W_h) = 1 at the start).',
        try: ['orthogonal'],
        changes: [{ recurrentInitializer: 'orthogonal' }],
      },
    ],
  },
  NORMALIZATION_JUMP: {
    title: 'Batch-norm jump in ‖δ‖ (not exploding)',
    emittedBy: ['grad-norms'],
    meaning:
      "‖δ‖ changes by a large factor between the first and last hidden layer, but nearly all of it happens where δ enters a batch-norm layer, which multiplies it by γ/σ of the batch (σ is the spread of that layer's input). Across the other layers δ stays level, so this is not exploding or vanishing: batch norm is doing its job of undoing the scale of the layer below. Severity info.",
    causes: [
      'A dense layer whose outputs have a small spread (weights initialized small), followed by batch norm: γ/σ is large.',
      'A dense layer whose outputs have a large spread, followed by batch norm: γ/σ is small.',
    ],
    fixes: [
      { text: 'Nothing to fix; the learning signal is fine. Read the per-layer factors beside the batch-norm layers.' },
    ],
  },
  LOSS_DIVERGING: {
    title: 'Loss diverging',
    emittedBy: ['loss-trend'],
    meaning:
      'The loss rose above 10× its value at the first step and is still rising: each step overshoots the minimum by more than it started from, so the iterates fly away (for a quadratic bowl, plain SGD diverges once lr exceeds 2/λ_max of the Hessian). The run usually ends in a NaN a few steps later.',
    causes: ['A learning rate far too high for the curvature of the loss.', 'Exploding gradients with plain SGD.'],
    fixes: [
      {
        text: 'Lower the learning rate by 10× at a time until the loss falls.',
        changes: [{ lrFactor: 0.1 }, { lrFactor: 0.01 }, { lrFactor: 0.001 }],
      },
      {
        text: 'Clip the gradients by their global norm, which bounds each step.',
        try: ['global-norm'],
        changes: [{ clipping: 'global-norm' }],
      },
    ],
  },
  SYMMETRY: {
    title: 'Symmetric units (zero or constant initialization)',
    emittedBy: ['symmetry'],
    meaning:
      'Every unit of a hidden layer has the same incoming weights and bias. Such units compute the same value, receive the same gradient and stay copies forever, so the layer learns like one unit. With all-zero weights every hidden δ is exactly 0 as well (severity error): no hidden weight ever changes. Random initialization exists to break this symmetry.',
    causes: [
      "The 'zeros' or 'constant' initializer on weights (it is meant for biases).",
      'Weights copied from one unit to the others by hand, or loaded from a model saved that way.',
    ],
    fixes: [
      {
        text: 'Initialize the weights randomly at the critical scale: He for the ReLU family, Glorot for tanh.',
        try: ['he', 'glorot'],
        changes: [{ initializer: 'he' }, { initializer: 'glorot' }],
      },
    ],
  },
};
