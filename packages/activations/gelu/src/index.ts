import { defineActivation, math } from '@gradlab/plugin-api';
import { erfc } from './erf.ts';

const options = {
  approximate: {
    type: 'enum',
    default: 'none',
    values: ['none', 'tanh'],
    description: "'none' for the exact x·Φ(x) (erf), 'tanh' for the tanh approximation of Hendrycks & Gimpel.",
  },
} as const;

const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const C = Math.sqrt(2 / Math.PI);
const K = 0.044715;

/** Φ(x) = ½·erfc(−x/√2): erfc keeps Φ's relative accuracy in the left tail, where 1 + erf cancels. */
const cdf = (x: number): number => 0.5 * erfc(-x * INV_SQRT_2);
const pdf = (x: number): number => INV_SQRT_2PI * math.exp(-0.5 * x * x);

export default defineActivation({
  meta: {
    id: 'gelu',
    title: 'GELU',
    summary:
      'The Gaussian error linear unit, which weights each input by the probability that a standard normal lies below it.',
    formula: {
      forward: 'f(x)=x\\,\\Phi(x)=\\tfrac{x}{2}\\left(1+\\operatorname{erf}(x/\\sqrt2)\\right)',
      derivative: "f'(x)=\\Phi(x)+x\\,\\varphi(x)",
    },
    // The minimum is −0.16997 (exact) or −0.17004 (tanh form), near x ≈ −0.75.
    range: [-0.17004076, Number.POSITIVE_INFINITY],
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
        title: 'Hendrycks, Gimpel (2016). Gaussian Error Linear Units (GELUs)',
        url: 'https://arxiv.org/abs/1606.08415',
        year: 2016,
      },
      {
        title: 'Cody (1969). Rational Chebyshev Approximations for the Error Function (SPECFUN erf)',
        url: 'https://www.netlib.org/specfun/erf',
        year: 1969,
      },
    ],
    tags: ['smooth-rectifier', 'transformer'],
  },
  options,
  create: ({ approximate }) => {
    if (approximate === 'tanh') {
      return {
        forward: (x) => 0.5 * x * (1 + math.tanh(C * (x + K * x * x * x))),
        derivative: (x) => {
          const t = math.tanh(C * (x + K * x * x * x));
          return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * K * x * x);
        },
      };
    }
    return { forward: (x) => x * cdf(x), derivative: (x) => cdf(x) + x * pdf(x) };
  },
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    gelu: typeof options;
  }
}
