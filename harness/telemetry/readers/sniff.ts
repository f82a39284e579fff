// Which reader a file needs, from its first bytes (never from its name).
import type { SourceFormat } from '../model.ts';

export type DetectedFormat = Extract<SourceFormat, 'evtx' | 'event-xml' | 'auditd' | 'sysmon-linux-syslog'> | 'json';

/** `type=SYSCALL msg=audit(1795436005.680:53): …`, optionally after `node=<host> ` */
export const AUDIT_RECORD = /^(?:node=(\S+) )?type=([A-Za-z0-9_]+) msg=audit\(([^)]*)\):\s?/;

/**
 * A syslog line written by Sysmon for Linux: `Mon DD HH:MM:SS host sysmon: <Event>…` (Debian,
 * Ubuntu) or `… sysmon[pid]: …` (RHEL family), also with an RFC 3339 timestamp (rsyslog's
 * high-precision template) or a `<PRI>` prefix. Group 1: host, group 2: the XML.
 */
export const SYSMON_SYSLOG = /^(?:<\d{1,3}>)?(?:[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\S+) (\S+) sysmon(?:\[\d+\])?: (<Event[\s>].*)$/;

export function sniffFormat(head: Buffer): DetectedFormat | undefined {
  if (head.subarray(0, 8).toString('latin1') === 'ElfFile\0') return 'evtx';
  const text = head.toString('utf8');
  const start = text.search(/\S/);
  if (start < 0) return undefined;
  const c = text[start];
  if (c === '<') return 'event-xml';
  if (c === '{' || c === '[') return 'json';
  const lines = text.slice(start).split('\n');
  // ausearch separates events with `----` and, without --raw, prints `time->…` lines
  const firstRecord = lines.find((l) => l.trim() !== '' && l.trim() !== '----' && !l.startsWith('time->'));
  if (firstRecord !== undefined && AUDIT_RECORD.test(firstRecord)) return 'auditd';
  // syslog holds other programs' lines too: any Sysmon line in the head decides
  if (lines.some((l) => SYSMON_SYSLOG.test(l.replace(/\r$/, '')))) return 'sysmon-linux-syslog';
  return undefined;
}

/** The first bytes, printable, for an "unrecognised format" message. */
export function describeHead(head: Buffer): string {
  const text = head.subarray(0, 48).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  return JSON.stringify(text);
}
