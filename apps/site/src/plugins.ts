/**
 * The plugins the site shows: every lab widget, build-time figure and reference page reads this one
 * list (the worker builds its single registry from it). `check-plugins` fails when a plugin package is
 * not imported here, and `gradlab-scripts new` inserts new plugins (one import and one entry per line).
 */
import elu from '@gradlab/activation-elu';
import gelu from '@gradlab/activation-gelu';
import hardSigmoid from '@gradlab/activation-hard-sigmoid';
import leakyRelu from '@gradlab/activation-leaky-relu';
import mish from '@gradlab/activation-mish';
import relu from '@gradlab/activation-relu';
import selu from '@gradlab/activation-selu';
import sigmoid from '@gradlab/activation-sigmoid';
import softplus from '@gradlab/activation-softplus';
import softsign from '@gradlab/activation-softsign';
import swish from '@gradlab/activation-swish';
import tanh from '@gradlab/activation-tanh';
import adaptive from '@gradlab/clipping-adaptive';
import globalNorm from '@gradlab/clipping-global-norm';
import norm from '@gradlab/clipping-norm';
import value from '@gradlab/clipping-value';
import constant from '@gradlab/initializer-constant';
import glorot from '@gradlab/initializer-glorot';
import he from '@gradlab/initializer-he';
import identity from '@gradlab/initializer-identity';
import lecun from '@gradlab/initializer-lecun';
import normal from '@gradlab/initializer-normal';
import orthogonal from '@gradlab/initializer-orthogonal';
import uniform from '@gradlab/initializer-uniform';
import elasticNet from '@gradlab/regularizer-elastic-net';
import l1 from '@gradlab/regularizer-l1';
import l2 from '@gradlab/regularizer-l2';

/** Activation functions. */
// biome-ignore format: one plugin per line keeps diffs small; `gradlab-scripts new` inserts here.
export const activations = [
  elu,
  gelu,
  hardSigmoid,
  leakyRelu,
  mish,
  relu,
  selu,
  sigmoid,
  softplus,
  softsign,
  swish,
  tanh,
] as const;

/** Weight initializers. */
// biome-ignore format: one plugin per line keeps diffs small; `gradlab-scripts new` inserts here.
export const initializers = [
  constant,
  glorot,
  he,
  identity,
  lecun,
  normal,
  orthogonal,
  uniform,
] as const;

/** Gradient clipping rules (gradient transforms). */
// biome-ignore format: one plugin per line keeps diffs small; `gradlab-scripts new` inserts here.
export const clipping = [
  adaptive,
  globalNorm,
  norm,
  value,
] as const;

/** Weight regularizers. */
// biome-ignore format: one plugin per line keeps diffs small; `gradlab-scripts new` inserts here.
export const regularizers = [
  elasticNet,
  l1,
  l2,
] as const;

/**
 * Every plugin above, in the order activations, initializers, clipping, regularizers. A function, not a
 * spread constant: the bundler keeps a top-level spread (it may run an iterator), which would pull the
 * regularizers into the worker, whose registry names none of them.
 */
export const allPlugins = () => [...activations, ...initializers, ...clipping, ...regularizers] as const;
