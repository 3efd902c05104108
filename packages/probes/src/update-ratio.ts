import { defineProbe, type Finding, type StepTrace } from '@gradlab/plugin-api';
import { alsoLayers, finding, fire, NO_FINDINGS, Persistence } from './alarms.ts';
import { HINTS } from './hints.ts';
import { History } from './history.ts';
import { type LayerInfo, layerInfo } from './layer-info.ts';
import { windowOption } from './probe-options.ts';
import { fmt, type Num } from './report-numbers.ts';
import { stepStats } from './step-stats.ts';

const options = {
  high: {
    type: 'number',
    default: 1e-1,
    min: 0,
    description: '‖ΔW‖/‖W‖ above this is UPDATE_RATIO (steps too large); the heuristic target is about 1e-3.',
  },
  low: {
    type: 'number',
    default: 1e-6,
    min: 0,
    description: '‖ΔW‖/‖W‖ below this is UPDATE_RATIO (steps too small to learn).',
  },
  patience: {
    type: 'integer',
    default: 20,
    min: 1,
    description: 'Consecutive steps the ratio must stay out of [low, high] before the finding.',
  },
  window: windowOption,
} as const;

export interface UpdateRatioRecord {
  readonly step: number;
  /** ‖ΔW_l‖_F / ‖W_l‖_F with W_l before the step, per layer (null without a main weight). */
  readonly ratio: Num[];
  readonly updateNorm: Num[];
  readonly weightNorm: Num[];
}

export interface UpdateRatioReport {
  readonly layers: LayerInfo[];
  readonly history: UpdateRatioRecord[];
}

/**
 * `update-ratio`: the size of each step relative to the weights, ‖ΔW‖/‖W‖, using the update
 * actually applied (after the optimizer and clipping). CS231n's rule of thumb is about 1e-3.
 * Steps where no parameter moved (learning rate 0, or a skipped non-finite step) are not judged.
 */
export default defineProbe({
  meta: {
    id: 'update-ratio',
    title: 'Update/weight ratio',
    summary: 'Ratio of the norm of each weight update to the norm of the weights, per layer and step.',
    emits: ['UPDATE_RATIO'],
    cost: 'cheap',
    references: [
      {
        title: 'CS231n: Neural Networks Part 3, ratio of weights:updates',
        url: 'https://cs231n.github.io/neural-networks-3/#ratio',
      },
    ],
  },
  options,
  create: (o) => {
    // Row: step, then the ratio, ‖ΔW‖ and ‖W‖ per layer.
    const history = new History(o.window);
    let layers: LayerInfo[] = [];
    let tooHigh: Persistence[] = [];
    let tooLow: Persistence[] = [];
    let high = new Uint8Array(0);
    let low = new Uint8Array(0);
    let ratio = new Float64Array(0);
    return {
      needs: ['updates'],
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        const n = ls.length;
        if (history.width !== 1 + 3 * n) {
          layers = ls.map(layerInfo);
          tooHigh = ls.map(() => new Persistence(o.patience));
          tooLow = ls.map(() => new Persistence(o.patience));
          high = new Uint8Array(n);
          low = new Uint8Array(n);
          ratio = new Float64Array(n);
          history.reset(1 + 3 * n);
        }
        const stats = stepStats(trace);
        const row = history.push();
        const d = history.data;
        const at = row * history.width;
        d[at] = trace.step;
        let moved = false;
        for (let k = 0; k < n; k++) {
          const u = stats.updateNorm(k);
          const r = u / stats.weightNorm(k);
          ratio[k] = r;
          d[at + 1 + k] = r;
          d[at + 1 + n + k] = u;
          d[at + 1 + 2 * n + k] = stats.weightNorm(k);
          if (u > 0) moved = true;
        }
        for (let k = 0; k < n; k++) {
          high[k] = +(moved && ratio[k] > o.high);
          low[k] = +(moved && ratio[k] < o.low);
        }
        const above = fire(tooHigh, high, ratio, 'max');
        const below = fire(tooLow, low, ratio, 'min');
        if (!above && !below) return NO_FINDINGS;
        const found: Finding[] = [];
        for (const [hit, isHigh] of [
          [above, true],
          [below, false],
        ] as const) {
          if (!hit) continue;
          const k = hit.worst;
          const r = ratio[k];
          const limit = isHigh ? o.high : o.low;
          const alarms = isHigh ? tooHigh : tooLow;
          found.push(
            finding({
              code: 'UPDATE_RATIO',
              severity: 'warn',
              step: trace.step,
              layer: layers[k].index,
              message: `‖ΔW‖/‖W‖ of layer ${layers[k].index}${alsoLayers(hit.layers, k, layers)} is ${fmt(r)} (log10 ${fmt(Math.log10(r))}), ${isHigh ? 'above' : 'below'} ${fmt(limit)} for ${alarms[k].steps} step(s); a healthy ratio is about 1e-3. ${isHigh ? 'Steps this large overwrite what the layer learned.' : 'Steps this small leave the layer where it started.'}`,
              hint: isHigh ? HINTS.updateHigh : HINTS.updateLow,
              evidence: {
                ratio: r,
                updateNorm: d[at + 1 + n + k],
                weightNorm: d[at + 1 + 2 * n + k],
                threshold: limit,
                steps: alarms[k].steps,
                layers: hit.layers.map((j) => layers[j].index).join(','),
              },
            }),
          );
        }
        return found;
      },
      report: (): UpdateRatioReport => {
        const records: UpdateRatioRecord[] = history.records(['ratio', 'updateNorm', 'weightNorm'], layers.length);
        return { layers, history: records };
      },
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'update-ratio': typeof options;
  }
}
