/**
 * Page 12's views: the gradient check (relative error per layer against CS231n's bands, and the scale
 * of the gradient against the absolute error), the sanity loss against ln C, and doctor's fixes.
 */
import type { DoctorResult } from './doctor-job.ts';
import type { GradcheckResult } from './gradcheck-job.ts';
import type { SanityResult } from './sanity-job.ts';
import { COLORS, fmt, type ViewData } from './views.ts';

/** CS231n's bands for the relative error of a gradient check. */
export const BANDS = { wrong: 1e-2, uneasy: 1e-4, good: 1e-7 } as const;

export function band(rel: number | null): string {
  if (rel === null) return 'not finite';
  if (rel > BANDS.wrong) return 'probably wrong (> 1e-2)';
  if (rel > BANDS.uneasy) return 'uneasy (1e-4 … 1e-2)';
  if (rel > BANDS.good) return 'fine with kinks, high without (1e-7 … 1e-4)';
  return 'good (< 1e-7)';
}

export function gradcheckView(r: GradcheckResult, scale: boolean): ViewData {
  const x = r.relError.map((_, i) => i + 1);
  const flat = (v: number) => x.map(() => v);
  const xLabel = `layer (1 = first hidden, ${x.length} = output)`;
  const worst = r.relError.reduce<{ i: number; v: number }>((w, v, i) => (v !== null && v > w.v ? { i, v } : w), {
    i: 0,
    v: -1,
  });
  const kinks = r.kinksCrossed.reduce((a, b) => a + b, 0);
  const how = `h = ${fmt(r.h)}${r.float32 ? ', loss rounded to float32' : ', float64'}`;
  if (scale)
    return {
      x,
      xLabel,
      yLabel: 'gradient size, error (log)',
      log: true,
      series: [
        { label: '|∂L/∂W| of the checked entries (median)', values: r.gradMagnitude, color: COLORS[0], points: true },
        { label: 'absolute error |a − n| (max)', values: r.absError, color: COLORS[1], dash: [6, 4], points: true },
      ],
      summary: `At layer 1 the checked gradient entries are about ${fmt(r.gradMagnitude[0])} and the finite difference is off by up to ${fmt(r.absError[0])}; at the output layer ${fmt(r.gradMagnitude[x.length - 1])} and ${fmt(r.absError[x.length - 1])} (${how}).`,
      caption: `Size of the gradient entries checked per layer and the largest absolute error of the centred difference (${how}), log scale.`,
    };
  return {
    x,
    xLabel,
    yLabel: 'relative error',
    log: true,
    series: [
      {
        label: 'relative error |a − n| / max(|a|, |n|) (worst entry)',
        values: r.relError,
        color: COLORS[0],
        points: true,
      },
      { label: '1e-2: above, probably wrong', values: flat(BANDS.wrong), color: COLORS[1], dash: [6, 4] },
      { label: '1e-4: above, uneasy', values: flat(BANDS.uneasy), color: COLORS[4], dash: [2, 3] },
      { label: '1e-7: below, good', values: flat(BANDS.good), color: COLORS[2], dash: [8, 3] },
    ],
    summary: `Worst relative error: ${fmt(worst.v)} at layer ${worst.i + 1}, ${band(worst.v < 0 ? null : worst.v)}; ${kinks} checked ${kinks === 1 ? 'entry crosses' : 'entries cross'} a kink of the activation (${how}). Loss at initialization ${fmt(r.loss)}.`,
    caption: `Gradient check: the engine's backpropagated ∂L/∂W against centred differences of its loss, ${6} entries per layer (${how}); dashed lines: CS231n's bands. Log scale.`,
  };
}

export function sanityView(r: SanityResult): ViewData {
  return {
    x: r.gains,
    xLabel: 'output-layer weight gain',
    yLabel: 'loss at initialization',
    log: true,
    xLog: true,
    series: [
      { label: 'softmax cross-entropy at initialization (measured)', values: r.loss, color: COLORS[0], points: true },
      {
        label: `ln C = ln ${r.classes} (no information)`,
        values: r.gains.map(() => r.chanceLoss),
        color: COLORS[1],
        dash: [6, 4],
      },
    ],
    summary: `With ${r.classes} classes a classifier that knows nothing should start at ln ${r.classes} = ${fmt(r.chanceLoss)}. Output gain ${fmt(r.gains[0])}: ${fmt(r.loss[0])}; gain 1: ${fmt(r.loss[r.gains.indexOf(1)])}; gain ${fmt(r.gains[r.gains.length - 1])}: ${fmt(r.loss[r.loss.length - 1])}.`,
    caption: 'Loss at initialization against the scale of the output weights (log scales); dashed: ln C.',
  };
}

export function doctorView(r: DoctorResult): ViewData {
  const findings = r.findings.filter((f) => f.severity !== 'info');
  const fixes = r.fixes;
  const summary = findings.length
    ? `Findings: ${findings.map((f) => `${f.code} (${f.severity})`).join(', ')}. ${fixes
        .map(
          (f, i) =>
            `Fix ${i + 1}, ${f.change}: ${f.metric} ${fmt(f.before)} → ${fmt(f.after)}, ${f.cleared ? 'cleared' : `not cleared${f.remaining.length ? ` (still ${f.remaining.join(', ')})` : ''}`}.`,
        )
        .join(' ')}`
    : 'No warning or error findings: doctor has nothing to fix in this setup.';
  return {
    x: fixes.map((_, i) => i + 1),
    rowLabels: fixes.map((f, i) => `${i + 1}. ${f.code}: ${f.change} (${f.cleared ? 'cleared' : 'not cleared'})`),
    xLabel: 'fix tried',
    yLabel: 'the finding’s number (log)',
    log: true,
    series: [
      { label: 'before', values: fixes.map((f) => f.before), color: COLORS[1], bars: true },
      { label: 'after the fix (same seed)', values: fixes.map((f) => f.after), color: COLORS[0], points: true },
    ],
    summary,
    caption: `Each fix doctor tried, alone and with the same seed: the number that shows its finding (${[...new Set(fixes.map((f) => f.metric))].join(', ') || 'none'}) before and after, log scale.`,
  };
}
