import type { Progress } from '@gradlab/core';
import type { Stream } from '../term.ts';
import { progressBar } from './bars.ts';
import { formatDuration, formatNumber } from './numbers.ts';

export interface ProgressReporter {
  update(p: Progress): void;
  /** Clear the live line (TTY) before other output. */
  done(): void;
}

const describe = (p: Progress) =>
  `step ${p.step}/${p.totalSteps}  loss ${formatNumber(p.loss, 4)}  ${formatNumber(p.stepsPerSecond)} steps/s  ` +
  `${formatDuration(p.etaSeconds)} left`;

/**
 * On a terminal: one live line, redrawn in place (`\r`), with a bar, step/total, loss,
 * steps/s and time left. Elsewhere (pipes, CI logs): a plain line at each tenth of the run,
 * so logs stay short. `quiet` prints nothing.
 */
export function createProgress(stream: Stream, mode: 'live' | 'lines' | 'quiet'): ProgressReporter {
  let lastTenth = 0;
  let drawn = false;
  return {
    update(p) {
      if (mode === 'quiet' || p.totalSteps === 0) return;
      if (mode === 'live') {
        const width = Math.max(20, (stream.columns || 80) - 1);
        const line = `${progressBar(p.step / p.totalSteps, 20)} ${describe(p)}`;
        stream.write(`\r${line.slice(0, width).padEnd(width)}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((10 * p.step) / p.totalSteps);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${describe(p)}\n`);
      }
    },
    done() {
      if (drawn) stream.write(`\r${' '.repeat(Math.max(20, (stream.columns || 80) - 1))}\r`);
      drawn = false;
    },
  };
}
