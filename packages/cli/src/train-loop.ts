import type { EpochRecord, Progress, Session, StopReason } from '@gradlab/core';

export type RunStatus = 'completed' | 'interrupted' | 'stopped';

export interface LoopResult {
  readonly status: RunStatus;
  readonly steps: number;
  readonly losses: readonly number[];
  readonly epochs: readonly EpochRecord[];
  readonly elapsedMs: number;
  readonly stopped?: StopReason;
}

export interface LoopOptions {
  readonly onProgress?: (p: Progress) => void;
  /** Least time between progress reports. */
  readonly everyMs?: number;
  /** Checked between steps; true ends the run after the current step. */
  readonly shouldStop?: () => boolean;
  /** Longest stretch of synchronous stepping before yielding to the event loop (so Ctrl-C is seen). */
  readonly sliceMs?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Step a session to its end, yielding to the event loop every `sliceMs` so signals are
 * handled, and keep the same history as `Session.run()`: the loss of every finite step and
 * one record per epoch (mean training loss, then test loss and accuracy on the held-out rows,
 * evaluated after the epoch's last step). A partial last epoch gets a record too.
 */
export async function trainLoop(session: Session, options: LoopOptions = {}): Promise<LoopResult> {
  const { everyMs = 100, sliceMs = 40 } = options;
  const stepsPerEpoch = Math.ceil(session.trainData.rows / session.spec.train.batchSize);
  const losses: number[] = [];
  const epochs: EpochRecord[] = [];
  let epochLossSum = 0;
  let epochSteps = 0;
  let lastLoss = Number.NaN;
  const started = performance.now();
  let lastReport = Number.NEGATIVE_INFINITY;

  const closeEpoch = () => {
    const test = session.testData.rows ? session.evaluate('test') : undefined;
    epochs.push({
      epoch: epochs.length,
      step: session.stepCount,
      trainLoss: epochSteps ? epochLossSum / epochSteps : Number.NaN,
      ...(test ? { testLoss: test.loss } : {}),
      ...(test?.accuracy !== undefined ? { testAccuracy: test.accuracy } : {}),
    });
    epochLossSum = 0;
    epochSteps = 0;
  };
  const report = (force: boolean) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastReport < everyMs)) return;
    lastReport = now;
    const elapsedMs = now - started;
    const rate = session.stepCount / Math.max(elapsedMs / 1000, 1e-9);
    options.onProgress({
      step: session.stepCount,
      totalSteps: session.totalSteps,
      epoch: session.epoch,
      loss: lastLoss,
      elapsedMs,
      stepsPerSecond: rate,
      etaSeconds: (session.totalSteps - session.stepCount) / rate,
    });
  };

  let interrupted = false;
  while (session.stepCount < session.totalSteps && !session.stopped) {
    const sliceEnd = performance.now() + sliceMs;
    do {
      if (session.stepCount > 0 && session.stepCount % stepsPerEpoch === 0 && epochSteps > 0) closeEpoch();
      const { loss } = session.step();
      if (Number.isFinite(loss)) {
        losses.push(loss);
        lastLoss = loss;
        epochLossSum += loss;
        epochSteps++;
      }
    } while (session.stepCount < session.totalSteps && !session.stopped && performance.now() < sliceEnd);
    report(false);
    await yieldToEventLoop();
    if (options.shouldStop?.()) {
      interrupted = session.stepCount < session.totalSteps && !session.stopped;
      break;
    }
  }
  if (!session.stopped && epochSteps > 0) closeEpoch();
  report(true);
  return {
    status: session.stopped ? 'stopped' : interrupted ? 'interrupted' : 'completed',
    steps: session.stepCount,
    losses,
    epochs,
    elapsedMs: performance.now() - started,
    ...(session.stopped ? { stopped: session.stopped } : {}),
  };
}
