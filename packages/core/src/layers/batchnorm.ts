import type { Activation, ParamSlot } from '@gradlab/plugin-api';
import { activate, differentiate, type EngineClock, type Layer, type LayerView, PerRows } from './layer.ts';

interface BatchNormBuffers {
  xhat: Float64Array;
  z: Float64Array;
  a: Float64Array;
  dadz: Float64Array;
  delta: Float64Array;
  dx: Float64Array;
}

/**
 * Batch normalization over the rows of a batch, then an activation (Ioffe & Szegedy 2015):
 *   training: μ, σ² = batch mean and (biased) variance per unit; eval: running estimates.
 *   x̂ = (x − μ)/√(σ² + ε),  z = γ ⊙ x̂ + β,  a = f(z).
 * Running estimates follow PyTorch: r ← (1 − m)·r + m·batch, with the unbiased variance.
 * Backward (training), with δ = ∂L/∂a ⊙ f'(z) and N rows:
 *   ∂L/∂γ = Σ δ ⊙ x̂,  ∂L/∂β = Σ δ,  g = δ ⊙ γ,
 *   ∂L/∂x = (1/√(σ²+ε)) · (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)).
 */
export class BatchNormLayer implements Layer {
  readonly type = 'batchnorm' as const;
  readonly params: readonly ParamSlot[];
  readonly grads: readonly Float64Array[];
  readonly buffers: { runningMean: Float64Array; runningVar: Float64Array };
  private readonly gamma: Float64Array;
  private readonly beta: Float64Array;
  private readonly gradGamma: Float64Array;
  private readonly gradBeta: Float64Array;
  private readonly invStd: Float64Array;
  private readonly mean: Float64Array;
  private readonly sumDelta: Float64Array;
  private readonly sumDeltaXhat: Float64Array;
  /** Whether the last forward used batch statistics (training) or the running ones. */
  private batchStats = true;
  private readonly perRows: PerRows<BatchNormBuffers>;
  private readonly views = new PerRows<LayerView>((rows) => this.makeView(rows));
  readonly index: number;
  readonly units: number;
  readonly activation: Activation;
  private readonly momentum: number;
  private readonly epsilon: number;
  private readonly clock: EngineClock;

  constructor(
    index: number,
    units: number,
    activation: Activation,
    momentum: number,
    epsilon: number,
    gamma: Float64Array,
    beta: Float64Array,
    clock: EngineClock,
  ) {
    this.index = index;
    this.units = units;
    this.activation = activation;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.clock = clock;
    this.gamma = gamma;
    this.beta = beta;
    this.gradGamma = new Float64Array(units);
    this.gradBeta = new Float64Array(units);
    this.invStd = new Float64Array(units);
    this.mean = new Float64Array(units);
    this.sumDelta = new Float64Array(units);
    this.sumDeltaXhat = new Float64Array(units);
    this.buffers = { runningMean: new Float64Array(units), runningVar: new Float64Array(units).fill(1) };
    const name = `batchnorm_${index}`;
    this.params = [
      { name: `${name}.gamma`, layer: index, role: 'gamma', shape: [1, units], value: gamma },
      { name: `${name}.beta`, layer: index, role: 'beta', shape: [1, units], value: beta },
    ];
    this.grads = [this.gradGamma, this.gradBeta];
    this.perRows = new PerRows((rows) => {
      const n = rows * units;
      const make = () => new Float64Array(n);
      return { xhat: make(), z: make(), a: make(), dadz: make(), delta: make(), dx: make() };
    });
  }

  get inputSize(): number {
    return this.units;
  }

  forward(x: Float64Array, rows: number, training: boolean): Float64Array {
    const { xhat, z, a } = this.perRows.get(rows);
    const { units, mean, invStd } = this;
    const { runningMean, runningVar } = this.buffers;
    this.batchStats = training;
    if (training) {
      mean.fill(0);
      invStd.fill(0); // holds Σ(x − μ)² first
      for (let r = 0; r < rows; r++) for (let j = 0; j < units; j++) mean[j] += x[r * units + j];
      for (let j = 0; j < units; j++) mean[j] /= rows;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < units; j++) {
          const d = x[r * units + j] - mean[j];
          invStd[j] += d * d;
        }
      }
      const m = this.momentum;
      for (let j = 0; j < units; j++) {
        const sumSq = invStd[j];
        runningMean[j] = (1 - m) * runningMean[j] + m * mean[j];
        runningVar[j] = (1 - m) * runningVar[j] + m * (rows > 1 ? sumSq / (rows - 1) : sumSq);
        invStd[j] = 1 / Math.sqrt(sumSq / rows + this.epsilon);
      }
    } else {
      for (let j = 0; j < units; j++) {
        mean[j] = runningMean[j];
        invStd[j] = 1 / Math.sqrt(runningVar[j] + this.epsilon);
      }
    }
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < units; j++) {
        const i = r * units + j;
        xhat[i] = (x[i] - mean[j]) * invStd[j];
        z[i] = this.gamma[j] * xhat[i] + this.beta[j];
      }
    }
    activate(this.activation, z, a, this.clock, this.index);
    return a;
  }

  backward(dOut: Float64Array, rows: number, needInputGrad: boolean): Float64Array | undefined {
    const { xhat, z, a, dadz, delta, dx } = this.perRows.get(rows);
    const { units, invStd, gamma } = this;
    differentiate(this.activation, z, a, dadz, this.clock, this.index);
    // Per-unit Σδ and Σδ⊙x̂: the β and γ gradients, and the two means in ∂L/∂x.
    const { sumDelta, sumDeltaXhat } = this;
    sumDelta.fill(0);
    sumDeltaXhat.fill(0);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < units; j++) {
        const i = r * units + j;
        delta[i] = dOut[i] * dadz[i];
        sumDelta[j] += delta[i];
        sumDeltaXhat[j] += delta[i] * xhat[i];
      }
    }
    for (let j = 0; j < units; j++) {
      this.gradGamma[j] += sumDeltaXhat[j];
      this.gradBeta[j] += sumDelta[j];
    }
    if (!needInputGrad) return undefined;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < units; j++) {
        const i = r * units + j;
        dx[i] = this.batchStats
          ? gamma[j] * invStd[j] * (delta[i] - sumDelta[j] / rows - (xhat[i] * sumDeltaXhat[j]) / rows)
          : gamma[j] * invStd[j] * delta[i];
      }
    }
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
      z,
      a,
      dadz,
      delta,
      W: this.gamma,
      gradW: this.gradGamma,
      b: this.beta,
      gradB: this.gradBeta,
    };
  }
}
