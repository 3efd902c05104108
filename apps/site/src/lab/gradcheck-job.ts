/**
 * Page 12's gradient check: the engine's backpropagated gradient against centred finite differences of
 * the engine's own loss, entry by entry, in float64 (or with the two loss values rounded to float32, to
 * show why the check wants double precision). Pure functions of (registry, setting); its own module so
 * the worker loads it on first use (decision 0040).
 */
import { createSession, type ExperimentSpec, getLoss, type Registry } from '@gradlab/core';
import { canonicalSpec } from '@gradlab/probes';
import { canonicalOptions } from './canonical-options.ts';
import type { Num, Setting } from './protocol.ts';

export const num = (v: number | null | undefined): Num => (Number.isFinite(v) ? (v as number) : null);
const n = (s: Setting, k: string, d: number) => (typeof s[k] === 'number' ? (s[k] as number) : d);

/** Entries of each weight matrix checked: spread evenly over the matrix (no randomness to reproduce). */
export const ENTRIES_PER_LAYER = 6;

export interface GradcheckResult {
  readonly kind: 'gradcheck';
  /** Per layer (output last): the largest relative error |a − n| / max(|a|, |n|) over the checked entries. */
  readonly relError: Num[];
  /** Per layer: the largest absolute error |a − n|. */
  readonly absError: Num[];
  /** Per layer: the median |∂L/∂W| of the checked entries (the analytic values). */
  readonly gradMagnitude: Num[];
  /** Per layer: checked entries whose ±h step moves some pre-activation across a kink of f. */
  readonly kinksCrossed: number[];
  readonly h: number;
  /** The loss values were rounded to float32 before differencing. */
  readonly float32: boolean;
  /** The loss at initialization. */
  readonly loss: Num;
  readonly spec: unknown;
}

/** The canonical probe net (`gradlab probe`'s), one step at learning rate 0: `gradlab run` prints its loss at init. */
export function gradcheckSpec(registry: Registry, s: Setting): ExperimentSpec {
  return { ...canonicalSpec({ ...canonicalOptions(s), steps: 0, lr: 0 }, { registry }), name: 'site-gradcheck' };
}

export function gradcheck(registry: Registry, s: Setting): GradcheckResult {
  const spec = gradcheckSpec(registry, s);
  const session = createSession(spec, { registry });
  const { model, trainData: data } = session;
  const loss = getLoss(spec.train.loss);
  const rows = data.rows;
  const cols = data.outputs;
  const h = n(s, 'h', 1e-5);
  const float32 = s.precision === 'float32';
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
    if (k < 0) throw new TypeError(`layer ${l}: no weights`);
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
    for (let e = 0; e < ENTRIES_PER_LAYER; e++) {
      const i = Math.floor(((e + 0.5) * W.length) / ENTRIES_PER_LAYER);
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
    // The median of the six checked entries (the mean of the two middle ones).
    mags.sort((a, b) => a - b);
    gradMagnitude.push(num((mags[2] + mags[3]) / 2));
    kinksCrossed.push(crossed);
  });

  return {
    kind: 'gradcheck',
    relError,
    absError,
    gradMagnitude,
    kinksCrossed,
    h,
    float32,
    loss: num(L0),
    spec,
  };
}
