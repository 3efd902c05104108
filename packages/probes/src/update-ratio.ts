import { defineProbe, type Finding, type StepTrace } from '@gradlab/plugin-api';
import { HINTS } from './hints.ts';
import {
  alsoLayers,
  finding,
  fire,
  fmt,
  frobenius,
  type LayerInfo,
  layerInfo,
  type Num,
  num,
  Persistence,
  Window,
  windowOption,
} from './util.ts';

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
    const history = new Window<UpdateRatioRecord>(o.window);
    let layers: LayerInfo[] = [];
    let tooHigh: Persistence[] = [];
    let tooLow: Persistence[] = [];
    return {
      needs: ['updates'],
      onStep(trace: StepTrace) {
        const ls = trace.layers;
        if (layers.length !== ls.length) {
          layers = ls.map(layerInfo);
          tooHigh = ls.map(() => new Persistence(o.patience));
          tooLow = ls.map(() => new Persistence(o.patience));
        }
        const update = ls.map((l) => (l.updateW ? frobenius(l.updateW) : Number.NaN));
        const weight = ls.map(({ W, updateW: u }) => {
          if (!u) return Number.NaN;
          let s = 0;
          for (let i = 0; i < W.length; i++) {
            const w = W[i] - u[i];
            s += w * w;
          }
          return Math.sqrt(s);
        });
        const ratio = update.map((u, k) => u / weight[k]);
        history.push({
          step: trace.step,
          ratio: ratio.map(num),
          updateNorm: update.map(num),
          weightNorm: weight.map(num),
        });
        const moved = update.some((u) => u > 0);
        const found: Finding[] = [];
        for (const [dir, alarms] of [
          ['high', tooHigh],
          ['low', tooLow],
        ] as const) {
          const high = dir === 'high';
          const out = ratio.map((r) => moved && (high ? r > o.high : r < o.low));
          const hit = fire(alarms, out, ratio, high ? 'max' : 'min');
          if (!hit) continue;
          const k = hit.worst;
          const r = ratio[k];
          const limit = high ? o.high : o.low;
          found.push(
            finding({
              code: 'UPDATE_RATIO',
              severity: 'warn',
              step: trace.step,
              layer: layers[k].index,
              message: `‖ΔW‖/‖W‖ of layer ${layers[k].index}${alsoLayers(hit.layers, k, layers)} is ${fmt(r)} (log10 ${fmt(Math.log10(r))}), ${high ? 'above' : 'below'} ${fmt(limit)} for ${alarms[k].steps} step(s); a healthy ratio is about 1e-3. ${high ? 'Steps this large overwrite what the layer learned.' : 'Steps this small leave the layer where it started.'}`,
              hint: high ? HINTS.updateHigh : HINTS.updateLow,
              evidence: {
                ratio: r,
                updateNorm: update[k],
                weightNorm: weight[k],
                threshold: limit,
                steps: alarms[k].steps,
                layers: hit.layers.map((j) => layers[j].index).join(','),
              },
            }),
          );
        }
        return found;
      },
      report: (): UpdateRatioReport => ({ layers, history: history.toArray() }),
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'update-ratio': typeof options;
  }
}
