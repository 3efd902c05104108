import { createRegistry, type Registry } from '@gradlab/core';
import type { LayerTrace, ParamSlot, StepTrace } from '@gradlab/plugin-api';
import standard from '@gradlab/preset-standard';

/** A registry with every standard plugin (the probes themselves are attached as instances). */
export const registry = (): Registry => createRegistry().use(standard);

const f64 = (xs: readonly number[] | Float64Array) => Float64Array.from(xs);

/** A layer of a hand-built trace: give what the test reads; the rest is zeros of the right size. */
export interface FakeLayer {
  activation?: string;
  type?: LayerTrace['type'];
  rows?: number;
  units: number;
  z?: number[];
  a?: number[];
  dadz?: number[];
  delta?: number[];
  W?: number[];
  gradW?: number[];
  b?: number[];
  gradB?: number[];
  updateW?: number[];
  /** W before the step, as the engine's traces carry it with updateW. */
  previousW?: number[];
  Wh?: number[];
  gradWh?: number[];
  timeDeltaNorms?: number[];
}

/** A StepTrace from plain arrays, with params and grads derived from the layers (W, b and Wh of each). */
export function fakeTrace(
  layers: readonly FakeLayer[],
  extra: { step?: number; loss?: number; transforms?: StepTrace['transforms'] } = {},
): StepTrace {
  const views: LayerTrace[] = layers.map((l, index) => {
    const rows = l.rows ?? 1;
    const n = rows * l.units;
    const arr = (xs: number[] | undefined, size: number) => (xs ? f64(xs) : new Float64Array(size));
    return {
      index,
      type: l.type ?? 'dense',
      activation: l.activation ?? 'tanh',
      rows,
      units: l.units,
      z: arr(l.z, n),
      a: arr(l.a, n),
      dadz: arr(l.dadz, n),
      delta: arr(l.delta, n),
      W: arr(l.W, l.units),
      gradW: arr(l.gradW, l.W?.length ?? l.units),
      b: arr(l.b, l.units),
      gradB: arr(l.gradB, l.units),
      ...(l.updateW && { updateW: f64(l.updateW) }),
      ...(l.previousW && { previousW: f64(l.previousW) }),
      ...(l.Wh && { Wh: f64(l.Wh), gradWh: arr(l.gradWh, l.Wh.length) }),
      ...(l.timeDeltaNorms && { timeDeltaNorms: f64(l.timeDeltaNorms) }),
    };
  });
  const params: ParamSlot[] = [];
  const grads: Float64Array[] = [];
  for (const v of views) {
    const name = `${v.type}_${v.index}`;
    params.push({ name: `${name}.W`, layer: v.index, role: 'weight', shape: [1, v.W.length], value: v.W });
    grads.push(v.gradW);
    if (v.Wh) {
      params.push({ name: `${name}.Wh`, layer: v.index, role: 'recurrent', shape: [1, v.Wh.length], value: v.Wh });
      grads.push(v.gradWh!);
    }
    params.push({ name: `${name}.b`, layer: v.index, role: 'bias', shape: [1, v.b.length], value: v.b });
    grads.push(v.gradB);
  }
  return {
    step: extra.step ?? 0,
    epoch: 0,
    loss: extra.loss ?? 1,
    layers: views,
    transforms: extra.transforms ?? [],
    params,
    grads,
  };
}

/** Least-squares slope of ys against 0, 1, 2, … */
export function slope(ys: readonly number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (ys[i] - my);
    sxx += (i - mx) ** 2;
  }
  return sxy / sxx;
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
