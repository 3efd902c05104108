import type { OptionsOf, OptionsSchema, ParamSlot } from '@gradlab/plugin-api';

/** Updates parameters in place from their (already regularized and clipped) gradients. */
export interface Optimizer {
  readonly id: string;
  step(params: readonly ParamSlot[], grads: readonly Float64Array[]): void;
}

/** An optimizer is declared like a plugin: an id, an option schema, a factory. */
export interface OptimizerDefinition<S extends OptionsSchema = OptionsSchema> {
  readonly id: string;
  readonly title: string;
  readonly formula: string;
  readonly options: S;
  create(options: OptionsOf<S>, params: readonly ParamSlot[]): Optimizer;
}

const lr = (value: number) =>
  ({ type: 'number', default: value, min: 0, max: 100, description: 'Learning rate η.' }) as const;

function define<S extends OptionsSchema>(def: OptimizerDefinition<S>): OptimizerDefinition<S> {
  return def;
}

const zerosLike = (params: readonly ParamSlot[]) => params.map((p) => new Float64Array(p.value.length));

/** w ← w − η·g. */
export const sgd = define({
  id: 'sgd',
  title: 'Stochastic gradient descent',
  formula: 'w \\leftarrow w - \\eta g',
  options: { lr: lr(0.01) },
  create: ({ lr }) => ({
    id: 'sgd',
    step(params, grads) {
      for (let p = 0; p < params.length; p++) {
        const w = params[p].value;
        const g = grads[p];
        for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
      }
    },
  }),
});

/**
 * Heavy-ball momentum in PyTorch's form: v ← μ·v + g, w ← w − η·v.
 * Nesterov: w ← w − η·(g + μ·v) with the updated v.
 */
export const momentum = define({
  id: 'momentum',
  title: 'SGD with momentum',
  formula:
    'v \\leftarrow \\mu v + g,\\quad w \\leftarrow w - \\eta v \\;\\;(\\text{Nesterov: } w \\leftarrow w - \\eta (g + \\mu v))',
  options: {
    lr: lr(0.01),
    momentum: { type: 'number', default: 0.9, min: 0, max: 0.9999, description: 'Momentum μ.' },
    nesterov: { type: 'boolean', default: false, description: 'Use Nesterov momentum.' },
  },
  create: ({ lr, momentum: mu, nesterov }, params) => {
    const velocity = zerosLike(params);
    return {
      id: 'momentum',
      step(ps, grads) {
        for (let p = 0; p < ps.length; p++) {
          const w = ps[p].value;
          const g = grads[p];
          const v = velocity[p];
          for (let i = 0; i < w.length; i++) {
            v[i] = mu * v[i] + g[i];
            w[i] -= lr * (nesterov ? g[i] + mu * v[i] : v[i]);
          }
        }
      },
    };
  },
});

const adamOptions = {
  lr: lr(0.001),
  beta1: { type: 'number', default: 0.9, min: 0, max: 0.9999, description: 'Decay β₁ of the first moment.' },
  beta2: { type: 'number', default: 0.999, min: 0, max: 0.999999, description: 'Decay β₂ of the second moment.' },
  epsilon: { type: 'number', default: 1e-8, min: 0, max: 1, description: 'ε added to √v̂.' },
} as const;

/**
 * Adam (Kingma & Ba 2015) at step t:
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ),
 *   w ← w − η·(m̂/(√v̂ + ε) + λ·w), where the decoupled decay λ (AdamW, Loshchilov & Hutter 2019)
 *   applies to weights and recurrent weights only, never to biases or batch-norm γ/β.
 */
function adamStep(
  o: OptionsOf<typeof adamOptions>,
  weightDecay: number,
  params: readonly ParamSlot[],
  id: string,
): Optimizer {
  const m = zerosLike(params);
  const v = zerosLike(params);
  // β₁ᵗ and β₂ᵗ as running products: multiplication is exact-rounded everywhere, `**` is not required to be.
  let beta1t = 1;
  let beta2t = 1;
  return {
    id,
    step(ps, grads) {
      beta1t *= o.beta1;
      beta2t *= o.beta2;
      const c1 = 1 - beta1t;
      const c2 = 1 - beta2t;
      for (let p = 0; p < ps.length; p++) {
        const w = ps[p].value;
        const g = grads[p];
        const mp = m[p];
        const vp = v[p];
        const decay = ps[p].role === 'weight' || ps[p].role === 'recurrent' ? weightDecay : 0;
        for (let i = 0; i < w.length; i++) {
          mp[i] = o.beta1 * mp[i] + (1 - o.beta1) * g[i];
          vp[i] = o.beta2 * vp[i] + (1 - o.beta2) * g[i] * g[i];
          w[i] -= o.lr * (mp[i] / c1 / (Math.sqrt(vp[i] / c2) + o.epsilon) + decay * w[i]);
        }
      }
    },
  };
}

export const adam = define({
  id: 'adam',
  title: 'Adam',
  formula:
    'm \\leftarrow \\beta_1 m + (1-\\beta_1) g,\\; v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2,\\; w \\leftarrow w - \\eta\\,\\hat m/(\\sqrt{\\hat v}+\\epsilon)',
  options: adamOptions,
  create: (o, params) => adamStep(o, 0, params, 'adam'),
});

export const adamw = define({
  id: 'adamw',
  title: 'AdamW (decoupled weight decay)',
  formula: 'w \\leftarrow w - \\eta\\,(\\hat m/(\\sqrt{\\hat v}+\\epsilon) + \\lambda w)',
  options: {
    ...adamOptions,
    weightDecay: {
      type: 'number',
      default: 0.01,
      min: 0,
      max: 10,
      description: 'Decoupled weight decay λ (weights only).',
    },
  },
  create: (o, params) => adamStep(o, o.weightDecay, params, 'adamw'),
});

export const OPTIMIZERS: Readonly<Record<string, OptimizerDefinition>> = {
  sgd,
  momentum,
  adam,
  adamw,
} as unknown as Record<string, OptimizerDefinition>;
