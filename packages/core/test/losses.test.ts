import { describe, expect, it } from 'vitest';
import { accuracy, getLoss, LOSS_IDS, type LossId } from '../src/losses.ts';
import { createRng } from '../src/rng.ts';

const f64 = (...v: number[]) => new Float64Array(v);
const grad = (id: LossId, pred: Float64Array, target: Float64Array, rows: number, cols: number) => {
  const out = new Float64Array(rows * cols);
  getLoss(id).gradient(pred, target, rows, cols, out);
  return Array.from(out);
};

describe('mse', () => {
  it('averages squared errors over rows and columns', () => {
    const pred = f64(1, 2, 3, 4);
    const target = f64(0, 2, 5, 4);
    expect(getLoss('mse').value(pred, target, 2, 2)).toBe((1 + 0 + 4 + 0) / 4);
    expect(grad('mse', pred, target, 2, 2)).toEqual([(2 * 1) / 4, 0, (2 * -2) / 4, 0]);
  });
});

describe('mse-sum (PyTorch MSELoss(reduction="sum"))', () => {
  it('sums squared errors over rows and columns, gradient 2(ŷ − y)', () => {
    const pred = f64(1, 2, 3, 4);
    const target = f64(0, 2, 5, 4);
    expect(getLoss('mse-sum').value(pred, target, 2, 2)).toBe(1 + 0 + 4 + 0);
    expect(grad('mse-sum', pred, target, 2, 2)).toEqual([2, 0, -4, 0]);
  });

  it('is N·C times mse, value and gradient', () => {
    const rng = createRng(3);
    const pred = Float64Array.from({ length: 12 }, () => rng.normal());
    const target = Float64Array.from({ length: 12 }, () => rng.normal());
    expect(getLoss('mse-sum').value(pred, target, 4, 3)).toBeCloseTo(12 * getLoss('mse').value(pred, target, 4, 3), 13);
    const sum = grad('mse-sum', pred, target, 4, 3);
    grad('mse', pred, target, 4, 3).forEach((g, i) => {
      expect(sum[i]).toBeCloseTo(12 * g, 14);
    });
  });
});

describe('bce from logits', () => {
  // Naive reference: −y·log σ(s) − (1 − y)·log(1 − σ(s)), fine for moderate s.
  const naive = (s: number, y: number) => {
    const p = 1 / (1 + Math.exp(-s));
    return -y * Math.log(p) - (1 - y) * Math.log(1 - p);
  };

  it('equals the naive formula for moderate logits, with gradient (σ(s) − y)/N', () => {
    const s = [0, 2, -3, 0.5];
    const y = [1, 0, 1, 0.3];
    const value = getLoss('bce').value(f64(...s), f64(...y), 4, 1);
    expect(value).toBeCloseTo(
      (Math.log(2) + Math.log(1 + Math.exp(2)) + Math.log(1 + Math.exp(3)) + naive(0.5, 0.3)) / 4,
      14,
    );
    const g = grad('bce', f64(...s), f64(...y), 4, 1);
    s.forEach((si, i) => {
      expect(g[i]).toBeCloseTo((1 / (1 + Math.exp(-si)) - y[i]) / 4, 15);
    });
  });

  it('is finite and exact at s = ±1000, where the naive formula gives Infinity or NaN', () => {
    const s = f64(1000, 1000, -1000, -1000);
    const y = f64(0, 1, 1, 0);
    expect(naive(1000, 0)).toBe(Number.POSITIVE_INFINITY); // the reason for the stable form
    // Exactly: ℓ(1000, 0) = 1000, ℓ(1000, 1) = log(1 + e^−1000) = 0 in float64, and symmetrically.
    expect(getLoss('bce').value(s, y, 4, 1)).toBe((1000 + 0 + 1000 + 0) / 4);
    expect(grad('bce', s, y, 4, 1)).toEqual([1 / 4, 0, -1 / 4, 0]);
    expect(getLoss('bce').value(f64(-745.2), f64(1), 1, 1)).toBe(745.2);
  });
});

describe('softmax cross-entropy from logits', () => {
  it('is log Σ e^s − s_target for one-hot rows, with gradient (softmax − y)/N', () => {
    const s = f64(1, 2, 3, 0, 0, 0);
    const y = f64(0, 0, 1, 1, 0, 0);
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    expect(getLoss('softmax-ce').value(s, y, 2, 3)).toBeCloseTo((lse - 3 + Math.log(3)) / 2, 14);
    const g = grad('softmax-ce', s, y, 2, 3);
    const p = [Math.exp(1 - lse), Math.exp(2 - lse), Math.exp(3 - lse)];
    expect(g[0]).toBeCloseTo(p[0] / 2, 15);
    expect(g[1]).toBeCloseTo(p[1] / 2, 15);
    expect(g[2]).toBeCloseTo((p[2] - 1) / 2, 15);
    expect(g[3]).toBeCloseTo((1 / 3 - 1) / 2, 15);
    expect(g[4]).toBeCloseTo(1 / 3 / 2, 15);
  });

  it('stays finite and shift-invariant with logits around 1000', () => {
    const small = getLoss('softmax-ce').value(f64(0, 1, 2), f64(0, 1, 0), 1, 3);
    const large = getLoss('softmax-ce').value(f64(1000, 1001, 1002), f64(0, 1, 0), 1, 3);
    expect(large).toBeCloseTo(small, 12);
    // A confidently wrong prediction costs exactly the logit gap.
    expect(getLoss('softmax-ce').value(f64(1000, 0), f64(0, 1), 1, 2)).toBe(1000);
    const g = grad('softmax-ce', f64(1000, 0), f64(0, 1), 1, 2);
    expect(g).toEqual([1, -1]);
  });
});

describe('gradients against central finite differences', () => {
  const rng = createRng('loss-fd');
  const cases: { id: LossId; target: (r: number, c: number, cols: number) => number }[] = [
    { id: 'mse', target: () => rng.normal() },
    { id: 'mse-sum', target: () => rng.normal() },
    { id: 'bce', target: () => rng.next() }, // soft labels in [0, 1)
    { id: 'softmax-ce', target: () => rng.next() }, // soft, unnormalized rows: Σy ≠ 1
  ];
  it.each(cases)('$id', ({ id, target }) => {
    const rows = 3;
    const cols = 4;
    const pred = Float64Array.from({ length: rows * cols }, () => 3 * rng.normal());
    const y = Float64Array.from({ length: rows * cols }, (_, i) => target(Math.floor(i / cols), i % cols, cols));
    const analytic = grad(id, pred, y, rows, cols);
    const h = 1e-6;
    for (let i = 0; i < pred.length; i++) {
      const saved = pred[i];
      pred[i] = saved + h;
      const plus = getLoss(id).value(pred, y, rows, cols);
      pred[i] = saved - h;
      const minus = getLoss(id).value(pred, y, rows, cols);
      pred[i] = saved;
      const numeric = (plus - minus) / (2 * h);
      expect(Math.abs(analytic[i] - numeric)).toBeLessThan(1e-8 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('covers every loss id', () => {
    expect([...LOSS_IDS].sort()).toEqual(cases.map((c) => c.id).sort());
  });
});

describe('accuracy', () => {
  it('thresholds logits at 0 for bce', () => {
    // logits 2 (→1), −1 (→0), 0 (→1, σ(0) = 0.5 counts as 1), −3 (→0)
    expect(accuracy('bce', f64(2, -1, 0, -3), f64(1, 1, 1, 0), 4, 1)).toBe(3 / 4);
  });

  it('takes the arg-max for softmax-ce', () => {
    const pred = f64(0.1, 0.7, 0.2, 5, 1, 1);
    expect(accuracy('softmax-ce', pred, f64(0, 1, 0, 0, 0, 1), 2, 3)).toBe(1 / 2);
  });
});
