/**
 * The TensorFlow.js side: the same network, loss and optimizer, in float32 (tfjs's dtype),
 * on the pure-JavaScript CPU backend and on the WebAssembly backend (XNNPACK kernels).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { ActivationId, Shape } from './gradlab.ts';

export type TfBackend = 'cpu' | 'wasm';
/**
 * Two honest formulations of a dense layer; the benchmark times both and keeps the faster.
 * - `matmul+add`: act(matMul(h, W) + b), three ops (what tf.layers.dense does).
 * - `fused-bias`: act(fused.matMul(h, W, bias)); tfjs fuses only a linear activation when
 *   gradients are recorded, so the activation stays a separate op.
 */
export type Variant = 'matmul+add' | 'fused-bias';
export const VARIANTS: readonly Variant[] = ['matmul+add', 'fused-bias'];

export interface WasmInfo {
  /** The .wasm binary Emscripten read from disk (observed, not inferred). */
  readonly file: string;
  readonly simd: boolean;
  readonly threads: number;
  readonly dir: string;
}

export const tfVersion = tf.version.tfjs;

/**
 * Register and initialise both backends. The wasm binaries ship in the npm package; Node reads
 * them from node_modules through `setWasmPaths(<dist dir>/)`, offline. tfjs never enables its
 * threaded build under Node (WASM_HAS_MULTITHREAD_SUPPORT is false there), so the SIMD build
 * runs on one thread when the engine supports wasm SIMD.
 */
export async function initTfjs(): Promise<WasmInfo> {
  // Production mode: no debug checks and no "install tfjs-node" banner.
  tf.enableProdMode();
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(dir + sep);
  const read: string[] = [];
  const original = { readFile: fs.readFile, readFileSync: fs.readFileSync };
  const note = (path: unknown) => {
    if (String(path).endsWith('.wasm')) read.push(basename(String(path)));
  };
  // Emscripten's Node loader reads the binary with fs.readFile; watch which file it asks for.
  fs.readFile = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    note(path);
    return (original.readFile as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFile;
  fs.readFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    note(path);
    return (original.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  } finally {
    fs.readFile = original.readFile;
    fs.readFileSync = original.readFileSync;
  }
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = getThreadsCount();
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs cpu backend failed to initialise');
  return { file: read.at(-1) ?? 'unknown', simd, threads, dir };
}

export async function useBackend(backend: TfBackend): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

export interface TfModel {
  readonly backend: TfBackend;
  variant: Variant;
  /** One training step: forward, MSE, backward (tf.variableGrads via optimizer.minimize), SGD update. */
  step(): void;
  /** Loss on the batch with the current weights (for the equivalence check). */
  loss(): number;
  /** Live tensors, to check that a step leaks none. */
  tensors(): number;
  dispose(): void;
}

/**
 * The tfjs network, created on `backend` (made current first), starting from gradlab's initial
 * weights (rounded to float32) and training on the same batch. Each backend gets its own
 * tensors and optimizer, so switching backends between timed blocks moves no data.
 */
export async function createTfModel(
  backend: TfBackend,
  shape: Shape,
  activation: ActivationId,
  weights: readonly { W: Float64Array; b: Float64Array }[],
  x: Float64Array,
  y: Float64Array,
  lr: number,
): Promise<TfModel> {
  await useBackend(backend);
  const { width, batch } = shape;
  const Ws = weights.map((w) => tf.variable(tf.tensor2d(Float32Array.from(w.W), [width, width]), true));
  const bs = weights.map((w) => tf.variable(tf.tensor1d(Float32Array.from(w.b)), true));
  const varList = [...Ws, ...bs];
  const xt = tf.tensor2d(Float32Array.from(x), [batch, width]);
  const yt = tf.tensor2d(Float32Array.from(y), [batch, width]);
  const optimizer = tf.train.sgd(lr);
  const act = activation === 'relu' ? tf.relu : tf.sigmoid;
  const forwardLoss = (variant: Variant): tf.Scalar => {
    let h: tf.Tensor2D = xt;
    for (let l = 0; l < Ws.length; l++) {
      const z =
        variant === 'matmul+add'
          ? tf.add(tf.matMul(h, Ws[l]), bs[l])
          : tf.fused.matMul({ a: h, b: Ws[l], bias: bs[l] });
      h = act(z) as tf.Tensor2D;
    }
    // Mean over all B·width entries, as gradlab's mse.
    return tf.losses.meanSquaredError(yt, h) as tf.Scalar;
  };
  const model: TfModel = {
    backend,
    variant: 'matmul+add',
    step() {
      optimizer.minimize(() => forwardLoss(model.variant), false, varList);
    },
    loss() {
      return tf.tidy(() => forwardLoss(model.variant).dataSync()[0]);
    },
    tensors: () => tf.memory().numTensors,
    dispose() {
      tf.dispose([...varList, xt, yt]);
      optimizer.dispose();
    },
  };
  return model;
}
