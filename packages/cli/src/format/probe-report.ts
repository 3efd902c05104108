import type { ProbeReport } from '@gradlab/probes';
import type { Style } from '../term.ts';
import { describeLogScale, logBar, logScale } from './bars.ts';
import { renderFindings } from './findings.ts';
import { formatNumber, formatPercent } from './numbers.ts';
import { renderTable } from './table.ts';

const n = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '–' : formatNumber(v, digits));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatPercent(v));
/** An initializer as `--init` writes it (`he`, `he:mode=fan-out`, `normal:std=0.01`), so the header can be pasted back. */
export const initText = (ref: ProbeReport['setup']['initializer']) =>
  typeof ref === 'string' ? ref : [ref[0], ...Object.entries(ref[1] ?? {}).map(([k, v]) => `${k}=${v}`)].join(':');
const SUB = '₀₁₂₃₄₅₆₇₈₉';
const sub = (k: number) => [...String(k)].map((d) => SUB[Number(d)]).join('');

/** "50 hidden × 256 relu, initializer he, batch 128, seed 1" plus the non-default knobs. */
export function describeSetup(report: ProbeReport): string {
  const s = report.setup;
  const act = s.activation;
  const actText = typeof act === 'string' ? act : `${act[0]} ${JSON.stringify(act[1])}`;
  const extras = [
    s.gain !== 1 ? `gain ${s.gain}` : '',
    s.biasInit !== 0 ? `bias ${s.biasInit}` : '',
    s.steps > 0
      ? report.stopped
        ? `stopped at step ${report.stopped.step} of ${s.steps} ${s.optimizer} steps (lr ${s.lr})`
        : `after ${s.steps} ${s.optimizer} steps (lr ${s.lr})`
      : '',
  ].filter(Boolean);
  return `${s.depth} hidden × ${s.width} ${actText}, initializer ${initText(s.initializer)}, batch ${s.batch}, seed ${s.seed}${extras.length ? `, ${extras.join(', ')}` : ''}`;
}

/** The per-layer table, its bar scale line, ratios beside theory, and findings. */
export function renderProbeReport(report: ProbeReport, style: Style): string {
  const { layers, ratios, theory } = report;
  const deltas = layers.map((l) => l.deltaNorm ?? Number.NaN);
  const scale = logScale(deltas);
  const chi = theory.chi ?? [];
  const rows = layers.map((l, i) => {
    const next = layers[i + 1];
    const hiddenPair = l.role === 'hidden' && next?.role === 'hidden';
    const factor = hiddenPair && l.deltaNorm !== null && next.deltaNorm ? l.deltaNorm / next.deltaNorm : null;
    const predicted = hiddenPair && chi[i] !== null && chi[i] !== undefined ? Math.sqrt(chi[i] as number) : null;
    return [
      String(l.index),
      String(l.units),
      l.activation,
      n(l.deltaNorm),
      n(l.gradNorm),
      n(l.activationStd),
      pct(l.saturation),
      pct(l.dead),
      n(factor, 4),
      n(predicted, 4),
      style.cyan(logBar(l.deltaNorm ?? Number.NaN, scale)),
    ];
  });
  const table = renderTable(
    [
      { header: 'layer', align: 'right' },
      { header: 'units', align: 'right' },
      { header: 'act' },
      { header: '‖δ‖', align: 'right' },
      { header: '‖∂L/∂W‖', align: 'right' },
      { header: 'act std', align: 'right' },
      { header: 'sat %', align: 'right' },
      { header: 'dead %', align: 'right' },
      { header: 'δₗ/δₗ₊₁', align: 'right' },
      { header: '√χ theory', align: 'right' },
      { header: '‖δ‖ (log scale)' },
    ],
    rows,
  );
  const f = ratios.first;
  const l = ratios.last;
  const predicted = theory.predicted?.deltaFirstLast;
  const ratioLines = [
    `  δ ratio        ‖δ${sub(f)}‖/‖δ${sub(l)}‖ = ${style.bold(n(ratios.deltaFirstLast, 4))}` +
      (theory.applicable ? `   theory ${n(predicted, 4)} (mean field, Π √χ(q_l))` : ''),
    `  ‖∂L/∂W‖ ratio  ‖∂L/∂W${sub(f)}‖/‖∂L/∂W${sub(l)}‖ = ${style.bold(n(ratios.gradFirstLast, 4))}` +
      style.dim('   (∂L/∂W = aᵀδ also scales with the activations; findings judge the δ ratio)'),
    `  global ‖∇L‖ = ${n(report.globalGradNorm, 4)}   loss = ${n(report.loss, 4)}`,
  ];
  return [
    `${style.bold('Canonical probe')}: ${describeSetup(report)}`,
    style.dim(
      `x ~ N(0, I), MSE against y ~ N(0, 1), zero biases unless --bias, float64; measured at step ${report.step}` +
        (report.step === 0 ? ' (initialization)' : ''),
    ),
    '',
    table,
    style.dim(`δₗ/δₗ₊₁: measured ‖δ‖ ratio of neighbouring hidden layers; √χ theory: mean-field prediction of it.`),
    style.dim(describeLogScale(scale, '‖δ‖ = ‖∂L/∂z‖')),
    '',
    `${style.bold('Ratios')}, first / last hidden layer (${f} / ${l})`,
    ...ratioLines,
    '',
    `${style.bold('Theory')} (mean field)`,
    `  ${renderTheory(report)}`,
    ...(report.stopped ? ['', style.red(`Stopped: ${report.stopped.message}`)] : []),
    '',
    // A probe reports a problem once, when it first appears: a vanishing net found at step 0 is
    // still vanishing at the measured step, with nothing new to say there. "none" alone would read
    // as "healthy" (issue found by the site audit, session 21).
    report.findings.length === 0 && report.warmupFindings?.length
      ? `${style.bold('Findings')}
  none new at step ${report.step}: each probe reports a problem once, when it first appears. The warm-up findings below describe this run; the table shows whether their numbers still hold.`
      : renderFindings(report.findings, style),
    ...(report.warmupFindings?.length
      ? [
          '',
          renderFindings(report.warmupFindings, style, {
            title: `Warm-up findings (steps 0–${report.step - 1}, before the measured step; the table's numbers are step ${report.step}'s)`,
          }),
        ]
      : []),
  ].join('\n');
}

function renderTheory(report: ProbeReport): string {
  const t = report.theory;
  if (!t.applicable) return `not applicable: ${t.reason ?? 'no prediction for this setup'}.`;
  const regime = t.regime === 'critical' ? 'critical (‖δ‖ neither shrinks nor grows)' : t.regime;
  const xi = t.depthScale === null ? '∞' : n(t.depthScale);
  return [
    `σ_w² = ${n(t.sigmaW2 ?? Number.NaN, 4)}, χ₁ = ${n(t.chi1, 4)}: ${regime}; depth scale ξ = ${xi} layers.`,
    `  Per-layer factor of ‖δ‖: predicted ${n(t.predicted?.perLayerFactor, 4)} (√χ₁ = ${n(t.predicted?.perLayerFactorAtFixedPoint, 4)}), measured ${n(t.measured.perLayerFactor, 4)}.`,
    `  δ ratio: predicted ${n(t.predicted?.deltaFirstLast, 4)} (χ₁^(k/2) = ${n(t.predicted?.deltaFirstLastAtFixedPoint, 4)}), measured ${n(t.measured.deltaFirstLast, 4)}.`,
  ].join('\n');
}
