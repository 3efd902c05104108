import type { Activation, InitShape, LoosePluginRef, ParamRole, ParamSlot } from '@gradlab/plugin-api';
import { workBuffer } from './buffers.ts';
import type { DataShape } from './datasets.ts';
import { callHook, gradlabError } from './errors/index.ts';
import { kernelStatus } from './kernels.ts';
import { BatchNormLayer } from './layers/batchnorm.ts';
import { DenseLayer } from './layers/dense.ts';
import type { EngineClock, Layer } from './layers/layer.ts';
import { RnnLayer } from './layers/rnn.ts';
import type { Registry } from './registry.ts';
import type { SeededRng } from './rng.ts';
import { checkForwardInput } from './spec/inputs.ts';
import type { ModelSpec } from './spec/types.ts';
import { firstNonFinite } from './weights.ts';

/** A stack of layers with one flat list of parameters and gradients. */
export interface Model {
  readonly layers: readonly Layer[];
  readonly params: readonly ParamSlot[];
  readonly grads: readonly Float64Array[];
  readonly inputSize: number;
  readonly outputSize: number;
  forward(x: Float64Array, rows: number, training: boolean): Float64Array;
  /**
   * Backpropagate ∂L/∂output; parameter gradients accumulate, so call `zeroGrads` first. With
   * `input`, also returns ∂L/∂input (rows × inputSize, a buffer reused by the next call).
   */
  backward(dOut: Float64Array, rows: number, input?: boolean): Float64Array | undefined;
  zeroGrads(): void;
}

export interface BuildContext {
  readonly registry: Registry;
  readonly rng: SeededRng;
  readonly shape: DataShape;
  readonly clock: EngineClock;
}

/** Build a model from a validated spec; each tensor draws from its own fork `init/<name>`. */
export function buildModel(spec: ModelSpec, ctx: BuildContext): Model {
  const { registry, clock } = ctx;
  kernelStatus(); // settles `auto` once, before the first step (compiling the 10 KB module takes about a millisecond)
  const defaults = spec.defaults ?? {};
  const layers: Layer[] = [];
  let width = ctx.shape.features * ctx.shape.steps;

  const init = (
    ref: LoosePluginRef,
    path: string,
    name: string,
    shape: Omit<InitShape, 'activation'>,
    act: Activation,
  ) => {
    const initializer = registry.resolve('initializer', ref, path);
    const values = callHook(`initializer:${initializer.id}`, 'init', `${name}, at initialization`, () =>
      initializer.init({ ...shape, activation: act.id, activationGain: act.gain, rng: ctx.rng.fork(`init/${name}`) }),
    );
    const expected = shape.shape[0] * shape.shape[1];
    const bad = !(values instanceof Float64Array) || values.length !== expected ? 'length' : firstNonFinite(values);
    if (bad === 'length' || (clock.strict && bad !== -1)) {
      const problem =
        bad === 'length'
          ? `returned ${values?.length} values for ${name}; expected a Float64Array of ${expected}.`
          : `returned ${values[bad as number]} at index ${bad} of ${name}.`;
      throw gradlabError('PluginError', [`initializer:${initializer.id}`, 'init', problem], {
        plugin: `initializer:${initializer.id}`,
        hook: 'init',
        path,
      });
    }
    // Into an engine buffer: in a wasm region, the products on the weights skip the copies (0059).
    const weights = workBuffer(values.length);
    weights.set(values);
    return weights;
  };
  const tensor = (rows: number, cols: number, role: ParamRole, fanIn = rows, fanOut = cols) => ({
    shape: [rows, cols] as const,
    fanIn,
    fanOut,
    role,
  });

  spec.layers.forEach((layer, i) => {
    const path = `model.layers[${i}]`;
    const activation = registry.resolve(
      'activation',
      layer.activation ?? defaults.activation ?? (layer.type === 'rnn' ? 'tanh' : 'linear'),
      `${path}.activation`,
    );
    if (layer.type === 'batchnorm') {
      const gamma = new Float64Array(width).fill(1);
      layers.push(
        new BatchNormLayer(
          i,
          width,
          activation,
          layer.momentum ?? 0.1,
          layer.epsilon ?? 1e-5,
          gamma,
          new Float64Array(width),
          clock,
        ),
      );
      return;
    }
    const weights = (layer.initializer ?? defaults.initializer)!;
    const biases = layer.biasInitializer ?? defaults.biasInitializer ?? 'zeros';
    const units = layer.units;
    if (layer.type === 'dense') {
      const W = init(weights, `${path}.initializer`, `dense_${i}.W`, tensor(width, units, 'weight'), activation);
      const b = init(
        biases,
        `${path}.biasInitializer`,
        `dense_${i}.b`,
        tensor(1, units, 'bias', width, units),
        activation,
      );
      layers.push(new DenseLayer(i, width, units, activation, layer.residual ?? false, W, b, clock));
    } else {
      const { features, steps } = ctx.shape;
      const Wx = init(weights, `${path}.initializer`, `rnn_${i}.Wx`, tensor(features, units, 'weight'), activation);
      const recurrent = layer.recurrentInitializer ?? weights;
      const Wh = init(
        recurrent,
        `${path}.recurrentInitializer`,
        `rnn_${i}.Wh`,
        tensor(units, units, 'recurrent'),
        activation,
      );
      const b = init(
        biases,
        `${path}.biasInitializer`,
        `rnn_${i}.b`,
        tensor(1, units, 'bias', features, units),
        activation,
      );
      layers.push(new RnnLayer(i, features, steps, units, activation, layer.truncate ?? steps, Wx, Wh, b, clock));
    }
    width = units;
  });

  const params = layers.flatMap((l) => l.params);
  const grads = layers.flatMap((l) => l.grads);
  // True from zeroGrads until the next backward: the layers may then start their gradients from +0.
  let gradsZero = false;
  return {
    layers,
    params,
    grads,
    inputSize: ctx.shape.features * ctx.shape.steps,
    outputSize: width,
    forward(x, rows, training) {
      checkForwardInput(x, rows, ctx.shape.features * ctx.shape.steps);
      let h = x;
      for (const layer of layers) h = layer.forward(h, rows, training);
      return h;
    },
    backward(dOut, rows, input = false) {
      let g: Float64Array | undefined = dOut;
      const zero = gradsZero;
      gradsZero = false;
      for (let i = layers.length - 1; i >= 0 && g; i--) g = layers[i].backward(g, rows, i > 0 || input, zero);
      return input ? g : undefined;
    },
    zeroGrads() {
      for (const g of grads) g.fill(0);
      gradsZero = true;
    },
  };
}
