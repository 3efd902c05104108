import type { OptionsOf, OptionsSchema, ParamSlot } from '@gradlab/plugin-api';
import { workBuffer } from './buffers.ts';

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

const zerosLike = (params: readonly ParamSlot[]) => params.map((p) => workBuffer(p.value.length));

const weightDecay = (description: string) => ({ type: 'number', default: 0, min: 0, max: 10, description }) as const;
/** Weight decay touches weights and recurrent weights only (as `adamw`), never biases or batch-norm γ/β. */
const decayed = (slot: ParamSlot) => slot.role === 'weight' || slot.role === 'recurrent';

/**
 * w ← w − η·(g + λ·w): PyTorch `SGD(weight_decay=λ)`, coupled decay (the L2 gradient λ·w is added
 * to g). With λ = 0 (the default) the update is exactly w[i] −= η·g[i], the plain fast path.
 */
export const sgd = define({
  id: 'sgd',
  title: 'Stochastic gradient descent',
  formula: 'w \\leftarrow w - \\eta (g + \\lambda w)',
  options: { lr: lr(0.01), weightDecay: weightDecay('Coupled weight decay λ: λ·w is added to g (weights only).') },
  create: ({ lr, weightDecay: wd }) => ({
    id: 'sgd',
    step(params, grads) {
      for (let p = 0; p < params.length; p++) {
        const w = params[p].value;
        const g = grads[p];
        const lambda = decayed(params[p]) ? wd : 0;
        if (lambda === 0) for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
        else for (let i = 0; i < w.length; i++) w[i] -= lr * (g[i] + lambda * w[i]);
      }
    },
  }),
});

/**
 * Heavy-ball momentum exactly as PyTorch's `SGD(momentum=μ, dampening=d, weight_decay=λ, nesterov)`:
 * g' = g + λ·w;  v ← g' on the first step, else v ← μ·v + (1 − d)·g';
 * w ← w − η·v, or with Nesterov w ← w − η·(g' + μ·v) with the updated v (Nesterov needs d = 0).
 */
export const momentum = define({
  id: 'momentum',
  title: 'SGD with momentum',
  formula:
    'v \\leftarrow \\mu v + (1-d)(g + \\lambda w),\\quad w \\leftarrow w - \\eta v \\;\\;(\\text{Nesterov: } w \\leftarrow w - \\eta (g + \\lambda w + \\mu v))',
  options: {
    lr: lr(0.01),
    momentum: { type: 'number', default: 0.9, min: 0, max: 0.9999, description: 'Momentum μ.' },
    nesterov: { type: 'boolean', default: false, description: 'Use Nesterov momentum (needs dampening 0).' },
    dampening: {
      type: 'number',
      default: 0,
      min: 0,
      max: 1,
      description: 'Dampening d: v ← μ·v + (1 − d)·g after the first step (PyTorch).',
    },
    weightDecay: weightDecay('Coupled weight decay λ: λ·w is added to g before the velocity (weights only).'),
  },
  create: ({ lr, momentum: mu, nesterov, dampening, weightDecay: wd }, params) => {
    const velocity = zerosLike(params);
    let first = true;
    return {
      id: 'momentum',
      step(ps, grads) {
        // PyTorch starts the buffer at the (undampened) gradient: v₁ = g₁.
        const keep = first ? 0 : mu;
        const take = first ? 1 : 1 - dampening;
        first = false;
        for (let p = 0; p < ps.length; p++) {
          const w = ps[p].value;
          const g = grads[p];
          const v = velocity[p];
          const lambda = decayed(ps[p]) ? wd : 0;
          for (let i = 0; i < w.length; i++) {
            const gi = lambda === 0 ? g[i] : g[i] + lambda * w[i];
            v[i] = keep * v[i] + take * gi;
            w[i] -= lr * (nesterov ? gi + mu * v[i] : v[i]);
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
  epsilon: { type: 'number', default: 1e-8, min: 0, max: 1, description: 'ε added to √v̂ (or to √v with keras).' },
  epsilonStyle: {
    type: 'enum',
    values: ['pytorch', 'keras'],
    default: 'pytorch',
    description:
      "Where ε goes, outside the square root either way: 'pytorch' m̂/(√v̂ + ε); 'keras' (TensorFlow/Keras) η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε), ε before bias correction.",
  },
} as const;

/**
 * Adam (Kingma & Ba 2015) at step t:
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ),
 *   w ← w − η·(m̂/(√v̂ + ε) + λ·w)  (PyTorch), or with epsilonStyle 'keras' (tf.keras / Keras 3)
 *   w ← w − η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε) − η·λ·w, which is PyTorch's with ε·√(1−β₂ᵗ) for ε; where the decoupled decay λ (AdamW, Loshchilov & Hutter 2019)
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
      // Keras folds both corrections into the step size and adds ε to the uncorrected √v.
      const keras = o.epsilonStyle === 'keras';
      const alpha = keras ? (o.lr * Math.sqrt(c2)) / c1 : 0;
      for (let p = 0; p < ps.length; p++) {
        const w = ps[p].value;
        const g = grads[p];
        const mp = m[p];
        const vp = v[p];
        const decay = ps[p].role === 'weight' || ps[p].role === 'recurrent' ? weightDecay : 0;
        for (let i = 0; i < w.length; i++) {
          mp[i] = o.beta1 * mp[i] + (1 - o.beta1) * g[i];
          vp[i] = o.beta2 * vp[i] + (1 - o.beta2) * g[i] * g[i];
          if (keras) w[i] -= alpha * (mp[i] / (Math.sqrt(vp[i]) + o.epsilon)) + o.lr * decay * w[i];
          else w[i] -= o.lr * (mp[i] / c1 / (Math.sqrt(vp[i] / c2) + o.epsilon) + decay * w[i]);
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
