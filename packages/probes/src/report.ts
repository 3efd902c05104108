/** The versioned report of {@link runProbe}: types, CSV export and its JSON Schema. */
import type { Finding, LoosePluginRef } from '@gradlab/plugin-api';
import type { Num } from './report-numbers.ts';

export const REPORT_SCHEMA_ID = 'gradlab/probe-report@1';

export interface ProbeReportLayer {
  readonly index: number;
  /** 'output' for the final linear layer; ratios span the hidden layers only. */
  readonly role: 'hidden' | 'output';
  readonly units: number;
  readonly activation: string;
  /** ‖∂L/∂z_l‖_F over the batch. */
  readonly deltaNorm: Num;
  /** ‖∂L/∂W_l‖_F. */
  readonly gradNorm: Num;
  readonly biasGradNorm: Num;
  /** Mean and (population) std of a = f(z) over batch × units. */
  readonly activationMean: Num;
  readonly activationStd: Num;
  readonly preactivationMean: Num;
  readonly preactivationStd: Num;
  /** Derivative-based saturation: fraction of batch × units with |f′(z)| < 0.01 · max |f′|. */
  readonly saturation: Num;
  /**
   * Value-based saturation: fraction of batch × units with |tanh z| > 0.97 (σ(z) outside
   * [0.03, 0.97] for sigmoid); null for activations without that convention.
   */
  readonly saturationValue: Num;
  /** Fraction of units with f′(z) = 0 on every row of the batch. */
  readonly dead: Num;
  /** ‖ΔW‖_F/‖W‖_F of the measured step's update. */
  readonly updateRatio: Num;
}

/** The measured side of the theory comparison, present whether or not the theory applies. */
export interface TheoryMeasured {
  readonly deltaFirstLast: Num;
  /** Geometric mean of the per-layer factor: deltaFirstLast^{1/k}. */
  readonly perLayerFactor: Num;
}

/** The mean-field prediction: `applicable` tells which member, so `if (theory.applicable)` narrows. */
export type TheoryReport = ApplicableTheory | InapplicableTheory;

export interface ApplicableTheory {
  readonly applicable: true;
  readonly reason?: undefined;
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  readonly biasMean: number;
  readonly inputVariance: number;
  /** Predicted pre-activation variance q_l and χ(q_l) per hidden layer. */
  readonly q: Num[];
  readonly chi: Num[];
  /** Fixed point of the variance map; null when infinite (see qStarStatus). */
  readonly qStar: Num;
  readonly qStarStatus: 'zero' | 'finite' | 'infinite';
  readonly chi1: Num;
  /** 1/|ln χ₁| layers; null when infinite (χ₁ = 1, regime 'critical'). */
  readonly depthScale: Num;
  readonly regime: 'vanishing' | 'critical' | 'exploding';
  readonly predicted: {
    /** Π_{l<last} √χ(q_l): the finite-depth prediction of deltaFirstLast. */
    readonly deltaFirstLast: Num;
    /** χ₁^{k/2} with k = last − first. */
    readonly deltaFirstLastAtFixedPoint: Num;
    /** deltaFirstLast^{1/k}. */
    readonly perLayerFactor: Num;
    /** √χ₁. */
    readonly perLayerFactorAtFixedPoint: Num;
  };
  readonly measured: TheoryMeasured;
}

/**
 * The initializer declares no variance or a non-zero mean: only the measurement and the reason.
 * The prediction fields are declared `undefined` so `theory.predicted?.…` reads either member.
 */
export interface InapplicableTheory {
  readonly applicable: false;
  readonly reason: string;
  readonly sigmaW2?: undefined;
  readonly sigmaB2?: undefined;
  readonly biasMean?: undefined;
  readonly inputVariance?: undefined;
  readonly q?: undefined;
  readonly chi?: undefined;
  readonly qStar?: undefined;
  readonly qStarStatus?: undefined;
  readonly chi1?: undefined;
  readonly depthScale?: undefined;
  readonly regime?: undefined;
  readonly predicted?: undefined;
  readonly measured: TheoryMeasured;
}

export interface ProbeReport {
  readonly schema: typeof REPORT_SCHEMA_ID;
  readonly setup: {
    readonly activation: LoosePluginRef;
    readonly initializer: LoosePluginRef;
    readonly depth: number;
    readonly width: number;
    readonly batch: number;
    readonly seed: number;
    readonly gain: number;
    readonly biasInit: number;
    readonly steps: number;
    readonly optimizer: string;
    readonly lr: number;
    readonly checks: 'strict' | 'off';
    readonly loss: 'mse';
    readonly data: 'gaussian';
    readonly dtype: 'float64';
  };
  /** The measured step: its gradients are at the parameters before its update. */
  readonly step: number;
  readonly loss: Num;
  readonly layers: ProbeReportLayer[];
  /** ‖∂L/∂z_l‖_F per layer, output layer last (the same numbers as `layers[l].deltaNorm`). */
  readonly deltaNorm: Num[];
  /** ‖∂L/∂W_l‖_F per layer, output layer last (the same numbers as `layers[l].gradNorm`). */
  readonly gradNorm: Num[];
  /** x[first]/x[last] over the hidden layers (first = 0, last = depth − 1). */
  readonly ratios: {
    readonly span: 'hidden';
    readonly first: number;
    readonly last: number;
    readonly deltaFirstLast: Num;
    readonly gradFirstLast: Num;
    readonly biasGradFirstLast: Num;
  };
  readonly globalGradNorm: Num;
  readonly theory: TheoryReport;
  /** Findings of the measured step (and of the run's end). */
  readonly findings: Finding[];
  /** With steps > 0: findings of earlier (warm-up) steps, each with its own step; not the measured step's state. */
  readonly warmupFindings?: Finding[];
  readonly stopped?: { readonly code: string; readonly step: number; readonly message: string };
}

const CSV_COLUMNS = [
  'index',
  'role',
  'units',
  'activation',
  'deltaNorm',
  'gradNorm',
  'biasGradNorm',
  'activationMean',
  'activationStd',
  'preactivationMean',
  'preactivationStd',
  'saturation',
  'saturationValue',
  'dead',
  'updateRatio',
] as const satisfies readonly (keyof ProbeReportLayer)[];

const cell = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/**
 * One CSV row per layer (the columns of {@link ProbeReportLayer}, then the mean-field
 * `predictedChi` of hidden layers); empty cells are non-finite or not applicable.
 */
export function toCSV(report: ProbeReport): string {
  const header = [...CSV_COLUMNS, 'predictedChi'].join(',');
  const rows = report.layers.map((l, i) =>
    [...CSV_COLUMNS.map((c) => cell(l[c])), cell(l.role === 'hidden' ? report.theory.chi?.[i] : null)].join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}
