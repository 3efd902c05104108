import { defineActivation, math } from '@gradlab/plugin-api';

const options = {} as const;

/**
 * With n = e^x(e^x + 2): tanh(softplus(x)) = n / (n + 2) and sech²(softplus(x)) = 4(n + 1) / (n + 2)²,
 * which avoid both log1p∘exp and the cancellation in 1 − tanh². Past x = 40, tanh(softplus(x))
 * rounds to 1 and f'(x) to 1, and e^{2x} would eventually overflow, so f is taken as x there.
 */
const LINEAR_FROM = 40;

function parts(x: number): { t: number; sech2: number; sigma: number } {
  const e = math.exp(x);
  const n = e * (e + 2);
  return { t: n / (n + 2), sech2: (4 * (n + 1)) / ((n + 2) * (n + 2)), sigma: e / (1 + e) };
}

export default defineActivation({
  meta: {
    id: 'mish',
    title: 'Mish',
    summary: 'The input times tanh of its softplus, a smooth non-monotonic rectifier with a bounded negative dip.',
    formula: {
      forward: 'f(x)=x\\tanh\\left(\\operatorname{softplus}(x)\\right)',
      derivative: "f'(x)=\\tanh(\\operatorname{sp}(x))+x\\,\\operatorname{sech}^2(\\operatorname{sp}(x))\\,\\sigma(x)",
    },
    // The minimum −0.30884 is reached near x ≈ −1.1924.
    range: [-0.3088434131, Number.POSITIVE_INFINITY],
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
        title: 'Misra (2019). Mish: A Self Regularized Non-Monotonic Activation Function',
        url: 'https://arxiv.org/abs/1908.08681',
        year: 2019,
      },
    ],
    tags: ['smooth-rectifier', 'gated'],
  },
  options,
  create: () => ({
    forward: (x) => (x > LINEAR_FROM ? x : x * parts(x).t),
    derivative: (x) => {
      if (x > LINEAR_FROM) return 1;
      const { t, sech2, sigma } = parts(x);
      return t + x * sech2 * sigma;
    },
  }),
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    mish: typeof options;
  }
}
