import { toCsv } from './table.ts';

type Cell = string | number;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const scalar = (v: unknown): v is number | string | null | boolean =>
  v === null || ['number', 'string', 'boolean'].includes(typeof v);
const cell = (v: unknown): Cell => (v === null || v === undefined ? '' : typeof v === 'number' ? v : String(v));

/**
 * A training probe's report (`{ layers: [...], history: [{ step, …per-layer arrays }] }`) as
 * long-format CSV: one row per step and layer. Per-layer arrays of numbers become columns,
 * per-layer objects become `key.field` columns, per-step scalars and objects repeat on each
 * row of their step. Nested arrays (histograms) are left to the JSON. Returns undefined for
 * reports without that shape.
 */
export function historyReportToCsv(report: unknown): string | undefined {
  if (!isPlainObject(report) || !Array.isArray(report.history) || !Array.isArray(report.layers)) return undefined;
  const layers = report.layers as unknown[];
  const n = layers.length;
  const header: string[] = ['step', 'layer', 'activation'];
  const rows: Record<string, Cell>[] = [];
  const put = (row: Record<string, Cell>, key: string, v: unknown) => {
    if (!scalar(v)) return;
    if (!header.includes(key)) header.push(key);
    row[key] = cell(v);
  };
  for (const record of report.history as unknown[]) {
    if (!isPlainObject(record)) continue;
    for (let l = 0; l < n; l++) {
      const info = layers[l];
      const row: Record<string, Cell> = {
        step: cell(record.step),
        layer: isPlainObject(info) ? cell(info.index ?? l) : l,
        activation: isPlainObject(info) ? cell(info.activation) : '',
      };
      for (const [key, value] of Object.entries(record)) {
        if (key === 'step') continue;
        if (Array.isArray(value) && value.length === n) {
          const v = value[l];
          if (isPlainObject(v)) for (const [f, x] of Object.entries(v)) put(row, `${key}.${f}`, x);
          else put(row, key, v);
        } else if (isPlainObject(value)) {
          for (const [f, x] of Object.entries(value)) put(row, `${key}.${f}`, x);
        } else put(row, key, value);
      }
      rows.push(row);
    }
  }
  return toCsv(
    header,
    rows.map((r) => header.map((h) => r[h] ?? '')),
  );
}
