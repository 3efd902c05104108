import { type ProbeReport, runProbe } from '@gradlab/probes';
import { HELP_FLAG } from '../args.ts';
import { EXIT, usageError } from '../errors.ts';
import { formatNumber, formatPercent } from '../format/numbers.ts';
import { renderTable, toCsv } from '../format/table.ts';
import { canonicalOptions, type ProbeSetting, parseSettings, SETTING_KEYS, settingFlags } from '../probe-settings.ts';
import { stringify } from '../run-outputs.ts';
import { isInteractive } from '../term.ts';
import { type Command, print } from './types.ts';

/** One row of the comparison: the setting and the summary numbers of its probe report. */
export interface CompareRow {
  readonly setting: ProbeSetting;
  readonly deltaRatio: number | null;
  readonly gradRatio: number | null;
  readonly predictedDeltaRatio: number | null;
  readonly chi1: number | null;
  /** Mean over hidden layers of the fraction of dead units. */
  readonly dead: number | null;
  /** Mean over hidden layers of the saturated fraction. */
  readonly saturation: number | null;
  readonly findings: readonly string[];
}

const meanHidden = (report: ProbeReport, key: 'dead' | 'saturation') => {
  const values = report.layers.filter((l) => l.role === 'hidden').map((l) => l[key]);
  return values.some((v) => v === null) ? null : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
};

export function summarize(setting: ProbeSetting, report: ProbeReport): CompareRow {
  return {
    setting,
    deltaRatio: report.ratios.deltaFirstLast,
    gradRatio: report.ratios.gradFirstLast,
    predictedDeltaRatio: report.theory.predicted?.deltaFirstLast ?? null,
    chi1: report.theory.chi1 ?? null,
    dead: meanHidden(report, 'dead'),
    saturation: meanHidden(report, 'saturation'),
    findings: [...new Set(report.findings.map((f) => f.code))],
  };
}

const n = (v: number | null) => (v === null ? '–' : formatNumber(v, 4));
const pct = (v: number | null) => (v === null ? '–' : formatPercent(v));

export const compare: Command = {
  spec: {
    name: 'compare',
    summary: 'Run several canonical probe settings side by side (any flag may be a comma list) and print one table.',
    description: [
      '--init defaults to auto: each activation gets its recommendedInitializer (relu → he, tanh → glorot, …),',
      'and the init column or header line says which one each row used ("he (auto)").',
      'Every combination of the listed values is run (at most 1000). Columns: the flags that vary, then',
      'δ ratio ‖δ_first‖/‖δ_last‖, ‖∂L/∂W‖ ratio, the mean-field prediction of the δ ratio, χ₁,',
      'dead % and saturation % (means over hidden layers) and the finding codes.',
    ].join('\n'),
    positionals: [],
    flags: {
      ...settingFlags(true),
      json: { type: 'boolean', description: 'Print { rows: [{ setting, …summary, report }] } with every full report.' },
      csv: { type: 'boolean', description: 'Print one CSV row per setting.' },
      help: HELP_FLAG,
    },
    examples: [
      'gradlab compare --activation sigmoid,tanh,relu --depth 20',
      'gradlab compare --activation relu --init he,glorot,lecun --depth 10,30,50',
      'gradlab compare --activation relu,tanh,selu --init auto --depth 20',
      'gradlab compare --activation relu,leaky-relu --gain 0.8,1,1.2 --csv > compare.csv',
    ],
  },

  async run({ values }, ctx) {
    if (values.json && values.csv) throw usageError('--json and --csv cannot be combined: pick one output format.');
    const registry = ctx.registry();
    const { settings, varied } = parseSettings(values, registry, true);
    const live = isInteractive(ctx.io.stderr, ctx.io.env) && settings.length > 1;
    const rows: { row: CompareRow; report: ProbeReport }[] = [];
    for (const [i, setting] of settings.entries()) {
      if (live) ctx.io.stderr.write(`\rprobing ${i + 1}/${settings.length}…`);
      const report = runProbe(canonicalOptions(setting), { registry });
      rows.push({ row: summarize(setting, report), report });
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (live) ctx.io.stderr.write(`\r${' '.repeat(30)}\r`);
    const keys = varied.length ? varied : (['activation'] as const);
    const shown = (s: ProbeSetting, k: (typeof SETTING_KEYS)[number]) =>
      k === 'init' && s.initAuto ? `${s.init} (auto)` : String(s[k] ?? '–');
    if (values.json) {
      print(
        ctx,
        stringify({ schema: 'gradlab/compare@1', varied, rows: rows.map(({ row, report }) => ({ ...row, report })) }),
      );
    } else if (values.csv) {
      const header = [
        ...SETTING_KEYS,
        'deltaRatio',
        'gradRatio',
        'predictedDeltaRatio',
        'chi1',
        'dead',
        'saturation',
        'findings',
      ];
      const body = rows.map(({ row }) => [
        ...SETTING_KEYS.map((k) => row.setting[k] ?? ''),
        ...[row.deltaRatio, row.gradRatio, row.predictedDeltaRatio, row.chi1, row.dead, row.saturation].map(
          (v) => v ?? '',
        ),
        row.findings.join(' '),
      ]);
      print(ctx, toCsv(header, body));
    } else {
      const { style } = ctx;
      const table = renderTable(
        [
          ...keys.map((k) => ({ header: k })),
          { header: 'δ ratio', align: 'right' as const },
          { header: '‖∂L/∂W‖ ratio', align: 'right' as const },
          { header: 'theory δ ratio', align: 'right' as const },
          { header: 'χ₁', align: 'right' as const },
          { header: 'dead %', align: 'right' as const },
          { header: 'sat %', align: 'right' as const },
          { header: 'findings' },
        ],
        rows.map(({ row }) => [
          ...keys.map((k) => shown(row.setting, k)),
          style.bold(n(row.deltaRatio)),
          n(row.gradRatio),
          n(row.predictedDeltaRatio),
          n(row.chi1),
          pct(row.dead),
          pct(row.saturation),
          row.findings.length ? style.yellow(row.findings.join(' ')) : style.green('none'),
        ]),
      );
      const fixed = SETTING_KEYS.filter((k) => !(keys as readonly string[]).includes(k) && settings[0][k] !== undefined)
        .map((k) => `${k} ${shown(settings[0], k)}`)
        .join(', ');
      print(
        ctx,
        [
          `${style.bold('Canonical probe comparison')}: ${fixed}`,
          '',
          table,
          style.dim(
            'δ ratio = ‖δ_first‖/‖δ_last‖ over the hidden layers (below 1e-3 vanishing, above 10 exploding); theory: mean field.',
          ),
          style.dim('dead % and sat %: means over hidden layers. Details: gradlab probe with the same flags.'),
        ].join('\n'),
      );
    }
    return EXIT.ok;
  },
};
