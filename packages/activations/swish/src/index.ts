import { defineActivation, math } from '@gradlab/plugin-api';

const options = {
  beta: { type: 'number', default: 1, min: 0, step: 0.1, description: 'Slope inside the sigmoid; beta = 1 is SiLU.' },
} as const;

export default defineActivation({
  meta: {
    id: 'swish',
    title: 'Swish',
    summary: 'The input times its own sigmoid gate, a smooth non-monotonic rectifier also known as SiLU.',
    aliases: ['silu'],
    formula: {
      forward: 'f(x)=x\\,\\sigma(\\beta x)',
      derivative: "f'(x)=\\sigma(\\beta x)\\left(1+\\beta x\\,\\sigma(-\\beta x)\\right)",
    },
    // For the default β = 1; in general the minimum is −0.27846/β at x ≈ −1.27846/β.
    range: [-0.2784645428, Number.POSITIVE_INFINITY],
    properties: {
      monotonic: false,
      passesThroughOrigin: true,
      zeroCentered: false,
      smooth: true,
      saturates: 'negative',
    },
    recommendedInitializer: 'he',
    references: [
      {
        title: 'Ramachandran, Zoph, Le (2017). Searching for Activation Functions',
        url: 'https://arxiv.org/abs/1710.05941',
        year: 2017,
      },
      {
        title:
          'Elfwing, Uchibe, Doya (2017). Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning',
        url: 'https://arxiv.org/abs/1702.03118',
        year: 2017,
      },
    ],
    tags: ['smooth-rectifier', 'gated'],
  },
  options,
  create: ({ beta }) => {
    /** [σ(z), σ(−z)] from one e^{−|z|}, each accurate in its own tail. */
    const gates = (z: number): [number, number] => {
      const e = math.exp(-Math.abs(z));
      const big = 1 / (1 + e);
      const small = e / (1 + e);
      return z >= 0 ? [big, small] : [small, big];
    };
    return {
      forward: (x) => x * gates(beta * x)[0],
      derivative: (x) => {
        const [s, sNeg] = gates(beta * x);
        return s * (1 + beta * x * sNeg);
      },
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    swish: typeof options;
  }
}
