/** Activation facts the probes need (they only see ids and f'(z) values) and the hint texts of findings. */

/**
 * sup |f'| of activations whose id the probes know (with default options). For other ids, or
 * options that raise the maximum (swish β > 1), `saturation` uses the batch's largest |f'|
 * when that is larger.
 */
export const MAX_DERIVATIVE: Readonly<Record<string, number>> = {
  linear: 1,
  sigmoid: 0.25,
  tanh: 1,
  'hard-sigmoid': 1 / 6,
  softsign: 1,
  relu: 1,
  'leaky-relu': 1,
  elu: 1,
  selu: 1.0507009873554805 * 1.6732632423543772,
  softplus: 1,
  gelu: 1.1289041451851547, // Φ(√2) + √2·φ(√2) = (1 + erf 1)/2 + 1/(e√π)
  swish: 1.0998393, // at x ≈ 2.3994
  mish: 1.0884982, // at x ≈ 1.4906
};

/** Activations whose derivative vanishes only for negative inputs (`saturates: 'negative'`). */
export const ONE_SIDED: ReadonlySet<string> = new Set(['relu', 'elu', 'selu', 'softplus', 'gelu', 'swish', 'mish']);

/** Activations that saturate on both sides (`saturates: 'both'`). */
export const SATURATING: ReadonlySet<string> = new Set(['sigmoid', 'tanh', 'hard-sigmoid', 'softsign']);

export const HINTS = {
  vanishingSaturating:
    "Try activation 'relu' with initializer 'he', or initializer 'glorot' if you keep 'tanh'; batchnorm layers or residual: true also stop the shrinking.",
  vanishing:
    "Try initializer 'he' (Var(W) = 2/fan-in is the critical scale for 'relu'), or 'leaky-relu'; batchnorm layers or residual: true also help.",
  exploding:
    "Scale the initialization down (initializer 'he' for 'relu', 'glorot' for 'tanh', without extra gain), lower the learning rate, or add clipping 'global-norm'.",
  /** The exploding hint when the run already clips by global norm. */
  explodingClipped:
    "Scale the initialization down (initializer 'he' for 'relu', 'glorot' for 'tanh', without extra gain) or lower the learning rate; clipping 'global-norm' is already on and bounds the step, not the growth of δ.",
  timeVanishing:
    "Use tanh with an orthogonal or identity-scaled recurrent initializer (recurrentInitializer 'orthogonal'), a shorter sequence or truncate; a sigmoid recurrence loses at least 4× per step.",
  timeExploding:
    "Scale the recurrent weights down (recurrentInitializer 'orthogonal' keeps ρ(W_h) = 1), or add clipping 'global-norm'.",
  diverging:
    "Lower the learning rate (by 10× at a time) until the loss falls; clipping 'global-norm' bounds each step as well.",
  symmetry:
    "Initialize the weights randomly (initializer 'he' for 'relu', 'glorot' for 'tanh'): a zero or constant initializer makes every unit of a layer the same.",
  saturation: (activation: string) =>
    `Keep pre-activations near 0: try initializer 'glorot' (or 'lecun') for '${activation}', a lower learning rate, or a non-saturating activation such as 'relu' or 'leaky-relu'; batchnorm layers also help.`,
  dead: "Try activation 'leaky-relu' (a small slope below 0 keeps units alive), a lower learning rate, or zero or slightly positive biases (biasInitializer ['constant', { value: 0.01 }]).",
  updateHigh:
    "Lower the learning rate, or add clipping 'global-norm'; with 'sgd', large gradients also mean large steps (see probe 'grad-norms').",
  updateLow:
    "Raise the learning rate, or check probe 'grad-norms' for vanishing gradients; 'adam' makes steps independent of the gradient scale.",
  nan: {
    parameters:
      "A parameter was already non-finite before the forward pass: check the initializer (run its conformance suite from @gradlab/testkit) and keep checks: 'strict'.",
    forward:
      "Activations overflowed: use a smaller initialization ('he' for 'relu', 'glorot' for 'tanh'), a lower learning rate, or clipping 'global-norm'. If a is bad while z is finite, the activation plugin itself returned it: run describeActivation from @gradlab/testkit.",
    loss: "The loss overflowed: outputs grew too large (lower the learning rate, add clipping 'global-norm'), or bce received probabilities of exactly 0 or 1.",
    backward:
      "Gradients overflowed on the way back: add clipping 'global-norm', lower the learning rate, or scale the initialization down (see probe 'grad-norms').",
    update:
      "The optimizer step produced it: lower the learning rate, and add clipping 'global-norm' so one large gradient cannot blow up the weights.",
  },
} as const;
