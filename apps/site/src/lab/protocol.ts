/**
 * The typed protocol between a page and the lab worker. Everything here is plain data (structured
 * clone keeps float64 bits exactly), and shared by the worker, the page client, the build-time
 * render and the browser tests.
 */
import type { DoctorResult } from './doctor-job.ts';
import type { GradcheckResult } from './gradcheck-job.ts';
import type { PlaygroundResult } from './playground-job.ts';
import type { RnnTimeResult } from './rnn-job.ts';
import type { SanityResult } from './sanity-job.ts';

/** One widget's settings: control name → value. The jobs read the names they know (see jobs.ts). */
import type { TrainExtras } from './train-extras.ts';

export type Setting = Readonly<Record<string, number | string>>;

// Every kind is spelled out here: scripts/sizes.mjs reads this line to find each kind's worker chunks.
export type JobKind =
  | 'probe'
  | 'histogram'
  | 'train'
  | 'clip'
  | 'rnn-time'
  | 'gradcheck'
  | 'sanity'
  | 'doctor'
  | 'playground';
/** Jobs that stream progress (train-job.ts and the playground built on it): pause, resume, cancel. */
export const STREAMING_JOBS: readonly JobKind[] = ['train', 'playground'];
/**
 * Jobs that jobs.ts does not import (its chunk is loaded by every training page): the build runs them
 * from their own modules (build.ts), the worker loads each module on first use (worker-jobs.ts).
 */
export type SeparateJobKind = 'rnn-time' | 'gradcheck' | 'sanity' | 'doctor' | 'playground';

/** A finite number, or null where the engine produced NaN/±Infinity (JSON has no such values). */
export type Num = number | null;

export interface ProbeResult {
  readonly kind: 'probe';
  /** ‖∂L/∂z_l‖_F per layer, output layer last. */
  readonly deltaNorm: Num[];
  /** ‖∂L/∂W_l‖_F per layer. */
  readonly gradNorm: Num[];
  /** Mean-field prediction of ‖δ_l‖, anchored at the last hidden layer; null when the theory does not apply. */
  readonly predicted: Num[] | null;
  /** ‖δ‖ first/last hidden layer: measured, predicted; ‖∂L/∂W‖ first/last. */
  readonly ratio: Num;
  readonly predictedRatio: Num;
  readonly gradRatio: Num;
  /** Fraction of batch × units with |f′| < 1% of its maximum, per layer. */
  readonly saturation: Num[];
  /** Fraction of units with f′ = 0 on every row, per layer. */
  readonly dead: Num[];
  readonly preactivationStd: Num[];
  /** Mean-field std of z per hidden layer, √q_l (output layer null); null when the theory does not apply. */
  readonly predictedStd: Num[] | null;
  /** ‖ΔW_l‖/‖W_l‖ of the measured step's real update (optimizer and clipping included), per layer. */
  readonly updateRatio: Num[];
  readonly findings: string[];
  readonly spec: unknown;
}

export interface HistogramResult extends Omit<ProbeResult, 'kind'> {
  readonly kind: 'histogram';
  /**
   * Counts of z per hidden layer over [lo, hi] in equal bins (values outside are not counted), and
   * each layer's number of values (rows × units), so the words can say how many the chart leaves out.
   */
  readonly hist: { readonly lo: number; readonly hi: number; readonly counts: number[][]; readonly sizes: number[] };
  /** f′(x) of the activation at the bin centres, from the plugin's own code. */
  readonly derivative: number[];
}

export interface TrainResult extends TrainExtras {
  readonly kind: 'train';
  /** Per completed step: loss before the update, ‖δ‖ at the first and last hidden layer, dead fraction of
   * all hidden units, ‖ΔW‖/‖W‖ of the first hidden layer. */
  readonly loss: Num[];
  readonly deltaFirst: Num[];
  readonly deltaLast: Num[];
  readonly dead: Num[];
  /** Fraction of all hidden units with z ≤ 0 on every row (= dead for ReLU; for leaky ReLU: still off). */
  readonly inactive: Num[];
  readonly updateRatio: Num[];
  readonly totalSteps: number;
  readonly stopped: { readonly step: number; readonly message: string } | null;
  readonly findings: string[];
  readonly spec: unknown;
  /** A two-phase run (train-phases.ts): the step phase 2 starts at, and its spec (from phase 1's weights). */
  readonly phases?: { readonly switchStep: number; readonly spec2: unknown };
  /** Recurrent runs (page 11): ‖∂L/∂h_t‖ at the first back-propagated time step over the last, per step. */
  readonly timeRatio?: Num[];
  /** Recurrent runs: Var(y) of the training targets, the MSE of always predicting their mean. */
  readonly baseline?: number;
  /** Recurrent runs and runs with evalLoss "on", once finished: the loss on all training rows in evaluation mode after the last update (what `gradlab run` prints as "train loss"). */
  readonly evalLoss?: Num;
}

export interface ClipResult {
  readonly kind: 'clip';
  /** Clipping thresholds (value bound, or maximum global norm). */
  readonly thresholds: number[];
  /** Cosine between the raw gradient (all parameters as one vector) and the clipped one, per threshold. */
  readonly cosValue: Num[];
  readonly cosNorm: Num[];
  /** Per-tensor norm clipping and AGC (threshold = its ratio λ) at the same thresholds. */
  readonly cosTensor: Num[];
  readonly cosAdaptive: Num[];
  /** Fraction of gradient entries value clipping changed, per threshold. */
  readonly clippedFraction: Num[];
  readonly preNorm: Num;
  readonly spec: unknown;
}

export type { DoctorResult, GradcheckResult, PlaygroundResult, RnnTimeResult, SanityResult };
export type JobResult =
  | ProbeResult
  | HistogramResult
  | TrainResult
  | ClipResult
  | RnnTimeResult
  | GradcheckResult
  | SanityResult
  | DoctorResult
  | PlaygroundResult;

export type LabRequest =
  | { readonly type: 'run'; readonly id: number; readonly job: JobKind; readonly setting: Setting }
  | { readonly type: 'cancel' | 'pause' | 'resume'; readonly id: number };

export type LabResponse =
  | { readonly type: 'result'; readonly id: number; readonly computeMs: number; readonly result: JobResult }
  | { readonly type: 'progress'; readonly id: number; readonly result: TrainResult | PlaygroundResult }
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string }
  | { readonly type: 'cancelled'; readonly id: number };
