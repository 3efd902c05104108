import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DataShape, type ExperimentSpec, type Session, saveModel } from '@gradlab/core';
import type { Finding } from '@gradlab/plugin-api';
import { failure } from './errors.ts';
import { toCsv } from './format/table.ts';
import { reportToCsv } from './probes.ts';
import type { LoopResult } from './train-loop.ts';

/** The `run.json` document (schema `gradlab/run@1`). */
export interface RunRecord {
  readonly schema: 'gradlab/run@1';
  readonly status: LoopResult['status'] | 'failed';
  readonly spec: ExperimentSpec;
  readonly data: {
    readonly source: string;
    readonly rows: number;
    readonly trainRows: number;
    readonly testRows: number;
  };
  /** `--weights`: the model file the run started from (absent: the initializers' draw). */
  readonly weights?: string;
  readonly steps: number;
  readonly totalSteps: number;
  readonly elapsedMs: number;
  readonly final: { readonly trainLoss?: number; readonly testLoss?: number; readonly testAccuracy?: number };
  readonly stopped?: LoopResult['stopped'];
  readonly error?: { readonly name: string; readonly message: string };
  readonly history: { readonly losses: readonly number[]; readonly epochs: LoopResult['epochs'] };
  readonly findings: readonly Finding[];
  readonly reports: Readonly<Record<string, unknown>>;
}

/** JSON without NaN surprises: non-finite numbers become the strings "NaN", "Infinity", "-Infinity". */
export function stringify(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

export function buildRunRecord(
  session: Session,
  loop: LoopResult | undefined,
  extra: {
    source: string;
    findings: readonly Finding[];
    reports: Record<string, unknown>;
    error?: Error;
    weights?: string;
  },
): RunRecord {
  const evaluate = (split: 'train' | 'test') => {
    try {
      return session.evaluate(split);
    } catch {
      return { loss: Number.NaN };
    }
  };
  const train = evaluate('train');
  const test = session.testData.rows ? evaluate('test') : undefined;
  return {
    schema: 'gradlab/run@1',
    status: extra.error ? 'failed' : (loop?.status ?? 'failed'),
    spec: session.spec,
    data: {
      source: extra.source,
      rows: session.trainData.rows + session.testData.rows,
      trainRows: session.trainData.rows,
      testRows: session.testData.rows,
    },
    ...(extra.weights !== undefined ? { weights: extra.weights } : {}),
    steps: session.stepCount,
    totalSteps: session.totalSteps,
    elapsedMs: loop?.elapsedMs ?? 0,
    final: {
      trainLoss: train.loss,
      ...(test ? { testLoss: test.loss } : {}),
      ...(test?.accuracy !== undefined ? { testAccuracy: test.accuracy } : {}),
    },
    ...(loop?.stopped ? { stopped: loop.stopped } : {}),
    ...(extra.error ? { error: { name: extra.error.name, message: extra.error.message } } : {}),
    history: { losses: loop?.losses ?? [], epochs: loop?.epochs ?? [] },
    findings: extra.findings,
    reports: extra.reports,
  };
}

/**
 * Write every output of a run into `dir`: run.json, model.json (saveModel), findings.json,
 * history.csv (loss per step), epochs.csv, and each probe report as probes/<id>.json and
 * probes/<id>.csv. Returns the names written, relative to `dir`.
 */
export function writeRunOutputs(
  dir: string,
  cwd: string,
  record: RunRecord,
  session: Session,
  shape: DataShape,
): string[] {
  const root = resolve(cwd, dir);
  const written: string[] = [];
  const write = (name: string, text: string) => {
    const path = join(root, name);
    writeFileSync(path, text);
    written.push(name);
  };
  try {
    // prepareOutDir created (or cleaned) `root` before training; only probes/ may be missing.
    mkdirSync(join(root, 'probes'), { recursive: true });
    write('run.json', stringify(record));
    write('model.json', stringify(saveModel(record.spec, shape, session.model)));
    write('findings.json', stringify(record.findings));
    write(
      'history.csv',
      toCsv(
        ['step', 'loss'],
        record.history.losses.map((loss, step) => [step, loss]),
      ),
    );
    write(
      'epochs.csv',
      toCsv(
        ['epoch', 'step', 'trainLoss', 'testLoss', 'testAccuracy'],
        record.history.epochs.map((e) => [e.epoch, e.step, e.trainLoss, e.testLoss ?? '', e.testAccuracy ?? '']),
      ),
    );
    for (const [id, report] of Object.entries(record.reports)) {
      write(`probes/${id}.json`, stringify(report));
      const csv = reportToCsv(report);
      if (csv) write(`probes/${id}.csv`, csv);
    }
  } catch (error) {
    throw failure(`Cannot write outputs to "${dir}": ${(error as Error).message}.`);
  }
  return written;
}
