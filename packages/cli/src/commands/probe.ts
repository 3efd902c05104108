import type { Finding } from '@gradlab/plugin-api';
import { contextHint, type ProbeReport, runProbe, type Setup } from '@gradlab/probes';
import { HELP_FLAG } from '../args.ts';
import { EXIT, usageError } from '../errors.ts';
import { renderProbeReport } from '../format/probe-report.ts';
import { canonicalOptions, parseSettings, settingFlags } from '../probe-settings.ts';
import { reportToCsv } from '../probes.ts';
import { stringify } from '../run-outputs.ts';
import { type Command, print } from './types.ts';

export const probe: Command = {
  spec: {
    name: 'probe',
    summary: 'Run the canonical probe setup and print per-layer gradient norms, the mean-field theory and findings.',
    description: [
      'The canonical setup (shared with the site, so its numbers can be reproduced here): x ~ N(0, I) of',
      'dimension --width, --batch rows, --depth hidden dense layers of --width units, a linear 1-unit',
      'output, MSE against y ~ N(0, 1), float64, --seed. ‖δ‖ = ‖∂L/∂z‖ is the back-propagated error,',
      '‖∂L/∂W‖ the weight gradient; the ratios are first / last hidden layer.',
    ].join('\n'),
    positionals: [],
    flags: {
      ...settingFlags(false),
      json: { type: 'boolean', description: 'Print the full probe report (schema gradlab/probe-report@1) as JSON.' },
      csv: { type: 'boolean', description: 'Print one CSV row per layer.' },
      help: HELP_FLAG,
    },
    examples: [
      'gradlab probe --activation relu --init he --depth 50 --width 256 --batch 128 --seed 1',
      'gradlab probe --activation sigmoid --init xavier --depth 8',
      'gradlab probe --activation relu --init kaiming --gain 1.5 --depth 30',
      'gradlab probe --activation leaky-relu --alpha 0.1 --bias -1 --steps 20 --lr 0.1 --json',
    ],
  },

  run({ values }, ctx) {
    if (values.json && values.csv) throw usageError('--json and --csv cannot be combined: pick one output format.');
    const registry = ctx.registry();
    const [setting] = parseSettings(values, registry, false).settings;
    const options = canonicalOptions(setting);
    const report = withCliHints(runProbe(options, { registry }), { kind: 'probe', options });
    if (values.json) print(ctx, stringify(report));
    else if (values.csv) print(ctx, reportToCsv(report) ?? '');
    else print(ctx, renderProbeReport(report, ctx.style));
    // A probe stopped by a non-finite loss failed like a stopped `gradlab run`: exit 1, report still printed.
    return report.stopped ? EXIT.failure : EXIT.ok;
  },
};

/** Hints written as `probe` flags for this setting (fixes it already has are left out). */
export function withCliHints(report: ProbeReport, setup: Setup): ProbeReport {
  const hinted = (f: Finding): Finding => {
    if (f.severity === 'info') {
      const { hint: _, ...rest } = f;
      return rest;
    }
    const hint =
      contextHint(f, setup, 'cli') ??
      `No fix of the catalog changes this setting; see gradlab explain ${f.code} for the causes.`;
    return { ...f, hint };
  };
  return {
    ...report,
    findings: report.findings.map(hinted),
    ...(report.warmupFindings && { warmupFindings: report.warmupFindings.map(hinted) }),
  };
}
