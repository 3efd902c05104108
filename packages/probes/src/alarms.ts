/**
 * How a probe turns per-step conditions into findings: persistence with hysteresis, one finding per
 * code per step naming the worst layer, and evidence that survives JSON.
 */
import type { Finding, FindingCode } from '@gradlab/plugin-api';
import type { LayerInfo } from './layer-info.ts';

/**
 * Fires once when a condition has held on `patience` consecutive steps, then stays quiet until
 * the condition clears (hysteresis), so a persisting problem gives one finding, not one per step.
 */
export class Persistence {
  private run = 0;
  private fired = false;
  private readonly patience: number;
  constructor(patience: number) {
    this.patience = Math.max(1, patience);
  }
  /** Record this step; true exactly on the step the finding should be emitted. */
  update(condition: boolean): boolean {
    if (!condition) {
      this.run = 0;
      this.fired = false;
      return false;
    }
    this.run++;
    if (this.fired || this.run < this.patience) return false;
    this.fired = true;
    return true;
  }
  /** Consecutive steps the condition has held. */
  get steps(): number {
    return this.run;
  }
}

/**
 * Update one alarm per layer; of the layers whose alarm fired this step, pick the worst
 * (largest or smallest value). Probes emit one finding per code per step, naming the worst
 * layer and listing the others, so a sick 20-layer net gives one line, not twenty.
 */
export function fire(
  alarms: readonly Persistence[],
  conditions: ArrayLike<boolean | number>,
  values: ArrayLike<number>,
  worst: 'max' | 'min',
): { layers: number[]; worst: number } | undefined {
  let fired: number[] | undefined;
  for (let k = 0; k < conditions.length; k++) if (alarms[k].update(Boolean(conditions[k]))) (fired ??= []).push(k);
  if (fired === undefined) return undefined;
  const sign = worst === 'max' ? 1 : -1;
  return { layers: fired, worst: fired.reduce((a, b) => (sign * values[b] > sign * values[a] ? b : a)) };
}

/** " (also layers 3, 4)" for the other layers of a grouped finding, or "". */
export const alsoLayers = (positions: readonly number[], worst: number, layers: readonly LayerInfo[]): string => {
  const others = positions.filter((k) => k !== worst).map((k) => layers[k].index);
  return others.length ? ` (also layer${others.length > 1 ? 's' : ''} ${others.join(', ')})` : '';
};

/** What `onStep` returns on the (usual) steps without findings: one shared empty array. */
export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** Evidence values must survive JSON: non-finite numbers become strings ("NaN", "Infinity"). */
export function finding(f: {
  code: FindingCode;
  severity: Finding['severity'];
  step: number;
  layer?: number;
  message: string;
  hint?: string;
  evidence: Record<string, number | string>;
}): Finding {
  const evidence: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(f.evidence))
    evidence[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  return { ...f, evidence };
}
