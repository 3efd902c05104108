import type { Activation, ParamSlot } from '@gradlab/plugin-api';
import { workBuffer } from '../buffers.ts';
import { kernels } from '../kernels.ts';
import { activate, differentiate, type EngineClock, type Layer, type LayerView, PerRows } from './layer.ts';

interface DenseBuffers {
  z: Float64Array;
  a: Float64Array;
  out: Float64Array;
  dadz: Float64Array;
  delta: Float64Array;
  dx: Float64Array;
}

/**
 * Fully connected layer, optionally residual:
 *   z = x·W + b,  a = f(z),  out = a (+ x if residual).
 * Backward, with g = ∂L/∂out:
 *   δ = g ⊙ f'(z),  ∂L/∂W += xᵀ·δ,  ∂L/∂b += Σ_rows δ,  ∂L/∂x = δ·Wᵀ (+ g if residual).
 */
export class DenseLayer implements Layer {
  readonly type = 'dense' as const;
  readonly params: readonly ParamSlot[];
  readonly grads: readonly Float64Array[];
  readonly buffers = {};
  private readonly W: Float64Array;
  private readonly b: Float64Array;
  private readonly gradW: Float64Array;
  private readonly gradB: Float64Array;
  /** `units` entries of +0: where ∂L/∂W's rows start when zeroGrads has just cleared it. */
  private readonly zeroRow: Float64Array;
  private readonly perRows: PerRows<DenseBuffers>;
  private readonly views = new PerRows<LayerView>((rows) => this.makeView(rows));
  private input: Float64Array = new Float64Array(0);
  readonly index: number;
  readonly inputSize: number;
  readonly units: number;
  readonly activation: Activation;
  readonly residual: boolean;
  private readonly clock: EngineClock;

  constructor(
    index: number,
    inputSize: number,
    units: number,
    activation: Activation,
    residual: boolean,
    W: Float64Array,
    b: Float64Array,
    clock: EngineClock,
  ) {
    this.index = index;
    this.inputSize = inputSize;
    this.units = units;
    this.activation = activation;
    this.residual = residual;
    this.clock = clock;
    this.W = W;
    this.b = b;
    this.gradW = workBuffer(W.length);
    this.gradB = workBuffer(b.length);
    this.zeroRow = workBuffer(units);
    const name = `dense_${index}`;
    this.params = [
      { name: `${name}.W`, layer: index, role: 'weight', shape: [inputSize, units], value: W },
      { name: `${name}.b`, layer: index, role: 'bias', shape: [1, units], value: b },
    ];
    this.grads = [this.gradW, this.gradB];
    this.perRows = new PerRows((rows) => {
      const n = rows * units;
      const a = workBuffer(n);
      return {
        z: workBuffer(n),
        a,
        out: residual ? workBuffer(n) : a,
        dadz: workBuffer(n),
        delta: workBuffer(n),
        dx: workBuffer(rows * inputSize),
      };
    });
  }

  forward(x: Float64Array, rows: number): Float64Array {
    const { z, a, out } = this.perRows.get(rows);
    const units = this.units;
    this.input = x;
    // z = b + x·W: the kernel starts each row of z from b (the wasm one without copying z in).
    kernels.gemmAdd(x, 0, this.inputSize, this.W, 0, units, z, 0, units, rows, this.inputSize, units, this.b);
    activate(this.activation, z, a, this.clock, this.index);
    if (this.residual) for (let i = 0; i < out.length; i++) out[i] = a[i] + x[i];
    return out;
  }

  backward(dOut: Float64Array, rows: number, needInputGrad: boolean, gradsZero = false): Float64Array | undefined {
    const { z, a, dadz, delta, dx } = this.perRows.get(rows);
    const units = this.units;
    differentiate(this.activation, z, a, dadz, this.clock, this.index);
    // δ = g ⊙ f′ and ∂L/∂b += Σ_rows δ in one pass (one read of δ fewer than two loops). Row by
    // row, so each column is summed in the same order as addColumnSums: the same bits.
    const gradB = this.gradB;
    for (let r = 0, i = 0; r < rows; r++) {
      for (let j = 0; j < units; j++, i++) {
        const d = dOut[i] * dadz[i];
        delta[i] = d;
        gradB[j] += d;
      }
    }
    // ∂L/∂W is all +0 after zeroGrads: its rows start from +0 instead of being copied into wasm memory.
    const start = gradsZero ? this.zeroRow : undefined;
    const inSize = this.inputSize;
    kernels.gemmTNAdd(this.input, 0, inSize, delta, 0, units, this.gradW, 0, units, rows, inSize, units, start);
    if (!needInputGrad) return undefined;
    if (this.residual) for (let i = 0; i < dx.length; i++) dx[i] = dOut[i]; // dOut may be longer (partial batch)
    kernels.gemmNT(
      delta,
      0,
      units,
      this.W,
      0,
      units,
      dx,
      0,
      this.inputSize,
      rows,
      units,
      this.inputSize,
      this.residual,
    );
    return dx;
  }

  /** Built once per row count (the buffers behind it never change), so tracing a step allocates nothing. */
  view(rows: number): LayerView {
    return this.views.get(rows);
  }

  private makeView(rows: number): LayerView {
    const { z, a, dadz, delta } = this.perRows.get(rows);
    return {
      index: this.index,
      type: this.type,
      activation: this.activation.id,
      rows,
      units: this.units,
      ...(this.residual && { residual: true }),
      z,
      a,
      dadz,
      delta,
      W: this.W,
      gradW: this.gradW,
      b: this.b,
      gradB: this.gradB,
    };
  }
}
