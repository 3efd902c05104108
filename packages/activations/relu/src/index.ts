import { defineActivation } from '@gradlab/plugin-api';

const options = {} as const;

// NaN fails both tests and passes through; the common `x > 0 ? x : 0` would silently turn NaN
// into 0. −0 gives +0. Same values as Math.max(x, 0), which V8 13.6 runs about 3× slower here.
// biome-ignore lint/complexity/useMathMinMax: Math.max is the slow form this replaces (see above)
const relu = (x: number): number => (x > 0 ? x : x <= 0 ? 0 : x);
/** f'(0) = 0 by convention (the subgradient PyTorch and TensorFlow use); NaN fails both tests. */
const step = (x: number): number => (x > 0 ? 1 : x <= 0 ? 0 : Number.NaN);

export default defineActivation({
  meta: {
    id: 'relu',
    title: 'ReLU',
    summary: 'The rectified linear unit, which passes positive inputs unchanged and zeroes negative ones.',
    formula: {
      forward: 'f(x)=\\max(0,\\,x)',
      derivative: "f'(x)=\\begin{cases}1&x>0\\\\0&x\\le 0\\end{cases}",
    },
    range: [0, Number.POSITIVE_INFINITY],
    properties: {
      monotonic: true,
      passesThroughOrigin: true,
      zeroCentered: false,
      smooth: false,
      saturates: 'negative',
    },
    kinks: [0],
    recommendedInitializer: 'he',
    references: [
      {
        title: 'Nair, Hinton (2010). Rectified Linear Units Improve Restricted Boltzmann Machines',
        url: 'https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf',
        year: 2010,
      },
      {
        title: 'Glorot, Bordes, Bengio (2011). Deep Sparse Rectifier Neural Networks',
        url: 'https://proceedings.mlr.press/v15/glorot11a.html',
        year: 2011,
      },
      {
        title: 'He, Zhang, Ren, Sun (2015). Delving Deep into Rectifiers',
        url: 'https://arxiv.org/abs/1502.01852',
        year: 2015,
      },
    ],
    tags: ['rectifier'],
  },
  options,
  create: () => ({
    forward: relu,
    derivative: step,
    forwardInto(x, out) {
      for (let i = 0; i < x.length; i++) out[i] = relu(x[i]);
    },
    derivativeInto(x, _y, out) {
      for (let i = 0; i < x.length; i++) out[i] = step(x[i]);
    },
    gain: Math.SQRT2,
  }),
});

declare module '@gradlab/plugin-api' {
  interface ActivationRegistry {
    relu: typeof options;
  }
}
