import type { Finding } from '@gradlab/plugin-api';
import type { Style } from '../term.ts';

const where = (f: Finding) =>
  [f.layer !== undefined ? `layer ${f.layer}` : '', `step ${f.step}`].filter(Boolean).join(', ');

/** Findings as an indented list (code, where, message, hint), or a one-line all-clear. */
export function renderFindings(findings: readonly Finding[], style: Style, options: { title?: string } = {}): string {
  const title = options.title ?? 'Findings';
  if (findings.length === 0) return `${style.bold(title)}\n  ${style.green('none')}: no probe raised a finding.`;
  const severity = (f: Finding) =>
    f.severity === 'error' ? style.red('error') : f.severity === 'warn' ? style.yellow('warn ') : style.cyan('info ');
  const lines = findings.flatMap((f) => [
    `  ${severity(f)}  ${style.bold(f.code)} (${where(f)}): ${f.message}`,
    ...(f.hint ? [`         ${style.dim('hint:')} ${f.hint}`] : []),
  ]);
  const codes = [...new Set(findings.map((f) => f.code))];
  return [
    `${style.bold(title)} (${findings.length})`,
    ...lines,
    style.dim(`  Causes and fixes: ${codes.map((c) => `gradlab explain ${c}`).join(' · ')}`),
  ].join('\n');
}
