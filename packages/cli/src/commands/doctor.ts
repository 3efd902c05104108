import type { ExperimentSpec } from '@gradlab/core';
import type { Finding } from '@gradlab/plugin-api';
import { type DoctorFix, type DoctorMetrics, doctor as runDoctor, type Setup } from '@gradlab/probes';
import { HELP_FLAG } from '../args.ts';
import { EXIT, usageError } from '../errors.ts';
import { readJsonFile } from '../files.ts';
import { renderFindings } from '../format/findings.ts';
import { formatNumber } from '../format/numbers.ts';
import { canonicalOptions, parseSettings, SETTING_KEYS, settingFlags } from '../probe-settings.ts';
import { stringify } from '../run-outputs.ts';
import type { Style } from '../term.ts';
import { type Command, print } from './types.ts';

export const doctor: Command = {
  spec: {
    name: 'doctor',
    summary:
      'Diagnose a probe setting or a spec, then try each suggested fix with the same seed and report which clear.',
    description: [
      'Takes the flags of "gradlab probe" (the canonical setup), or a spec file like "gradlab run". For each',
      'warn/error finding it applies every fix the findings catalog lists that changes something in this',
      'setup (never one it already has), re-runs with the same seed, and prints the numbers before and',
      'after and whether the finding cleared. --json prints { findings, fixes: [{ finding, change, before,',
      'after, cleared }] }.',
    ].join('\n'),
    positionals: [{ name: 'spec.json', optional: true }],
    flags: {
      ...settingFlags(false),
      'max-steps': { type: 'string', value: 'N', description: 'With a spec: train at most N steps per run.' },
      json: { type: 'boolean', description: 'Print { findings, fixes } as JSON.' },
      help: HELP_FLAG,
    },
    examples: [
      'gradlab doctor --activation sigmoid --init glorot --depth 8',
      'gradlab doctor --bias -1 --depth 5 --steps 20 --lr 0.01 --json',
      'gradlab doctor spec.json',
    ],
  },

  run({ values, positionals }, ctx) {
    const registry = ctx.registry();
    const file = positionals[0];
    let setup: Setup;
    if (file !== undefined) {
      const flags = SETTING_KEYS.filter((k) => typeof values[k] === 'string');
      if (flags.length) {
        throw usageError(
          `--${flags[0]} sets the canonical probe setup; with a spec file, change the spec instead (or drop ${file}).`,
        );
      }
      setup = { kind: 'spec', spec: readJsonFile(file, ctx.io.cwd, 'spec') as ExperimentSpec };
    } else {
      if (values['max-steps'] !== undefined) throw usageError('--max-steps applies to a spec file only.');
      const [setting] = parseSettings(values, registry, false).settings;
      setup = { kind: 'probe', options: canonicalOptions(setting) };
    }
    const raw = values['max-steps'];
    const maxSteps = typeof raw === 'string' ? Number(raw) : undefined;
    if (maxSteps !== undefined && !(Number.isInteger(maxSteps) && maxSteps >= 1)) {
      throw usageError(`--max-steps must be a whole number of at least 1 (received "${raw}").`);
    }
    const report = runDoctor(setup, { registry, ...(maxSteps && { maxSteps }) });
    if (values.json) print(ctx, stringify(report));
    else print(ctx, render(report.findings, report.fixes, ctx.style));
    return EXIT.ok;
  },
};

const METRIC_LABELS: Record<keyof DoctorMetrics, string> = {
  loss: 'loss',
  steps: 'steps',
  deltaRatio: 'δ first/last',
  globalNorm: 'global ‖g‖',
  dead: 'dead',
  saturation: 'saturated',
  updateRatio: '‖ΔW‖/‖W‖',
  lossRatio: 'loss/first',
  timeRatio: '‖∂L/∂h₀‖/‖∂L/∂h_T‖',
  symmetricLayers: 'copied layers',
};

const value = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : formatNumber(v));

function render(findings: readonly Finding[], fixes: readonly DoctorFix[], style: Style): string {
  const serious = findings.filter((f) => f.severity !== 'info');
  const lines = [renderFindings(findings, style), ''];
  if (serious.length === 0) {
    lines.push(`${style.bold('Fixes')}\n  ${style.green('nothing to fix')}: no warn or error finding.`);
    return lines.join('\n');
  }
  lines.push(style.bold(`Fixes tried (${fixes.length}), each alone with the same seed`));
  if (fixes.length === 0) lines.push('  No listed fix changes this setup; see gradlab explain for the causes.');
  let code = '';
  for (const f of fixes) {
    if (f.finding.code !== code) {
      code = f.finding.code;
      lines.push(`  ${style.bold(code)}`);
    }
    const keys = Object.keys(f.before) as (keyof DoctorMetrics)[];
    const numbers = keys.map((k) => `${METRIC_LABELS[k]} ${value(f.before[k])} → ${value(f.after[k])}`).join(', ');
    const verdict = f.cleared ? style.green('cleared') : style.red('not cleared');
    const other = f.remaining.filter((c) => c !== f.finding.code);
    lines.push(
      `    ${verdict.padEnd(11)}  ${style.cyan(f.change)}: ${numbers}${other.length ? style.dim(` (still: ${other.join(', ')})`) : ''}`,
    );
  }
  return lines.join('\n');
}
