import type { InitContext, InitializerFunctions, InitShape, Rng } from './types.ts';

/**
 * Standard deviation of N(0, 1) truncated to [-2, 2]: √(1 − 2·2φ(2)/(Φ(2) − Φ(−2))).
 * Dividing by it makes a ±2σ truncated normal keep the target variance (Keras, PyTorch docs).
 */
export const TRUNCATED_NORMAL_STD = 0.8796256610342398;

/** A sample of N(0, 1) truncated to [-2, 2], by rejection (acceptance ≈ 95%). */
export function truncatedNormal(rng: Rng): number {
  for (;;) {
    const z = rng.normal();
    if (z >= -2 && z <= 2) return z;
  }
}

export interface VarianceScalingOptions {
  /** Var(W) = scale / n, where n is chosen by `mode`. */
  readonly scale: number;
  readonly mode: 'fan-in' | 'fan-out' | 'fan-avg';
  readonly distribution: 'normal' | 'uniform' | 'truncated-normal';
  /**
   * Multiplies every drawn value (default 1): Var(W) = gain²·scale / n. A pure scale of the same
   * draw, so results are continuous in the gain and gain 1 gives the bits of no gain at all.
   */
  readonly gain?: number;
}

/** The n in Var(W) = scale / n. */
export function fanFor(mode: VarianceScalingOptions['mode'], shape: Pick<InitShape, 'fanIn' | 'fanOut'>): number {
  if (mode === 'fan-in') return shape.fanIn;
  if (mode === 'fan-out') return shape.fanOut;
  return (shape.fanIn + shape.fanOut) / 2;
}

/**
 * The variance-scaling family (tfjs-layers `VarianceScaling`): Glorot, He and LeCun are
 * configurations of this. Normal: N(0, s/n); uniform: U(−√(3s/n), √(3s/n)); truncated normal:
 * N(0, σ²) cut at ±2σ with σ = √(s/n) / 0.8796…, so every variant has variance s/n.
 */
export function varianceScaling(o: VarianceScalingOptions): InitializerFunctions {
  const gain = o.gain ?? 1;
  const unscaled = (shape: InitShape) => o.scale / fanFor(o.mode, shape);
  return {
    variance: (shape) => gain * gain * unscaled(shape),
    init(ctx: InitContext): Float64Array {
      const out = draw(ctx, Math.sqrt(unscaled(ctx)), o.distribution);
      if (gain !== 1) for (let i = 0; i < out.length; i++) out[i] *= gain;
      return out;
    },
  };
}

/** The draw at gain 1: N(0, std²), U(−√3·std, √3·std) or the ±2σ truncated normal with that variance. */
function draw(ctx: InitContext, std: number, distribution: VarianceScalingOptions['distribution']): Float64Array {
  const n = ctx.shape[0] * ctx.shape[1];
  const out = ctx.buffer?.(n) ?? new Float64Array(n);
  if (distribution === 'uniform') {
    const limit = Math.sqrt(3) * std;
    for (let i = 0; i < out.length; i++) out[i] = (2 * ctx.rng.next() - 1) * limit;
  } else if (distribution === 'normal') {
    for (let i = 0; i < out.length; i++) out[i] = std * ctx.rng.normal();
  } else {
    const sigma = std / TRUNCATED_NORMAL_STD;
    for (let i = 0; i < out.length; i++) out[i] = sigma * truncatedNormal(ctx.rng);
  }
  return out;
}
