import { createSession } from '@gradlab/core';
import {
  GRADIENT_CHECK_BANDS,
  GRADIENT_CHECK_ENTRIES,
  GRADIENT_CHECK_H,
  type GradientCheckReport,
  gradientCheck,
  gradientCheckBand,
  gradientCheckSpec,
} from '@gradlab/probes';
import { HELP_FLAG, parseChoice } from '../args.ts';
import { EXIT, usageError } from '../errors.ts';
import { formatNumber } from '../format/numbers.ts';
import { initText } from '../format/probe-report.ts';
import { renderTable } from '../format/table.ts';
import { canonicalOptions, parseSettings, settingFlags } from '../probe-settings.ts';
import { stringify } from '../run-outputs.ts';
import { type Command, print } from './types.ts';

/** The network flags of `probe`; the check is at initialization, so no --steps, --lr or --optimizer. */
const { steps: _s, lr: _l, optimizer: _o, ...NET_FLAGS } = settingFlags(false);

export const gradcheck: Command = {
  spec: {
    name: 'gradcheck',
    summary: "Check the engine's backprop against finite differences of its loss, per layer (page 12's check).",
    description: [
      "The canonical probe net (gradlab probe's flags) at initialization. For six weights spread evenly",
      "over each layer's matrix (no randomness), ∂L/∂W from one forward and backward pass is compared with",
      'the centred difference (L(w+h) − L(w−h)) / 2h of the same loss, and each layer reports the worst',
      'relative error |a − n| / max(|a|, |n|), the worst absolute error, the median |∂L/∂W| of the checked',
      "entries and how many ±h steps move a pre-activation across a kink of the activation (ReLU's 0).",
      'Reading (CS231n): above 1e-2 probably wrong; 1e-4 … 1e-2 uneasy; 1e-7 … 1e-4 fine with kinks, high',
      'for a smooth loss; below 1e-7 good. A vanishing gradient fails the check although backprop is right:',
      'the round-off error ε|L|/h stays while |∂L/∂W| shrinks, so compare the two columns.',
      '--precision float32 rounds the two loss values to float32 before differencing (the engine stays',
      'float64): the check then fails everywhere, which is why it is done in double precision.',
    ].join('\n'),
    positionals: [],
    flags: {
      ...NET_FLAGS,
      h: {
        type: 'string',
        value: 'X',
        description: 'Finite-difference step, above 0 and at most 1 (1e-5 balances truncation and round-off).',
        default: String(GRADIENT_CHECK_H),
      },
      precision: {
        type: 'string',
        value: 'P',
        description: 'float64, or float32: the loss values rounded to float32 before differencing.',
        default: 'float64',
      },
      json: { type: 'boolean', description: 'Print the check (schema gradlab/gradcheck@1) as JSON.' },
      help: HELP_FLAG,
    },
    examples: [
      'gradlab gradcheck --activation tanh --init glorot --depth 10 --width 32 --batch 32',
      'gradlab gradcheck --activation sigmoid --init glorot --depth 10 --width 32 --batch 32 --h 1e-7',
      'gradlab gradcheck --activation relu --init he --depth 10 --width 32 --batch 32 --h 0.01',
      'gradlab gradcheck --activation tanh --init glorot --depth 10 --precision float32 --json',
    ],
  },

  run({ values }, ctx) {
    const registry = ctx.registry();
    const h = values.h === undefined ? GRADIENT_CHECK_H : parseStep(String(values.h));
    const precision =
      values.precision === undefined
        ? 'float64'
        : parseChoice('precision', String(values.precision), ['float64', 'float32']);
    const [setting] = parseSettings(values, registry, false).settings;
    const spec = gradientCheckSpec(canonicalOptions(setting), { registry });
    const report = gradientCheck(spec, { registry, h, float32: precision === 'float32' });
    // Units and activation per layer, for the table: the model the check built, built again.
    const layers = createSession(spec, { registry })
      .model.layers.filter((l) => l.params.some((p) => p.role === 'weight'))
      .map((l) => ({
        units: l.units,
        activation: l.activation.id,
      }));
    const json = { schema: 'gradlab/gradcheck@1', ...report, entriesPerLayer: GRADIENT_CHECK_ENTRIES };
    if (values.json) print(ctx, stringify({ ...json, setup: { ...setting, h, precision } }));
    else
      print(ctx, render(report, layers, `${setting.depth} hidden × ${setting.width} ${setting.activation}`, setting));
    return EXIT.ok;
  },
};

/** --h: a step above 0 (0 divides by zero) and at most 1 (larger is no longer a derivative). */
function parseStep(raw: string): number {
  const text = raw.trim();
  const h = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(h) || h <= 0 || h > 1) {
    throw usageError(`--h must be a number above 0 and at most 1 (received "${raw}"); 1e-5 suits float64.`);
  }
  return h;
}

function render(
  r: GradientCheckReport,
  shape: readonly { readonly units: number; readonly activation: string }[],
  net: string,
  s: { init: string; batch: number; seed: number; gain: number; bias: number },
): string {
  const n = (v: number | null) => (v === null ? '–' : formatNumber(v, 3));
  const extras = [s.gain !== 1 ? `gain ${s.gain}` : '', s.bias !== 0 ? `bias ${s.bias}` : ''].filter(Boolean);
  const table = renderTable(
    [
      { header: 'layer', align: 'right' },
      { header: 'units', align: 'right' },
      { header: 'act' },
      { header: 'rel error', align: 'right' },
      { header: 'abs error', align: 'right' },
      { header: 'median |∂L/∂W|', align: 'right' },
      { header: 'kinks', align: 'right' },
      { header: 'reading (CS231n)' },
    ],
    shape.map((l, i) => [
      String(i),
      String(l.units),
      l.activation,
      n(r.relError[i]),
      n(r.absError[i]),
      n(r.gradMagnitude[i]),
      `${r.kinksCrossed[i]}/${GRADIENT_CHECK_ENTRIES}`,
      gradientCheckBand(r.relError[i]),
    ]),
  );
  // The worst layer; a null (non-finite) error is worse than any number.
  const rank = (v: number | null) => (v === null ? Number.POSITIVE_INFINITY : v);
  const worst = r.relError.reduce<number>((w, v, i) => (rank(v) > rank(r.relError[w]) ? i : w), 0);
  // Each loss value is off by about ε|L| (ε of the precision differenced in), and dividing by 2h makes that
  // ε|L|/h: absolute errors near this floor are rounding, not a wrong gradient.
  const floor = ((r.float32 ? 2 ** -23 : 2 ** -52) * Math.abs(r.loss ?? Number.NaN)) / r.h;
  return [
    `Gradient check: ${net}, initializer ${initText(s.init)}, batch ${s.batch}, seed ${s.seed}${extras.length ? `, ${extras.join(', ')}` : ''}`,
    `∂L/∂W by backprop against (L(w+h) − L(w−h))/2h of the engine's loss at initialization, ${GRADIENT_CHECK_ENTRIES} entries per weight matrix,`,
    `h = ${r.h}, ${r.float32 ? 'loss values rounded to float32' : 'float64'}; loss = ${n(r.loss)}`,
    '',
    table,
    'rel error = max |a − n| / max(|a|, |n|) over the checked entries; kinks: entries whose ±h step crosses a kink of f.',
    `Bands: above ${GRADIENT_CHECK_BANDS.wrong} probably wrong, above ${GRADIENT_CHECK_BANDS.uneasy} uneasy, below ${GRADIENT_CHECK_BANDS.good} good.`,
    `Round-off floor ε·|L|/h ≈ ${n(Number.isFinite(floor) ? floor : null)}: an absolute error near it is rounding, and a gradient entry not far above it cannot pass.`,
    '',
    `Worst: layer ${worst}, rel error ${n(r.relError[worst])}, ${gradientCheckBand(r.relError[worst])}.`,
  ].join('\n');
}
