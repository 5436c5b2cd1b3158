// The benchmark's output: one table on stdout (medians over rounds with their min–max spread, and each
// target met or missed) and bench/results.json with every round's figures and the details behind them.
import { writeFileSync } from 'node:fs';
import type { Summary } from './stats';

export interface Target {
  text: string;
  met: boolean;
}

export interface Row {
  measurement: string;
  figure: string;
  unit: string;
  summary: Summary;
  target?: Target;
}

export interface MeasurementResult {
  rows: Row[];
  /** Everything else worth keeping for a reader of results.json (per-round samples, counts, breakdowns). */
  details: Record<string, unknown>;
  /** Lines printed under the table (a breakdown too wide for it). */
  notes?: string;
}

/** Targets are judged on the median over rounds. */
export const atMost = (summary: Summary, limit: number, unit = ''): Target => ({ text: `≤ ${limit}${unit}`, met: summary.median <= limit });
export const above = (summary: Summary, limit: number): Target => ({ text: `> ${limit}`, met: summary.median > limit });
export const exactly = (summary: Summary, value: number): Target => ({
  text: `= ${value} every round`,
  met: summary.min === value && summary.max === value,
});

export function row(measurement: string, figure: string, unit: string, summary: Summary, target?: Target): Row {
  return target ? { measurement, figure, unit, summary, target } : { measurement, figure, unit, summary };
}

export function formatNumber(value: number, unit: string): string {
  if (unit === '×') return value.toFixed(2);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  return value.toFixed(magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2);
}

function cells(entry: Row, previous: Row | undefined): string[] {
  const { summary, unit } = entry;
  const spread = summary.min === summary.max ? '' : `${formatNumber(summary.min, unit)}–${formatNumber(summary.max, unit)}`;
  const target = entry.target ? `${entry.target.text} ${entry.target.met ? 'met' : 'MISSED'}` : '';
  return [
    previous?.measurement === entry.measurement ? '' : entry.measurement,
    entry.figure,
    `${formatNumber(summary.median, unit)} ${unit}`.trim(),
    spread,
    target,
  ];
}

/** Columns padded to their widest cell, a rule under the header. */
export function formatGrid(header: readonly string[], body: readonly string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((line) => line[column]!.length)));
  const render = (line: readonly string[]) => line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(header), rule, ...body.map(render)].join('\n');
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['measurement', 'figure', 'median', 'min–max', 'target'];
  return formatGrid(header, rows.map((entry, index) => cells(entry, rows[index - 1])));
}

export function writeResults(path: string, results: Record<string, unknown>): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
