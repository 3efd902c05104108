import type { Dataset, Task } from '@gradlab/core';
import { failure } from './errors.ts';

/**
 * Read a dataset from CSV text (`--data file.csv`). Format:
 * - the first line is a header; every other non-empty line is one row of numbers;
 * - columns named `y`, `y1`, `y2`, … (or `target…`/`label…`) are targets, every other column is a feature;
 * - the task is `regression` unless the targets are all 0/1: one 0/1 column is `binary`,
 *   several 0/1 columns with exactly one 1 per row (one-hot) are `multiclass`.
 * Commas separate fields; `#` starts a comment line. Every problem names its line and column.
 */
export function parseCsvDataset(text: string, file: string): Dataset {
  const lines = text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'));
  if (lines.length < 2) throw failure(`${file} needs a header line and at least one row of numbers.`);
  const first = lines[0].line;
  const separator = first.includes(',') ? undefined : [';', '\t', '|'].find((c) => first.includes(c));
  if (separator) {
    const name = separator === '\t' ? 'tabs' : `"${separator}"`;
    throw failure(
      `${file} separates fields with ${name}; gradlab reads comma-separated values: use commas, e.g. header "x1,x2,y".`,
      `Header read: ${first}. A spreadsheet can export "CSV (comma delimited)".`,
    );
  }
  const header = first.split(',').map((h) => h.trim());
  const isTarget = (h: string) => /^(y|target|label)\d*$/i.test(h) || /^(y|target|label)[_-]/i.test(h);
  const targets = header.flatMap((h, i) => (isTarget(h) ? [i] : []));
  const features = header.flatMap((h, i) => (isTarget(h) ? [] : [i]));
  if (targets.length === 0) {
    throw failure(
      `${file} has no target column: name target columns y (or y1, y2, …), e.g. header "x1,x2,y".`,
      `Header read: ${header.join(', ')}.`,
    );
  }
  if (features.length === 0) throw failure(`${file} has no feature column: every column is named like a target.`);
  const rows = lines.length - 1;
  const x = new Float64Array(rows * features.length);
  const y = new Float64Array(rows * targets.length);
  lines.slice(1).forEach(({ line, number }, r) => {
    const cells = line.split(',');
    if (cells.length !== header.length) {
      throw failure(`${file} line ${number} has ${cells.length} fields; the header has ${header.length}.`);
    }
    const value = (c: number) => {
      const raw = cells[c].trim();
      const n = raw === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(n)) {
        throw failure(
          `${file} line ${number}, column ${header[c]}: "${raw}" is not a finite number.`,
          'Remove or impute missing values first; only numbers are read.',
        );
      }
      return n;
    };
    features.forEach((c, j) => {
      x[r * features.length + j] = value(c);
    });
    targets.forEach((c, j) => {
      y[r * targets.length + j] = value(c);
    });
  });
  return {
    rows,
    features: features.length,
    steps: 1,
    outputs: targets.length,
    task: inferTask(y, targets.length),
    x,
    y,
  };
}

function inferTask(y: Float64Array, outputs: number): Task {
  if (!y.every((v) => v === 0 || v === 1)) return 'regression';
  if (outputs === 1) return 'binary';
  for (let r = 0; r < y.length / outputs; r++) {
    let ones = 0;
    for (let j = 0; j < outputs; j++) ones += y[r * outputs + j];
    if (ones !== 1) return 'regression';
  }
  return 'multiclass';
}
