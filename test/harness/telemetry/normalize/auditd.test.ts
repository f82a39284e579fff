import { describe, expect, it } from 'vitest';
import { AuditdNormalizer, decodeSockaddr, execveArgs } from '../../../../harness/telemetry/normalize/auditd.ts';
import { type AuditRecord, parseRecord } from '../../../../harness/telemetry/readers/auditd/records.ts';

let line = 0;
function recs(serial: number, ...texts: string[]): AuditRecord[] {
  return texts.map((t) => {
    const r = parseRecord(`type=${t.split(' ')[0]} msg=audit(1795436005.${String(serial).padStart(3, '0')}:${serial}): ${t.split(' ').slice(1).join(' ')}`, ++line);
    if ('error' in r) throw new Error(r.error);
    return r.record;
  });
}
const execve = (serial: number, pid: number, ppid: number, exe: string, args: string) =>
  recs(serial, `SYSCALL arch=c000003e syscall=59 success=yes exit=0 items=2 ppid=${ppid} pid=${pid} uid=0 comm="x" exe="${exe}"`, `EXECVE ${args}`, 'PATH item=0 name="a" nametype=NORMAL', 'PATH item=1 name="b" nametype=NORMAL');

describe('decodeSockaddr (telemetry.md §5: 0200 = AF_INET, port big-endian, then the IPv4 address)', () => {
  it.each([
    ['0200223D7F0000010000000000000000', { family: 'inet', ip: '127.0.0.1', port: '8765' }],
    ['0A0001BB00000000200104F8000300BA0000000000000001' + '00000000', { family: 'inet6', ip: '2001:4f8:3:ba::1', port: '443' }],
    ['0A000050000000000000000000000000' + '0000FFFF0A000005' + '00000000', { family: 'inet6', ip: '::ffff:10.0.0.5', port: '80' }],
    ['01002F7661722F72756E2F6E7363642F736F636B657400', { family: 'unix' }],
    ['1000', { family: 'netlink' }],
  ])('%s', (hex, out) => {
    expect(decodeSockaddr(hex)).toEqual(out);
  });
  it('is undefined for what is not hex', () => expect(decodeSockaddr('zz')).toBeUndefined());
});

describe('execveArgs (auditctl(8): hex arguments, aN_len + aN[i] chunks over several EXECVE records)', () => {
  it('joins quoted and hex arguments and reassembles split ones, quoted or hex', () => {
    const problems: string[] = [];
    const r = recs(1, 'EXECVE argc=4 a0="curl" a1=2D6420 a2_len=10 a2[0]="http:" a3_len=6', 'EXECVE a2[1]="//x/y" a3[0]=2D20 a3[1]=78');
    expect(execveArgs(r, problems)).toEqual(['curl', '-d ', 'http://x/y', '- x']);
    expect(problems).toEqual([]);
  });

  it('reports a missing argument and a split argument shorter than its aN_len', () => {
    const problems: string[] = [];
    expect(execveArgs(recs(2, 'EXECVE argc=3 a0="sh" a1_len=20 a1[0]="abc"'), problems)).toEqual(['sh', 'abc']);
    expect(problems).toEqual([
      'EXECVE argument a1 is 20 characters long but only 3 were logged (records lost?)',
      'EXECVE argc=3 but argument a2 is missing (records lost?)',
    ]);
  });
});

describe('AuditdNormalizer: Sysmon-for-Linux-shaped events and the process tree (telemetry.md §7)', () => {
  it('CommandLine comes from EXECVE, never from PROCTITLE (capped, and may show the parent’s argv)', () => {
    const n = new AuditdNormalizer('a.log');
    const g = [...execve(3, 209, 208, '/usr/bin/curl', 'argc=2 a0="curl" a1="http://127.0.0.1:8765"'), ...recs(3, 'PROCTITLE proctitle=707974686F6E33002D63')];
    const { events } = n.normalize(g);
    expect(events[0]!.process?.commandLine).toBe('curl http://127.0.0.1:8765');
  });

  it('a failed execve is not a process creation', () => {
    const n = new AuditdNormalizer('a.log');
    const { events } = n.normalize(recs(4, 'SYSCALL arch=c000003e syscall=59 success=no exit=-2 items=1 ppid=1 pid=5 uid=0 exe="/usr/bin/bash"', 'EXECVE argc=1 a0="nope"', 'PATH item=0 name="nope" nametype=UNKNOWN'));
    expect(events.map((e) => e.kind)).toEqual(['raw']);
  });

  it('connect: success, or -115 EINPROGRESS, is a connection; ECONNREFUSED is not', () => {
    const n = new AuditdNormalizer('a.log');
    const connect = (serial: number, result: string) => n.normalize(recs(serial,
      `SYSCALL arch=c000003e syscall=42 ${result} items=0 ppid=1 pid=9 uid=0 exe="/usr/bin/curl"`, 'SOCKADDR saddr=0200223D7F0000010000000000000000')).events[0]!.kind;
    expect(connect(5, 'success=yes exit=0')).toBe('network_connection');
    expect(connect(6, 'success=no exit=-115')).toBe('network_connection');
    expect(connect(7, 'success=no exit=-111')).toBe('raw');
  });

  it('i386 socketcall(SYS_CONNECT) and the syscall number tables without enriched names', () => {
    const n = new AuditdNormalizer('a.log');
    const e = n.normalize(recs(8, 'SYSCALL arch=40000003 syscall=102 success=yes exit=0 a0=3 items=0 ppid=1 pid=9 uid=0 exe="/bin/nc"', 'SOCKADDR saddr=0200005009080808')).events[0]!;
    expect(e.network).toEqual({ initiated: true, destinationIp: '9.8.8.8', destinationPort: '80' });
    const arm = n.normalize(recs(9, 'SYSCALL arch=c00000b7 syscall=221 success=yes exit=0 items=2 ppid=1 pid=10 uid=0 exe="/usr/bin/id"', 'EXECVE argc=1 a0="id"', 'PATH item=0 name="a"', 'PATH item=1 name="b"')).events[0]!;
    expect(arm.kind).toBe('process_creation');
  });

  it('ParentImage from the parent’s own execve; a fork child runs the parent’s image; pid reuse is seen through a new exec or a different exe', () => {
    const n = new AuditdNormalizer('a.log');
    n.normalize(execve(10, 100, 1, '/usr/bin/python3', 'argc=2 a0="python3" a1="setup.py"'));
    // 100 forks 101; 101 (never exec'd) starts 102
    n.normalize(recs(11, 'SYSCALL arch=c000003e syscall=57 success=yes exit=101 items=0 ppid=1 pid=100 uid=0 exe="/usr/bin/python3"'));
    const child = n.normalize(execve(12, 102, 101, '/usr/bin/curl', 'argc=1 a0="curl"')).events[0]!;
    expect(child.parent).toEqual({ pid: '101', image: '/usr/bin/python3', commandLine: 'python3 setup.py' });
    // 100 exits, pid 100 is reused by bash
    n.normalize(recs(13, 'SYSCALL arch=c000003e syscall=231 a0=0 items=0 ppid=1 pid=100 uid=0 exe="/usr/bin/python3"'));
    expect(n.normalize(execve(14, 103, 100, '/usr/bin/id', 'argc=1 a0="id"')).events[0]!.parent).toEqual({ pid: '100' });
    n.normalize(execve(15, 100, 1, '/usr/bin/bash', 'argc=1 a0="bash"'));
    expect(n.normalize(execve(16, 104, 100, '/usr/bin/id', 'argc=1 a0="id"')).events[0]!.parent).toEqual({ pid: '100', image: '/usr/bin/bash', commandLine: 'bash' });
    // 100 is seen running sshd without an exec we saw: its children's parent is sshd, command line unknown
    n.normalize(recs(17, 'SYSCALL arch=c000003e syscall=257 success=no exit=-2 items=0 ppid=1 pid=100 uid=0 exe="/usr/sbin/sshd"'));
    expect(n.normalize(execve(18, 105, 100, '/usr/bin/env', 'argc=1 a0="env"')).events[0]!.parent).toEqual({ pid: '100', image: '/usr/sbin/sshd' });
  });

  it('PATH nametype=CREATE → file_event, a relative name joined to CWD; several creates give several events', () => {
    const n = new AuditdNormalizer('a.log');
    const { events } = n.normalize(recs(20,
      'SYSCALL arch=c000003e syscall=264 success=yes exit=0 items=4 ppid=1 pid=7 uid=0 exe="/usr/bin/mv"', 'CWD cwd="/lab/pkg/"',
      'PATH item=0 name="/lab/pkg/" nametype=PARENT', 'PATH item=1 name="/tmp/" nametype=PARENT', 'PATH item=2 name="a.txt" nametype=DELETE', 'PATH item=3 name="/tmp/b.txt" nametype=CREATE',
    ));
    expect(events.map((e) => [e.kind, e.file?.path])).toEqual([['file_event', '/tmp/b.txt']]);
    const two = n.normalize(recs(21, 'SYSCALL arch=c000003e syscall=257 success=yes exit=3 items=2 ppid=1 pid=7 uid=0 exe="/usr/bin/touch"', 'CWD cwd="/lab"',
      'PATH item=0 name="x" nametype=CREATE', 'PATH item=1 name=792079 nametype=CREATE')).events;
    expect(two.map((e) => e.file?.path)).toEqual(['/lab/x', '/lab/y y']);
  });

  it('records that belong to a syscall event but come without SYSCALL are raw, with a warning (truncated excerpt)', () => {
    const n = new AuditdNormalizer('a.log');
    const r = n.normalize(recs(22, 'EXECVE argc=3 a0="sudo" a1="LD_PRELOAD=./myfopen.so" a2="./prog"'));
    expect(r.events.map((e) => e.kind)).toEqual(['raw']);
    expect(r.warnings).toEqual([expect.stringMatching(/^a\.log:\d+: audit event 22: has EXECVE but no SYSCALL record \(event truncated\?\)$/)]);
  });
});
