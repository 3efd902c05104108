/**
 * @gradlab/preset-standard: every standard gradlab plugin in one import (rehype-preset-minify style).
 *
 * ```ts
 * import { createRegistry } from '@gradlab/core';
 * import standard from '@gradlab/preset-standard';
 *
 * const registry = createRegistry().use(standard);
 * ```
 *
 * Importing the preset also brings every plugin's typed id into scope, so a typed experiment
 * spec rejects `activation: 'rleu'` at compile time. `gradlab-scripts new` adds new plugins
 * here (keep one import and one entry per line, sorted by id); `check-plugins` verifies that
 * none is missing.
 *
 * The `reference` lines carry each plugin's `declare module '@gradlab/plugin-api'` augmentation
 * (its typed id and options) into this package's emitted `dist/index.d.ts`: without them the
 * declaration file inlines the definitions' types and never loads the plugin packages, so
 * `defineExperiment({ … activation: 'tanh' … })` fails to compile for users who import only the
 * preset. `preserve="true"` keeps them in the emitted file (TypeScript ≥ 5.5 drops them otherwise).
 */
/// <reference types="@gradlab/activation-elu" preserve="true" />
/// <reference types="@gradlab/activation-gelu" preserve="true" />
/// <reference types="@gradlab/activation-hard-sigmoid" preserve="true" />
/// <reference types="@gradlab/activation-leaky-relu" preserve="true" />
/// <reference types="@gradlab/activation-mish" preserve="true" />
/// <reference types="@gradlab/activation-relu" preserve="true" />
/// <reference types="@gradlab/activation-selu" preserve="true" />
/// <reference types="@gradlab/activation-sigmoid" preserve="true" />
/// <reference types="@gradlab/activation-softplus" preserve="true" />
/// <reference types="@gradlab/activation-softsign" preserve="true" />
/// <reference types="@gradlab/activation-swish" preserve="true" />
/// <reference types="@gradlab/activation-tanh" preserve="true" />
/// <reference types="@gradlab/clipping-adaptive" preserve="true" />
/// <reference types="@gradlab/clipping-global-norm" preserve="true" />
/// <reference types="@gradlab/clipping-norm" preserve="true" />
/// <reference types="@gradlab/clipping-value" preserve="true" />
/// <reference types="@gradlab/initializer-constant" preserve="true" />
/// <reference types="@gradlab/initializer-glorot" preserve="true" />
/// <reference types="@gradlab/initializer-he" preserve="true" />
/// <reference types="@gradlab/initializer-identity" preserve="true" />
/// <reference types="@gradlab/initializer-lecun" preserve="true" />
/// <reference types="@gradlab/initializer-normal" preserve="true" />
/// <reference types="@gradlab/initializer-orthogonal" preserve="true" />
/// <reference types="@gradlab/initializer-uniform" preserve="true" />
/// <reference types="@gradlab/regularizer-elastic-net" preserve="true" />
/// <reference types="@gradlab/regularizer-l1" preserve="true" />
/// <reference types="@gradlab/regularizer-l2" preserve="true" />
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

/** Every plugin above, in the order activations, initializers, clipping, regularizers. */
const standard = [...activations, ...initializers, ...clipping, ...regularizers] as const;

export default standard;
