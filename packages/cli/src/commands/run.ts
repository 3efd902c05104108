import { createSession, type ExperimentSpec } from '@gradlab/core';
import { contextHint } from '@gradlab/probes';
import { HELP_FLAG } from '../args.ts';
import { parseCsvDataset } from '../data-csv.ts';
import { EXIT } from '../errors.ts';
import { readJsonFile, readTextFile } from '../files.ts';
import { renderFindings } from '../format/findings.ts';
import { formatDuration, formatNumber, formatPercent } from '../format/numbers.ts';
import { createProgress } from '../format/progress.ts';
import { prepareOutDir } from '../out-dir.ts';
import { selectProbes } from '../probe-selection.ts';
import { buildRunRecord, type RunRecord, stringify, writeRunOutputs } from '../run-outputs.ts';
import { rewordSpecError } from '../spec-issues.ts';
import { readStartWeights, rewordWeightsError } from '../start-weights.ts';
import { isInteractive } from '../term.ts';
import { trainLoop } from '../train-loop.ts';
import { type Command, type Context, print } from './types.ts';

export const run: Command = {
  spec: {
    name: 'run',
    summary: 'Train a JSON experiment spec, with a progress bar, and print its findings and final metrics.',
    description: [
      'Progress goes to stderr: a live bar on a terminal; elsewhere (pipes, CI) one plain line per tenth of',
      'the run. Ctrl-C stops after the current step and still writes every output; press it twice to quit',
      "at once. Probes: the spec's when it lists any, else every installed one (keeping 1000 steps); --probes",
      'picks exactly which run: "none", "all" or a comma list (a probe the spec lists keeps its options).',
      '--out is checked before training: a missing folder is created, a folder of an earlier run is cleaned',
      '(its run files and probes/ reports are removed), any other non-empty folder is refused.',
      '',
      '--weights FILE continues an earlier run (a second phase): the model is built from this spec, then every',
      "tensor is replaced by the file's (names and sizes must match; activations, initializers and training",
      'settings may differ). The optimizer state starts afresh and the batches come in the order of this',
      "spec's seed from its step 0, as if the run had just begun, so phase 1 with --out and phase 2 with",
      "--weights reproduce the site's two-phase runs bit for bit.",
      '',
      '--data file.csv: a header line, then one row of numbers per line. Columns named y, y1, y2, …',
      '(or target…, label…) are targets, the others features. One 0/1 target column makes a binary task,',
      'several one-hot 0/1 columns a multiclass task, anything else regression.',
    ].join('\n'),
    positionals: [{ name: '<spec.json>' }],
    flags: {
      out: {
        type: 'string',
        value: 'DIR',
        description: 'Write run.json, model.json, findings.json, CSVs and probe reports here.',
      },
      json: {
        type: 'boolean',
        description: 'Print run.json (history, findings, reports) to stdout instead of the summary.',
      },
      data: { type: 'string', value: 'FILE.csv', description: "Train on a CSV file instead of the spec's dataset." },
      probes: {
        type: 'string',
        value: 'IDS',
        description: 'Probes to attach: a comma list, "all" or "none" (default: the spec\'s probes, else all).',
      },
      weights: {
        type: 'string',
        value: 'FILE',
        description:
          "Start from an earlier run's weights (its model.json, or the --out folder holding it) instead of the initializers'.",
      },
      quiet: { type: 'boolean', short: 'q', description: 'No progress output.' },
      help: HELP_FLAG,
    },
    examples: [
      'gradlab run spec.json',
      'gradlab run spec.json --out runs/relu-he',
      'gradlab run revive-2.spec.json --weights runs/revive-1/model.json',
      'gradlab run spec.json --data points.csv --json > run.json',
    ],
  },

  async run({ values, positionals }, ctx) {
    const file = positionals[0];
    const registry = ctx.registry();
    const spec = readJsonFile(file, ctx.io.cwd, 'spec') as ExperimentSpec;
    const data =
      typeof values.data === 'string'
        ? parseCsvDataset(readTextFile(values.data, ctx.io.cwd, 'data file'), values.data)
        : undefined;
    const selection = selectProbes(spec, values.probes as string | undefined, registry);
    const weightsFile = typeof values.weights === 'string' ? values.weights : undefined;
    const weights = weightsFile === undefined ? undefined : readStartWeights(weightsFile, ctx.io.cwd, registry);
    let session: ReturnType<typeof createSession>;
    try {
      session = createSession(selection.spec, { registry, data, probes: selection.extra, ...(weights && { weights }) });
    } catch (error) {
      throw weightsFile === undefined
        ? rewordSpecError(error)
        : rewordWeightsError(rewordSpecError(error), weightsFile, file);
    }
    // Checked (and created) before training, so a typo in --out cannot lose a finished run.
    if (typeof values.out === 'string') prepareOutDir(values.out, ctx.io.cwd);
    const source = values.data ? `csv:${values.data}` : JSON.stringify(spec.data);
    const stderr = ctx.io.stderr;
    const mode = values.quiet ? 'quiet' : isInteractive(stderr, ctx.io.env) ? 'live' : 'lines';
    const progress = createProgress(stderr, mode);

    let interrupted = false;
    const unsubscribe = ctx.onInterrupt(() => {
      interrupted = true;
      progress.done();
      stderr.write('Stopping after the current step and writing outputs (Ctrl-C again quits at once)…\n');
    });
    if (mode !== 'quiet') {
      stderr.write(
        `Training ${spec.name ? `"${spec.name}" ` : ''}for ${session.totalSteps} steps (Ctrl-C stops cleanly)\n`,
      );
    }
    let loop: Awaited<ReturnType<typeof trainLoop>> | undefined;
    let error: Error | undefined;
    try {
      loop = await trainLoop(session, { onProgress: (p) => progress.update(p), shouldStop: () => interrupted });
    } catch (e) {
      error = e as Error;
    } finally {
      unsubscribe();
      progress.done();
    }
    // Hints written as spec fields for this spec: only fixes that change something in it.
    const findings = safely(() => session.finish(), session.findings).map((f) => {
      if (f.severity === 'info') return f;
      const hint =
        contextHint(f, { kind: 'spec', spec }, 'spec') ??
        `No fix of the catalog changes this spec; see gradlab explain ${f.code} for the causes.`;
      return { ...f, hint };
    });
    const reports = safely(() => session.reports(), {});
    const record = buildRunRecord(session, loop, { source, findings, reports, error, weights: weightsFile });
    const written = values.out
      ? writeRunOutputs(values.out as string, ctx.io.cwd, record, session, session.trainData)
      : [];
    if (error) {
      if (written.length) stderr.write(`Partial outputs written to ${values.out}.\n`);
      throw error;
    }
    if (values.json) print(ctx, stringify(record));
    else print(ctx, summary(ctx, record, written, String(values.out)));
    return record.status === 'interrupted' ? EXIT.interrupted : record.status === 'stopped' ? EXIT.failure : EXIT.ok;
  },
};

function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function summary(ctx: Context, r: RunRecord, written: readonly string[], dir: string): string {
  const { style } = ctx;
  const seconds = r.elapsedMs / 1000;
  const rate = r.steps / Math.max(seconds, 1e-9);
  const state =
    r.status === 'completed'
      ? style.green('completed')
      : r.status === 'interrupted'
        ? style.yellow('interrupted')
        : style.red(r.status);
  const metrics = [
    `train loss ${formatNumber(r.final.trainLoss ?? Number.NaN, 4)}`,
    ...(r.final.testLoss !== undefined ? [`test loss ${formatNumber(r.final.testLoss, 4)}`] : []),
    ...(r.final.testAccuracy !== undefined ? [`test accuracy ${formatPercent(r.final.testAccuracy)}%`] : []),
    `last batch loss ${formatNumber(r.history.losses.at(-1) ?? Number.NaN, 4)}`,
  ];
  return [
    `${style.bold(`Run${r.spec.name ? ` "${r.spec.name}"` : ''}`)} ${state}: ${r.steps}/${r.totalSteps} steps in ` +
      `${formatDuration(seconds)} (${formatNumber(rate)} steps/s)`,
    ...(r.stopped
      ? [`  ${style.red(r.stopped.message)}`, ...(r.stopped.hint ? [`  hint: ${r.stopped.hint}`] : [])]
      : []),
    `  ${metrics.join(' · ')}`,
    '',
    renderFindings(r.findings, style),
    ...(written.length ? ['', `Wrote ${written.length} files to ${dir}: ${written.join(', ')}`] : []),
  ].join('\n');
}
