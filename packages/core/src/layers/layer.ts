import type { Activation, LayerTrace, ParamSlot } from '@gradlab/plugin-api';
import { gradlabError, hookThrew } from '../errors/index.ts';

/** The per-layer view a trace exposes, minus what the trainer adds (updates). */
export type LayerView = Omit<LayerTrace, 'updateW' | 'previousW'>;

/**
 * One layer of a network. `forward` returns a buffer owned by the layer (valid until the
 * next forward with the same row count); `backward` receives ∂L/∂output, accumulates (+=)
 * parameter gradients into `grads`, and returns ∂L/∂input when asked.
 */
export interface Layer {
  readonly type: LayerTrace['type'];
  readonly index: number;
  readonly inputSize: number;
  readonly units: number;
  readonly activation: Activation;
  /** Trainable tensors and their gradients, in the same order. */
  readonly params: readonly ParamSlot[];
  readonly grads: readonly Float64Array[];
  /** Non-trainable tensors saved with the model (batch-norm running statistics). */
  readonly buffers: Readonly<Record<string, Float64Array>>;
  forward(x: Float64Array, rows: number, training: boolean): Float64Array;
  /** `gradsZero`: every entry of `grads` is +0 (zeroGrads ran since the last backward), so a layer may start from +0 without reading them. */
  backward(dOut: Float64Array, rows: number, needInputGrad: boolean, gradsZero?: boolean): Float64Array | undefined;
  /** Live views of the last forward/backward pass with `rows` rows; the same object for the same `rows`. */
  view(rows: number): LayerView;
}

/** Where the engine is, for error messages raised inside plugin hooks. */
export interface EngineClock {
  step: number;
  strict: boolean;
}

/** Buffers allocated once per row count and reused: the hot loops allocate nothing. */
export class PerRows<T> {
  private readonly cache = new Map<number, T>();
  private readonly make: (rows: number) => T;

  constructor(make: (rows: number) => T) {
    this.make = make;
  }
  get(rows: number): T {
    let b = this.cache.get(rows);
    if (!b) {
      b = this.make(rows);
      this.cache.set(rows, b);
    }
    return b;
  }
}

/** a = f(z), through the vectorised path when the plugin has one. */
export function activate(f: Activation, z: Float64Array, a: Float64Array, clock: EngineClock, layer: number): void {
  try {
    if (f.forwardInto) f.forwardInto(z, a);
    else for (let i = 0; i < z.length; i++) a[i] = f.forward(z[i]);
  } catch (error) {
    throw hookThrew(`activation:${f.id}`, 'forward', error, `layer ${layer}, step ${clock.step}`);
  }
  if (clock.strict) assertNoNewNaN(f, 'forward', z, a, clock, layer);
}

/** out = f'(z) given a = f(z). */
export function differentiate(
  f: Activation,
  z: Float64Array,
  a: Float64Array,
  out: Float64Array,
  clock: EngineClock,
  layer: number,
): void {
  try {
    if (f.derivativeInto) f.derivativeInto(z, a, out);
    else for (let i = 0; i < z.length; i++) out[i] = f.derivative(z[i], a[i]);
  } catch (error) {
    throw hookThrew(`activation:${f.id}`, 'derivative', error, `layer ${layer}, step ${clock.step}`);
  }
  if (clock.strict) assertNoNewNaN(f, 'derivative', z, out, clock, layer);
}

/**
 * A plugin may pass NaN through, but must not create one from a number: that is a silent bug
 * (Inf − Inf inside a formula) that would surface far away. Overflow to ±Inf is not a plugin
 * error (exploding nets overflow honestly), so only NaN is checked.
 */
function assertNoNewNaN(
  f: Activation,
  hook: string,
  input: Float64Array,
  output: Float64Array,
  clock: EngineClock,
  layer: number,
): void {
  for (let i = 0; i < output.length; i++) {
    if (Number.isNaN(output[i]) && !Number.isNaN(input[i])) {
      throw gradlabError(
        'PluginError',
        [`activation:${f.id}`, hook, `returned NaN for x = ${input[i]} (layer ${layer}, step ${clock.step}).`],
        { plugin: `activation:${f.id}`, hook },
      );
    }
  }
}
