import { defineProbe, type StepTrace } from '@gradlab/plugin-api';
import { HINTS } from './hints.ts';
import {
  alsoLayers,
  finding,
  fire,
  fmt,
  type LayerInfo,
  layerInfo,
  type Num,
  num,
  Persistence,
  Window,
  windowOption,
} from './util.ts';

const options = {
  fraction: {
    type: 'number',
    default: 0.25,
    min: 0,
    max: 1,
    description: 'A layer with more than this fraction of dead units is DEAD_UNITS.',
  },
  steps: {
    type: 'integer',
    default: 50,
    min: 1,
    description: "A unit is dead after this many consecutive steps with f'(z) = 0 on every example of the batch.",
  },
  window: windowOption,
} as const;

export interface DeadUnitsRecord {
  readonly step: number;
  /** Fraction of units with f'(z) = 0 on every example of this step's batch, per layer. */
  readonly inactive: Num[];
  /** Fraction of units inactive on each of the last `steps` steps, per layer. */
  readonly dead: Num[];
}

export interface DeadUnitsReport {
  readonly steps: number;
  readonly layers: LayerInfo[];
  readonly history: DeadUnitsRecord[];
  /** Indices of the dead units of each layer at the last step. */
  readonly deadUnits: number[][];
}

/**
 * `dead-units`: units whose derivative is exactly 0 for every example, step after step. Such a
 * unit gets no gradient, so plain SGD never revives it (the "dying ReLU").
 */
export default defineProbe({
  meta: {
    id: 'dead-units',
    title: 'Dead units',
    summary: 'Fraction of units per layer whose derivative is zero on every example for many steps in a row.',
    emits: ['DEAD_UNITS'],
    cost: 'per-sample',
    references: [
      {
        title: 'Lu, Shin, Su, Karniadakis (2019). Dying ReLU and Initialization: Theory and Numerical Examples',
        url: 'https://arxiv.org/abs/1903.06733',
        year: 2019,
      },
    ],
  },
  options,
  create: (o) => {
    const history = new Window<DeadUnitsRecord>(o.window);
    let layers: LayerInfo[] = [];
    let streaks: Int32Array[] = [];
    let alive: Float64Array[] = [];
    let alarms: Persistence[] = [];
    return {
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        if (layers.length !== ls.length) {
          layers = ls.map(layerInfo);
          streaks = ls.map((l) => new Int32Array(l.units));
          alive = ls.map((l) => new Float64Array(l.units));
          alarms = ls.map(() => new Persistence(1));
        }
        const inactive: number[] = [];
        const dead: number[] = [];
        ls.forEach((l, k) => {
          const { units, dadz } = l;
          // Σ_rows |f'(z)| per unit: exactly 0 only when every row is 0 (NaN counts as alive).
          const on = alive[k].fill(0);
          for (let off = 0; off < dadz.length; off += units) {
            for (let j = 0; j < units; j++) on[j] += Math.abs(dadz[off + j]);
          }
          let now = 0;
          let long = 0;
          const streak = streaks[k];
          for (let j = 0; j < units; j++) {
            const off = on[j] === 0;
            streak[j] = off ? streak[j] + 1 : 0;
            if (off) now++;
            if (streak[j] >= o.steps) long++;
          }
          inactive.push(now / units);
          dead.push(long / units);
        });
        history.push({ step: trace.step, inactive: inactive.map(num), dead: dead.map(num) });
        const hit = fire(
          alarms,
          dead.map((d) => d > o.fraction),
          dead,
          'max',
        );
        if (!hit) return;
        const k = hit.worst;
        const l = ls[k];
        return [
          finding({
            code: 'DEAD_UNITS',
            severity: 'warn',
            step: trace.step,
            layer: l.index,
            message: `${fmt(100 * dead[k])}% of the units of layer ${l.index} (${l.activation})${alsoLayers(hit.layers, k, layers)} had f'(z) = 0 on every example for ${o.steps} step(s) in a row (limit ${fmt(100 * o.fraction)}%): they get no gradient and stop learning.`,
            hint: HINTS.dead,
            evidence: {
              dead: dead[k],
              inactive: inactive[k],
              threshold: o.fraction,
              steps: o.steps,
              units: l.units,
              layers: hit.layers.map((j) => layers[j].index).join(','),
            },
          }),
        ];
      },
      report: (): DeadUnitsReport => ({
        steps: o.steps,
        layers,
        history: history.toArray(),
        deadUnits: streaks.map((s) => Array.from(s.keys()).filter((j) => s[j] >= o.steps)),
      }),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'dead-units': typeof options;
  }
}
