// Output helpers shared by commands: JSON lines and plain-text tables.
import type { ResultRow } from '../../detections/engines/types.ts';

export function jsonLine(value: unknown): string {
  return JSON.stringify(value) + '\n';
}

function cell(v: string | string[] | undefined): string {
  if (v === undefined) return '';
  return (Array.isArray(v) ? v.join(' | ') : v).replace(/\s+/g, ' ');
}

/** A plain table: columns in first-seen order, cells clipped to `width`. */
export function table(rows: readonly ResultRow[], width = 60): string {
  if (rows.length === 0) return '(no results)\n';
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const clip = (s: string) => (s.length > width ? s.slice(0, width - 1) + '…' : s);
  const cells = rows.map((r) => columns.map((c) => clip(cell(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}
