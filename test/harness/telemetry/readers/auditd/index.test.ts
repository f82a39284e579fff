import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, events, fixture } from '../collect.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'atomic-lab-auditd-'));
const rec = (serial: number, type: string, rest: string, t = '1795436005.000') => `type=${type} msg=audit(${t}:${serial}): ${rest}`;

describe('auditd reader: records grouped by audit(<time>:<serial>) into events (telemetry.md §5)', () => {
  it('the pip → curl capture: one canonical event per execve/connect/file-create, other groups one raw event, in first-record order', async () => {
    const evs = await events(fixture('auditd-pip-curl.log'));
    expect(evs.map((e) => `${e.origin.record}:${e.kind}`)).toEqual([
      '50:process_creation', '52:raw', '53:process_creation', '54:raw', '56:network_connection', '57:raw', '58:file_event',
      '60:raw', '61:process_creation', '62:process_creation', '63:process_creation', '64:raw', '65:process_creation',
    ]);
    expect(evs.every((e) => e.origin.format === 'auditd' && e.origin.sensor === 'auditd' && e.origin.synthetic && e.platform === 'linux')).toBe(true);
  });

  it('a group interleaved with another serial is still one event; record.type auditd keeps its raw lines, in file order', async () => {
    const curl = (await events(fixture('auditd-pip-curl.log'))).find((e) => e.origin.record === 53)!;
    expect(curl.origin.line).toBe(10);
    expect(curl.record.type).toBe('auditd');
    const lines = curl.record.type === 'auditd' ? curl.record.lines : [];
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['type=SYSCALL', 'type=EXECVE', 'type=EXECVE', 'type=CWD', 'type=PATH', 'type=PATH', 'type=PROCTITLE', 'type=EOE']);
    expect(lines.some((l) => l.includes('USER_LOGIN'))).toBe(false);
  });

  it('a record more than 512 records late starts a new event and is reported', async () => {
    const f = path.join(tmp, 'late.log');
    const filler = Array.from({ length: 520 }, (_, i) => rec(1000 + i, 'USER_AUTH', 'pid=1 uid=0 res=success'));
    writeFileSync(f, [
      rec(7, 'SYSCALL', 'arch=c000003e syscall=59 success=yes exit=0 items=0 ppid=1 pid=50 uid=0 comm="true" exe="/usr/bin/true"'),
      ...filler,
      rec(7, 'EXECVE', 'argc=1 a0="true"'),
    ].join('\n'));
    const r = await collect(f);
    expect(r.error).toBeUndefined();
    expect(r.events).toHaveLength(522);
    expect(r.warnings).toContain(`${f}:522: EXECVE record of audit event 7 arrived more than 512 records after the event's others; read as a separate event`);
  });

  it('a truncated group (EXECVE argc=3 with two arguments) is read with what is there, plus a warning naming the event', async () => {
    const r = await collect(fixture('auditd-truncated.log'));
    expect(r.error).toBeUndefined();
    expect(r.events[0]!.process?.commandLine).toBe('sh -c');
    expect(r.warnings).toContain(`${fixture('auditd-truncated.log')}:1: audit event 70: EXECVE argc=3 but argument a2 is missing (records lost?)`);
  });

  it('a line that is not a record stops the file with line:column, after every event before it (even an unfinished group)', async () => {
    const f = path.join(tmp, 'garbage.log');
    writeFileSync(f, [
      rec(1, 'SYSCALL', 'arch=c000003e syscall=59 success=yes exit=0 items=0 ppid=1 pid=50 uid=0 comm="true" exe="/usr/bin/true"'),
      rec(1, 'EXECVE', 'argc=1 a0="true"'),
      '----',
      'this line is garbage',
      rec(2, 'USER_AUTH', 'pid=1'),
    ].join('\n'));
    const r = await collect(f);
    expect(r.events.map((e) => e.kind)).toEqual(['process_creation']);
    expect(r.error?.describe()).toBe(`${f}:4:1: not an auditd record (expected \`type=<TYPE> msg=audit(<time>:<serial>): …\`)`);
  });

  it('ausearch output: `----` separators and `time->` lines are skipped', async () => {
    const f = path.join(tmp, 'ausearch.log');
    writeFileSync(f, ['----', 'time->Thu Nov 23 12:13:25 2026', rec(3, 'SYSCALL', 'arch=c000003e syscall=59 success=yes exit=0 items=0 ppid=1 pid=51 uid=0 exe="/usr/bin/id"'), rec(3, 'EXECVE', 'argc=1 a0="id"'), '----'].join('\n'));
    expect((await events(f)).map((e) => e.process?.commandLine)).toEqual(['id']);
  });
});
