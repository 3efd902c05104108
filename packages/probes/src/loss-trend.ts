import { defineProbe, type StepTrace } from '@gradlab/plugin-api';
import { finding, NO_FINDINGS, Persistence } from './alarms.ts';
import { HINTS } from './hints.ts';
import { History } from './history.ts';
import { patienceOption, windowOption } from './probe-options.ts';
import { fmt, type Num, num } from './report-numbers.ts';

const options = {
  factor: {
    type: 'number',
    default: 10,
    min: 1,
    description: 'LOSS_DIVERGING when the loss is above this many times the loss of the first step, and rising.',
  },
  patience: patienceOption(1),
  window: windowOption,
} as const;

export interface LossTrendRecord {
  readonly step: number;
  readonly loss: Num;
  /** loss / loss of the first step. */
  readonly relative: Num;
}

export interface LossTrendReport {
  readonly factor: number;
  readonly firstLoss: Num;
  readonly history: LossTrendRecord[];
}

/**
 * `loss-trend`: training that makes the loss grow far above where it started is diverging (a
 * learning rate too high for the curvature). The first step's loss is the reference: gradient
 * descent that works never goes 10× above it, even on noisy minibatches.
 */
export default defineProbe({
  meta: {
    id: 'loss-trend',
    title: 'Loss trend',
    summary: 'The loss relative to its first value, to catch training that diverges before it overflows.',
    emits: ['LOSS_DIVERGING'],
    cost: 'cheap',
  },
  options,
  create: (o) => {
    // Row: step, loss, loss / first loss.
    const history = new History(o.window);
    const diverging = new Persistence(o.patience);
    let first = Number.NaN;
    let previous = Number.NaN;
    return {
      onStep(trace: StepTrace) {
        if (history.width !== 3) history.reset(3);
        const loss = trace.loss;
        if (Number.isNaN(first)) first = loss;
        const relative = loss / first;
        const row = history.push();
        const at = row * 3;
        history.data[at] = trace.step;
        history.data[at + 1] = loss;
        history.data[at + 2] = relative;
        // Rising and far above the start; a non-finite loss is nan-watch's finding.
        const rising = Number.isFinite(loss) && first > 0 && relative > o.factor && loss > previous;
        previous = loss;
        if (!diverging.update(rising)) return NO_FINDINGS;
        return [
          finding({
            code: 'LOSS_DIVERGING',
            severity: 'error',
            step: trace.step,
            message: `The loss is ${fmt(loss)} at step ${trace.step}, ${fmt(relative)} × its first value ${fmt(first)} (limit ${fmt(o.factor)}×), and still rising: training is diverging.`,
            hint: HINTS.diverging,
            evidence: { loss, firstLoss: first, relative, factor: o.factor },
          }),
        ];
      },
      report: (): LossTrendReport => {
        const records: LossTrendRecord[] = [];
        for (let i = 0; i < history.length; i++) {
          const at = history.row(i) * 3;
          const d = history.data;
          records.push({ step: d[at], loss: num(d[at + 1]), relative: num(d[at + 2]) });
        }
        return { factor: o.factor, firstLoss: num(first), history: records };
      },
    };
  },
});

declare module '@gradlab/plugin-api' {
  interface ProbeRegistry {
    'loss-trend': typeof options;
  }
}
