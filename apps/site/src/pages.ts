/**
 * The reading order of the explainer: the navigation, the page index and previous/next links all come
 * from this list. Part 2 appends its pages here (and nothing else needs to change).
 */
export interface PageEntry {
  readonly path: string;
  readonly title: string;
  /** One line for the index. */
  readonly blurb: string;
}

export const PAGES: readonly PageEntry[] = [
  {
    path: '/0-backprop-is-a-product/',
    title: '0. Backprop is a product',
    blurb: 'One unit per layer, then a real 20 × 64 network: gradients are products of local factors.',
  },
  {
    path: '/1-saturation/',
    title: '1. Sigmoid and tanh saturation',
    blurb: "σ′ ≤ 1/4 and tanh′ ≤ 1: where a layer's pre-activations sit on the derivative curve.",
  },
  {
    path: '/2-vanishing/',
    title: '2. Vanishing gradients',
    blurb: 'Per-layer ‖δ‖ in deep sigmoid and tanh nets, with the mean-field prediction.',
  },
  {
    path: '/3-why-relu-helps/',
    title: '3. Why ReLU mitigates vanishing',
    blurb: "f′ = 1 on active units, but half are inactive: He's factor 2, and which norm you look at.",
  },
  {
    path: '/4-relu-can-explode/',
    title: '4. …but ReLU can still explode',
    blurb: 'A gain above He grows the gradient like gᵏ; a learning rate pushed into divergence.',
  },
  {
    path: '/5-dead-relu/',
    title: '5. Dead ReLU and leaky ReLU',
    blurb: 'Kill units with a too-high learning rate or a negative bias, watch them die, revive them with leaky ReLU.',
  },
  {
    path: '/6-initialization/',
    title: '6. Initialization lab',
    blurb:
      'Zero, small normal, LeCun, Glorot, He (fan-in/fan-out), orthogonal, gain: forward std and backward ‖δ‖ per layer.',
  },
  {
    path: '/7-learning-rate-and-optimizers/',
    title: '7. Learning rate and optimizers',
    blurb:
      'The ~1e-3 update/weight ratio per layer; SGD, momentum, Adam; why Adam does not revive saturated or dead units.',
  },
  {
    path: '/8-gradient-clipping/',
    title: '8. Gradient clipping',
    blurb: 'By value, by norm, by global norm, adaptive: the direction each keeps, and a diverging run each tames.',
  },
  {
    path: '/9-l1-l2/',
    title: '9. L1 and L2 regularization',
    blurb: "Weight decay's (1 − ηλ)ᵗ, L1's exact zeros, and a penalty strong enough to starve the data gradient.",
  },
  {
    path: '/10-normalization-and-residuals/',
    title: '10. Batch norm and residual connections',
    blurb: 'A 30-layer net trained by each; scale invariance, train vs eval statistics, and the identity path for δ.',
  },
  {
    path: '/11-recurrent-networks/',
    title: '11. Recurrent networks through time',
    blurb:
      'BPTT multiplies by one W_h per step: its spectral radius decides vanishing or exploding; tanh, truncation, clipping.',
  },
  {
    path: '/12-debugging-toolkit/',
    title: '12. Debugging toolkit',
    blurb:
      'Gradient checks on the engine and why they mislead when gradients vanish; the loss at init; reading the probes; gradlab doctor.',
  },
  {
    path: '/13-capstone/',
    title: '13. Capstone: diagnose the run',
    blurb: 'Six seeded broken runs: name the pathology, fix it with the controls, and the engine re-runs your fix.',
  },
  { path: '/myths/', title: 'Myths, measured', blurb: 'Eight claims from popular answers, each put to the engine.' },
];

/** Pages outside the reading order (linked from the header). */
export const EXTRA: readonly PageEntry[] = [
  {
    path: '/lab/',
    title: 'Lab',
    blurb: 'Every control on one page, for a probe and a training run; the whole state is in the URL.',
  },
  {
    path: '/playground/',
    title: 'Playground',
    blurb: 'A classifier on 2-D data trained live: the decision boundary and, beside it, every layer’s gradients.',
  },
  { path: '/reference/', title: 'Reference', blurb: 'Every plugin, error and finding code.' },
  { path: '/about/', title: 'About', blurb: 'What the engine is, and how to reproduce any number.' },
  {
    path: '/progress/',
    title: 'Your progress',
    blurb: 'Quiz scores on every page, kept in this browser; export and import.',
  },
];

export function neighbours(path: string): { prev?: PageEntry; next?: PageEntry } {
  const norm = path.endsWith('/') ? path : `${path}/`;
  const i = PAGES.findIndex((p) => p.path === norm);
  if (i < 0) return {};
  return { prev: PAGES[i - 1], next: PAGES[i + 1] };
}
