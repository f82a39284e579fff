// The records of one auditd event (record.type 'auditd') as the flat fields a product extracts
// from them: every record's key=value pairs, quotes removed, values as written (hex stays hex, as
// Splunk's linux:audit extraction and Sigma's auditd rules see it, sigma.md §3.5), the record types
// as the multivalue `type`, and `msg` = `audit(<time>:<serial>)`. A key found in several records
// (PATH's `name`, `item`; SYSCALL's and EXECVE's `a0`) becomes multivalue in record order, each
// distinct value once. Enriched (upper-case) fields are kept under their own names.
import { parseRecord } from '../readers/auditd/records.ts';
import type { FieldMap } from './expr.ts';

function add(f: FieldMap, key: string, value: string): void {
  const prev = f[key];
  if (prev === undefined) f[key] = value;
  else if (Array.isArray(prev)) {
    if (!prev.includes(value)) prev.push(value);
  }
  else if (prev !== value) f[key] = [prev, value];
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0]) ? v.slice(1, -1) : v;
}

export function auditdFields(lines: readonly string[]): FieldMap {
  const f: FieldMap = {};
  lines.forEach((text, i) => {
    const parsed = parseRecord(text, i + 1);
    if (!('record' in parsed)) return;
    const r = parsed.record;
    add(f, 'type', r.type);
    if (f.msg === undefined) f.msg = `audit(${r.time}:${r.serial})`;
    if (r.node !== undefined && f.node === undefined) f.node = r.node;
    for (const [k, v] of r.fields) add(f, k, unquote(v));
    for (const [k, v] of r.enriched) add(f, k, v);
  });
  return f;
}
