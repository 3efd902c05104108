import { math } from '@gradlab/plugin-api';
/**
 * Losses, averaged (all but `mse-sum`) so that the loss does not grow with the batch. `value` reads predictions
 * (logits for the cross-entropies) and targets of shape rows × cols; `gradient` writes ∂L/∂pred.
 */
export interface Loss {
  readonly id: LossId;
  value(pred: Float64Array, target: Float64Array, rows: number, cols: number): number;
  gradient(pred: Float64Array, target: Float64Array, rows: number, cols: number, out: Float64Array): void;
}

export type LossId = 'mse' | 'mse-sum' | 'bce' | 'softmax-ce';
export const LOSS_IDS: readonly LossId[] = ['mse', 'mse-sum', 'bce', 'softmax-ce'];

/** L = (1/(N·C)) Σ (ŷ − y)²;  ∂L/∂ŷ = 2(ŷ − y)/(N·C). */
const mse: Loss = {
  id: 'mse',
  value(pred, target, rows, cols) {
    let s = 0;
    for (let i = 0; i < rows * cols; i++) s += (pred[i] - target[i]) ** 2;
    return s / (rows * cols);
  },
  gradient(pred, target, rows, cols, out) {
    const k = 2 / (rows * cols);
    for (let i = 0; i < rows * cols; i++) out[i] = k * (pred[i] - target[i]);
  },
};

/** Sum-reduced (PyTorch `MSELoss(reduction='sum')`): L = Σ (ŷ − y)²;  ∂L/∂ŷ = 2(ŷ − y). Grows with the batch. */
const mseSum: Loss = {
  id: 'mse-sum',
  value(pred, target, rows, cols) {
    let s = 0;
    for (let i = 0; i < rows * cols; i++) s += (pred[i] - target[i]) ** 2;
    return s;
  },
  gradient(pred, target, rows, cols, out) {
    for (let i = 0; i < rows * cols; i++) out[i] = 2 * (pred[i] - target[i]);
  },
};

/**
 * Binary cross-entropy from logits s, in the overflow-free form
 *   ℓ = max(s, 0) − s·y + log(1 + e^(−|s|)),  L = mean ℓ;  ∂L/∂s = (σ(s) − y)/(N·C).
 */
const bce: Loss = {
  id: 'bce',
  value(pred, target, rows, cols) {
    let s = 0;
    for (let i = 0; i < rows * cols; i++) {
      const x = pred[i];
      s += Math.max(x, 0) - x * target[i] + math.log1p(math.exp(-Math.abs(x)));
    }
    return s / (rows * cols);
  },
  gradient(pred, target, rows, cols, out) {
    const k = 1 / (rows * cols);
    for (let i = 0; i < rows * cols; i++) out[i] = k * (sigmoid(pred[i]) - target[i]);
  },
};

/**
 * Softmax cross-entropy from logits, per row: ℓ = logΣ_c e^(s_c) − Σ_c y_c s_c (log-sum-exp
 * shifted by the row max), L = mean over rows;  ∂L/∂s = (softmax(s) − y)/N.
 * Targets are one-hot rows (or any probability rows).
 */
const softmaxCe: Loss = {
  id: 'softmax-ce',
  value(pred, target, rows, cols) {
    let s = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      const lse = logSumExp(pred, o, cols);
      for (let c = 0; c < cols; c++) s += target[o + c] * (lse - pred[o + c]);
    }
    return s / rows;
  },
  gradient(pred, target, rows, cols, out) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      const lse = logSumExp(pred, o, cols);
      let mass = 0;
      for (let c = 0; c < cols; c++) mass += target[o + c];
      // Σ_c y_c may differ from 1 for soft targets; the general gradient is (mass·softmax − y)/N.
      for (let c = 0; c < cols; c++) out[o + c] = (mass * math.exp(pred[o + c] - lse) - target[o + c]) / rows;
    }
  },
};

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + math.exp(-x));
  const e = math.exp(x);
  return e / (1 + e);
}

function logSumExp(a: Float64Array, offset: number, n: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < n; c++) max = Math.max(max, a[offset + c]);
  if (!Number.isFinite(max)) return max;
  let s = 0;
  for (let c = 0; c < n; c++) s += math.exp(a[offset + c] - max);
  return max + math.log(s);
}

const LOSSES: Record<LossId, Loss> = { mse, 'mse-sum': mseSum, bce, 'softmax-ce': softmaxCe };
export function getLoss(id: LossId): Loss {
  return LOSSES[id];
}

/** Fraction of rows classified correctly: threshold 0.5 on σ(s) for bce, arg-max for softmax-ce. */
export function accuracy(lossId: LossId, pred: Float64Array, target: Float64Array, rows: number, cols: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (lossId === 'bce') {
      let ok = true;
      for (let c = 0; c < cols; c++) ok &&= pred[o + c] >= 0 === target[o + c] >= 0.5;
      if (ok) correct++;
    } else {
      let best = 0;
      let want = 0;
      for (let c = 1; c < cols; c++) {
        if (pred[o + c] > pred[o + best]) best = c;
        if (target[o + c] > target[o + want]) want = c;
      }
      if (best === want) correct++;
    }
  }
  return correct / rows;
}
