/**
 * A gradient check: the engine's back-propagated ∂L/∂W against centred finite differences of the
 * engine's own loss, entry by entry, in float64 (or with the two loss values rounded to float32, to show
 * why the check wants double precision). One implementation for page 12's widget (its lazily loaded
 * worker chunk) and `gradlab gradcheck` (decision 0018); pure and worker-safe.
 */
import { createSession, type ExperimentSpec, getLoss, type Registry } from '@gradlab/core';
import { type CanonicalOptions, canonicalSpec } from './canonical.ts';
import { type Num, num } from './report-numbers.ts';

/** Entries of each weight matrix checked: spread evenly over the matrix (no randomness to reproduce). */
export const GRADIENT_CHECK_ENTRIES = 6;

/** The usual step for float64: it balances truncation (∝ h²) and round-off (∝ ε|L|/h). */
export const GRADIENT_CHECK_H = 1e-5;

/** CS231n's bands for the relative error of a gradient check (Neural Networks Part 3, gradient checks). */
export const GRADIENT_CHECK_BANDS = { wrong: 1e-2, uneasy: 1e-4, good: 1e-7 } as const;

/** How CS231n reads a relative error (null or NaN: the check itself failed). */
export function gradientCheckBand(rel: Num): string {
  if (rel === null || !Number.isFinite(rel)) return 'not finite';
  if (rel > GRADIENT_CHECK_BANDS.wrong) return 'probably wrong (> 1e-2)';
  if (rel > GRADIENT_CHECK_BANDS.uneasy) return 'uneasy (1e-4 … 1e-2)';
  if (rel > GRADIENT_CHECK_BANDS.good) return 'fine with kinks, high without (1e-7 … 1e-4)';
  return 'good (< 1e-7)';
}

export interface GradientCheckOptions {
  readonly registry: Registry;
  /** The finite-difference step (default 1e-5). */
  readonly h?: number;
  /** Round the two loss values to float32 before differencing (the engine itself stays float64). */
  readonly float32?: boolean;
}

/**
 * The check of every weight matrix, in the model's layer order (hidden layers, then the output layer; a
 * layer without weights, such as batch norm, has no entry), as columns; non-finite numbers are null, as in the probe report (`GRADIENT_CHECK_ENTRIES` entries each).
 */
export interface GradientCheckReport {
  readonly h: number;
  readonly float32: boolean;
  /** The loss at the checked weights (the spec's initialization). */
  readonly loss: Num;
  /** The largest relative error |a − n| / max(|a|, |n|) over the checked entries (0 when both are 0). */
  readonly relError: Num[];
  /** The largest absolute error |a − n|. */
  readonly absError: Num[];
  /** The median |∂L/∂W| of the checked entries (the analytic values). */
  readonly gradMagnitude: Num[];
  /** Checked entries whose ±h step moves some pre-activation across a kink of the activation. */
  readonly kinksCrossed: number[];
}

/**
 * The canonical probe net (`gradlab probe`'s, `runProbe`'s) at initialization: one step at learning
 * rate 0, so `gradlab run` of this spec prints the checked loss too.
 */
export function gradientCheckSpec(options: Partial<CanonicalOptions>, context: { registry?: Registry } = {}) {
  return canonicalSpec({ ...options, steps: 0, lr: 0 }, context);
}

/** Check every weight matrix of the model `spec` builds (layers without one are skipped), on its whole training set. */
export function gradientCheck(spec: ExperimentSpec, options: GradientCheckOptions): GradientCheckReport {
  const { registry, h = GRADIENT_CHECK_H, float32 = false } = options;
  // One comparison covers 0, negatives, NaN and Infinity (the worker's gradcheck chunk is budgeted); a
  // string such as '1e-5' from plain JavaScript would pass it and then concatenate in `w + h`.
  if (typeof h !== 'number' || !(h > 0 && h < Infinity))
    throw new TypeError(
      `gradientCheck: h must be a finite number > 0, not ${typeof h === 'string' ? JSON.stringify(h) : String(h)}`,
    );
  const session = createSession(spec, { registry });
  const { model, trainData: data } = session;
  const loss = getLoss(spec.train.loss);
  const rows = data.rows;
  const cols = data.outputs;
  const round = float32 ? Math.fround : (v: number) => v;
  const lossAt = () => loss.value(model.forward(data.x, rows, true), data.y, rows, cols);

  // The analytic gradient: one forward and backward pass, as a training step computes it.
  model.zeroGrads();
  const out = model.forward(data.x, rows, true);
  const L0 = loss.value(out, data.y, rows, cols);
  const dOut = new Float64Array(rows * cols);
  loss.gradient(out, data.y, rows, cols, dOut);
  model.backward(dOut, rows);
  // Pre-activations at θ and each layer's input, for the kink test (copies: the buffers are reused).
  const zs = model.layers.map((l) => l.view(rows).z.slice());
  const inputs = [data.x.slice(), ...model.layers.slice(0, -1).map((l) => l.view(rows).a.slice())];

  const relError: Num[] = [];
  const absError: Num[] = [];
  const gradMagnitude: Num[] = [];
  const kinksCrossed: number[] = [];
  model.layers.forEach((layer, l) => {
    const k = layer.params.findIndex((p) => p.role === 'weight');
    if (k < 0) return; // no weight matrix (batch norm): nothing to check, and no column
    const W = layer.params[k].value;
    const G = layer.grads[k];
    const units = layer.units;
    const fanIn = W.length / units;
    const meta = registry.get('activation', layer.activation.id)?.meta as { kinks?: readonly number[] } | undefined;
    const kinks = meta?.kinks ?? [];
    let rel = 0;
    let abs = 0;
    let crossed = 0;
    const mags: number[] = [];
    for (let e = 0; e < GRADIENT_CHECK_ENTRIES; e++) {
      const i = Math.floor(((e + 0.5) * W.length) / GRADIENT_CHECK_ENTRIES);
      const w = W[i];
      W[i] = w + h;
      const up = round(lossAt());
      W[i] = w - h;
      const down = round(lossAt());
      W[i] = w;
      const numeric = (up - down) / (2 * h);
      const analytic = G[i];
      const err = Math.abs(analytic - numeric);
      const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
      // Math.max keeps a NaN (a non-finite loss), so a failed check never reads as a passed one.
      rel = Math.max(rel, scale === 0 ? 0 : err / scale);
      abs = Math.max(abs, err);
      mags.push(Math.abs(analytic));
      // W[i] = W[row, col] feeds unit `col` with input `row`: z[r, col] moves by ±h·x[r, row].
      const row = Math.floor(i / units);
      const col = i % units;
      let hit = false;
      for (let r = 0; r < rows && !hit; r++) {
        const z = zs[l][r * units + col];
        const dz = h * Math.abs(inputs[l][r * fanIn + row]);
        hit = kinks.some((kink) => Math.abs(z - kink) < dz);
      }
      if (hit) crossed++;
    }
    relError.push(num(rel));
    absError.push(num(abs));
    // The median of the checked entries (the mean of the two middle ones).
    mags.sort((a, b) => a - b);
    gradMagnitude.push(num((mags[2] + mags[3]) / 2));
    kinksCrossed.push(crossed);
  });
  return { h, float32, loss: num(L0), relError, absError, gradMagnitude, kinksCrossed };
}
