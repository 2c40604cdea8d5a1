import { round } from '../measure/stats.ts';
import type { Row } from './types.ts';

/** The cells of one table row, as printed in the console and in markdown. */
export function cells(row: Row): string[] {
  return [
    row.scenario,
    row.metric,
    `${num(row.value)} ${row.unit}`,
    row.baseline ? `${num(row.baseline.value)} ${row.baseline.unit} (${row.baseline.label})` : '',
    row.ratio === undefined ? '' : `${num(row.ratio)}x`,
    row.target ?? '',
    row.pass === undefined ? '' : row.pass ? 'PASS' : 'MISS',
  ];
}

export const HEADERS = ['scenario', 'figure', 'value', 'baseline (same run)', 'ratio', 'target', ''];

export function num(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return round(value).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** A plain-text table with padded columns. */
export function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: string[]): string =>
    cols
      .map((col, i) => col.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function markdownTable(headers: string[], rows: string[][]): string {
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  return [
    `| ${headers.map(escape).join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ].join('\n');
}
