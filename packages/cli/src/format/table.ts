import { visibleLength } from '../term.ts';

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

const pad = (text: string, width: number, align: 'left' | 'right') => {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'right' ? fill + text : text + fill;
};

/**
 * A plain-text table: a header, a rule, then one line per row, columns separated by two
 * spaces. Cells may hold colour codes; widths count visible characters only.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) =>
    Math.max(visibleLength(c.header), ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => pad(cells[i] ?? '', widths[i], c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((r) => line(r)),
  ].join('\n');
}

/** RFC 4180 CSV: fields with commas, quotes or newlines are quoted. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
