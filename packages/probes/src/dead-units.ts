import { defineProbe, type StepTrace } from '@gradlab/plugin-api';
import { alsoLayers, finding, fire, Persistence } from './alarms.ts';
import { HINTS } from './hints.ts';
import { History } from './history.ts';
import { type LayerInfo, layerInfo } from './layer-info.ts';
import { windowOption } from './probe-options.ts';
import { fmt, type Num } from './report-numbers.ts';
import { stepStats } from './step-stats.ts';

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
    // Row: step, then the inactive and the dead fraction per layer.
    const history = new History(o.window);
    let layers: LayerInfo[] = [];
    let streaks: Int32Array[] = [];
    let alarms: Persistence[] = [];
    let over = new Uint8Array(0);
    let dead = new Float64Array(0);
    let observed = 0;
    return {
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        const n = ls.length;
        if (history.width !== 1 + 2 * n) {
          layers = ls.map(layerInfo);
          streaks = ls.map((l) => new Int32Array(l.units));
          alarms = ls.map(() => new Persistence(1));
          over = new Uint8Array(n);
          dead = new Float64Array(n);
          history.reset(1 + 2 * n);
          observed = 0;
        }
        observed++;
        const stats = stepStats(trace);
        const row = history.push();
        const d = history.data;
        const at = row * history.width;
        d[at] = trace.step;
        for (let k = 0; k < n; k++) {
          const units = ls[k].units;
          // 1 for a unit whose f'(z) is 0 on every row (NaN counts as alive).
          const off = stats.unitsOff(k);
          let now = 0;
          let long = 0;
          const streak = streaks[k];
          const limit = o.steps;
          // Branch-free: which units are off changes from step to step, a branch mispredicts.
          for (let j = 0; j < units; j++) {
            const run = (streak[j] + 1) * off[j];
            streak[j] = run;
            now += off[j];
            long += +(run >= limit);
          }
          d[at + 1 + k] = now / units;
          d[at + 1 + n + k] = long / units;
          dead[k] = long / units;
          over[k] = +(dead[k] > o.fraction);
        }
        const hit = fire(alarms, over, dead, 'max');
        if (!hit) return;
        const k = hit.worst;
        const l = ls[k];
        // One step of evidence, before any update, says "inactive at initialization": expected in
        // deep ReLU nets (inputs get correlated with depth), and only a problem if it lasts.
        const atInit = observed === 1;
        const what = `${fmt(100 * dead[k])}% of the units of layer ${l.index} (${l.activation})${alsoLayers(hit.layers, k, layers)}`;
        return [
          finding({
            code: 'DEAD_UNITS',
            severity: atInit ? 'info' : 'warn',
            step: trace.step,
            layer: l.index,
            message: atInit
              ? `${what} have f'(z) = 0 on every example at initialization (limit ${fmt(100 * o.fraction)}%). Deep ReLU layers often start this way (their inputs become correlated with depth); it is dying ReLU only if they stay inactive while training.`
              : `${what} had f'(z) = 0 on every example for ${o.steps} step(s) in a row (limit ${fmt(100 * o.fraction)}%): they get no gradient and stop learning.`,
            ...(atInit ? {} : { hint: HINTS.dead }),
            evidence: {
              dead: dead[k],
              inactive: d[at + 1 + k],
              threshold: o.fraction,
              steps: o.steps,
              units: l.units,
              layers: hit.layers.map((j) => layers[j].index).join(','),
            },
          }),
        ];
      },
      report: (): DeadUnitsReport => {
        const records: DeadUnitsRecord[] = history.records(['inactive', 'dead'], layers.length);
        return {
          steps: o.steps,
          layers,
          history: records,
          deadUnits: streaks.map((s) => Array.from(s.keys()).filter((j) => s[j] >= o.steps)),
        };
      },
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'dead-units': typeof options;
  }
}
