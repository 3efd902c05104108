import type { Activation, ParamSlot } from '@gradlab/plugin-api';
import { workBuffer } from '../buffers.ts';
import { kernels } from '../kernels.ts';
import { addColumnSums, norm2 } from '../matrix.ts';
import { activate, differentiate, type EngineClock, type Layer, type LayerView, PerRows } from './layer.ts';

interface RnnBuffers {
  /** Time-major stacks: block t holds rows × units for step t. */
  z: Float64Array;
  h: Float64Array;
  dadz: Float64Array;
  delta: Float64Array;
  /** ∂L/∂x (rows × steps × features, row-major like the input), filled only for inputGradient. */
  dx: Float64Array;
  /** Views of each step's block, made once so the time loop allocates nothing. */
  zAt: Float64Array[];
  hAt: Float64Array[];
  dh: Float64Array;
  dhPrev: Float64Array;
}

/**
 * Simple recurrent layer over sequences; input rows are `steps` × `features` values, step-major.
 *   z_t = x_t·W_x + h_{t−1}·W_h + b,  h_t = f(z_t),  h_0 = 0;  output h_T.
 * Backpropagation through time, with g_T = ∂L/∂h_T and g_{t−1} = δ_t·W_hᵀ:
 *   δ_t = g_t ⊙ f'(z_t),  ∂L/∂W_x += x_tᵀ·δ_t,  ∂L/∂W_h += h_{t−1}ᵀ·δ_t,  ∂L/∂b += Σ δ_t.
 * With `truncate = k`, only the last k steps are backpropagated (earlier δ_t are 0).
 */
export class RnnLayer implements Layer {
  readonly type = 'rnn' as const;
  readonly params: readonly ParamSlot[];
  readonly grads: readonly Float64Array[];
  readonly buffers = {};
  /** ‖∂L/∂h_t‖ for each step of the last backward pass (0 for truncated steps). */
  readonly timeDeltaNorms: Float64Array;
  private readonly gradWx: Float64Array;
  private readonly gradWh: Float64Array;
  private readonly gradB: Float64Array;
  private readonly perRows: PerRows<RnnBuffers>;
  private readonly views = new PerRows<LayerView>((rows) => this.makeView(rows));
  private input: Float64Array = new Float64Array(0);
  readonly index: number;
  readonly features: number;
  readonly steps: number;
  readonly units: number;
  readonly activation: Activation;
  private readonly truncate: number;
  private readonly Wx: Float64Array;
  private readonly Wh: Float64Array;
  private readonly b: Float64Array;
  private readonly clock: EngineClock;

  constructor(
    index: number,
    features: number,
    steps: number,
    units: number,
    activation: Activation,
    truncate: number,
    Wx: Float64Array,
    Wh: Float64Array,
    b: Float64Array,
    clock: EngineClock,
  ) {
    this.index = index;
    this.features = features;
    this.steps = steps;
    this.units = units;
    this.activation = activation;
    this.truncate = truncate;
    this.Wx = Wx;
    this.Wh = Wh;
    this.b = b;
    this.clock = clock;
    this.gradWx = workBuffer(Wx.length);
    this.gradWh = workBuffer(Wh.length);
    this.gradB = workBuffer(b.length);
    this.timeDeltaNorms = new Float64Array(steps);
    const name = `rnn_${index}`;
    this.params = [
      { name: `${name}.Wx`, layer: index, role: 'weight', shape: [features, units], value: Wx },
      { name: `${name}.Wh`, layer: index, role: 'recurrent', shape: [units, units], value: Wh },
      { name: `${name}.b`, layer: index, role: 'bias', shape: [1, units], value: b },
    ];
    this.grads = [this.gradWx, this.gradWh, this.gradB];
    this.perRows = new PerRows((rows) => {
      const block = rows * units;
      const stack = () => workBuffer(steps * block);
      const z = stack();
      const h = stack();
      const dadz = stack();
      const at = (s: Float64Array) => Array.from({ length: steps }, (_, t) => s.subarray(t * block, (t + 1) * block));
      return {
        z,
        h,
        dadz,
        delta: stack(),
        dx: workBuffer(rows * steps * features),
        zAt: at(z),
        hAt: at(h),
        dh: workBuffer(block),
        dhPrev: workBuffer(block),
      };
    });
  }

  get inputSize(): number {
    return this.features * this.steps;
  }

  forward(x: Float64Array, rows: number): Float64Array {
    const { z, h, zAt, hAt } = this.perRows.get(rows);
    const { units, features, steps } = this;
    const block = rows * units;
    this.input = x;
    for (let t = 0; t < steps; t++) {
      const off = t * block;
      const xt = t * features; // step t of each row: z_t = b + x_t·W_x (+ h_{t−1}·W_h below)
      kernels.gemmAdd(x, xt, steps * features, this.Wx, 0, units, z, off, units, rows, features, units, this.b);
      if (t > 0) kernels.gemmAdd(h, off - block, units, this.Wh, 0, units, z, off, units, rows, units, units);
      activate(this.activation, zAt[t], hAt[t], this.clock, this.index);
    }
    return hAt[steps - 1];
  }

  backward(dOut: Float64Array, rows: number, needInputGrad = false): Float64Array | undefined {
    const buf = this.perRows.get(rows);
    const { units, features, steps } = this;
    const block = rows * units;
    let { dh, dhPrev } = buf;
    for (let i = 0; i < block; i++) dh[i] = dOut[i]; // dOut may be longer (partial batch)
    buf.delta.fill(0);
    if (needInputGrad) buf.dx.fill(0); // steps before the truncation window get no gradient
    // f'(z_t) for every step, truncated or not: the trace's dadz is f'(z), whatever δ is.
    differentiate(this.activation, buf.z, buf.h, buf.dadz, this.clock, this.index);
    this.timeDeltaNorms.fill(0);
    const first = Math.max(0, steps - this.truncate);
    for (let t = steps - 1; t >= first; t--) {
      const off = t * block;
      this.timeDeltaNorms[t] = norm2(dh);
      for (let i = 0; i < block; i++) buf.delta[off + i] = dh[i] * buf.dadz[off + i];
      kernels.gemmTNAdd(
        this.input,
        t * features,
        steps * features,
        buf.delta,
        off,
        units,
        this.gradWx,
        0,
        units,
        rows,
        features,
        units,
      );
      addColumnSums(buf.delta, off, units, this.gradB, rows, units);
      // ∂L/∂x_t = δ_t·W_xᵀ, written into step t of each row (row-major, step-major like the input).
      if (needInputGrad) {
        kernels.gemmNT(
          buf.delta,
          off,
          units,
          this.Wx,
          0,
          units,
          buf.dx,
          t * features,
          steps * features,
          rows,
          units,
          features,
          false,
        );
      }
      if (t > 0) {
        kernels.gemmTNAdd(buf.h, off - block, units, buf.delta, off, units, this.gradWh, 0, units, rows, units, units);
        kernels.gemmNT(buf.delta, off, units, this.Wh, 0, units, dhPrev, 0, units, rows, units, units, false);
        const swap = dh;
        dh = dhPrev;
        dhPrev = swap;
      }
    }
    // The recurrent layer is the first layer: only inputGradient asks for ∂L/∂x.
    return needInputGrad ? buf.dx : undefined;
  }

  /** Built once per row count (the buffers behind it never change), so tracing a step allocates nothing. */
  view(rows: number): LayerView {
    return this.views.get(rows);
  }

  private makeView(rows: number): LayerView {
    const { z, h, dadz, delta } = this.perRows.get(rows);
    return {
      index: this.index,
      type: this.type,
      activation: this.activation.id,
      rows: rows * this.steps,
      units: this.units,
      z,
      a: h,
      dadz,
      delta,
      W: this.Wx,
      gradW: this.gradWx,
      b: this.b,
      gradB: this.gradB,
      Wh: this.Wh,
      gradWh: this.gradWh,
      timeDeltaNorms: this.timeDeltaNorms,
    };
  }
}
