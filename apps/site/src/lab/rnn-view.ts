/** The per-time-step view of page 11: ‖∂L/∂h_t‖ against t, beside the linear-RNN rate ρ^(T−t). */
import type { RnnTimeResult } from './rnn-job.ts';
import { COLORS, fmt, type ViewData } from './views.ts';

export function timeView(r: RnnTimeResult, findings = true): ViewData {
  const T = r.timeNorms.length;
  const x = r.timeNorms.map((_, t) => t + 1);
  const cut = r.firstStep > 1 ? ` Truncation: steps 1–${r.firstStep - 1} get no gradient at all (0, not drawn).` : '';
  let summary = `‖∂L/∂h_t‖ at step ${r.firstStep} is ${fmt(r.ratio)} × its value at the last step ${T}.${cut}`;
  if (findings && r.findings.length) summary += ` Findings: ${r.findings.join(', ')}.`;
  return {
    x,
    xLabel: `time step t (the output reads h_${T})`,
    yLabel: '‖∂L/∂h_t‖',
    log: true,
    series: [
      { label: 'measured ‖∂L/∂h_t‖', values: r.timeNorms, color: COLORS[0], points: true },
      { label: 'ρ^(T−t) × last step (linear RNN)', values: r.linearRate, color: COLORS[1], dash: [6, 4] },
    ],
    summary,
    caption:
      '‖∂L/∂h_t‖ per time step, Frobenius norm over the batch, log scale (one backward pass at initialization); dashed: the rate ρ^(T−t) of a linear RNN, anchored at the last step.',
  };
}
