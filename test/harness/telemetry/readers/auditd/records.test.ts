import { describe, expect, it } from 'vitest';
import { type AuditRecord, decodeUntrusted, field, parseRecord, untrusted } from '../../../../../harness/telemetry/readers/auditd/records.ts';

function record(text: string): AuditRecord {
  const r = parseRecord(text, 1);
  if ('error' in r) throw new Error(r.error);
  return r.record;
}

describe('parseRecord (telemetry.md §5: type=<TYPE> msg=audit(<epoch>.<ms>:<serial>): key=value …)', () => {
  it('reads type, time, serial and raw fields; quotes are kept in the token so quoted text and hex can be told apart', () => {
    const r = record('type=SYSCALL msg=audit(1795436005.680:53): arch=c000003e syscall=59 success=yes comm="curl" exe="/usr/bin/curl" key=(null)');
    expect([r.type, r.time, r.serial]).toEqual(['SYSCALL', '1795436005.680', 53]);
    expect(r.fields.get('comm')).toBe('"curl"');
    expect(field(r, 'comm')).toBe('curl');
    expect(field(r, 'key')).toBe('(null)');
  });

  it('log_format=ENRICHED: the interpreted upper-case fields after the 0x1D byte go to `enriched`', () => {
    const r = record('type=SYSCALL msg=audit(1.000:1): syscall=59 uid=0 exe="/usr/bin/curl"\x1dARCH=x86_64 SYSCALL=execve AUID="unset" UID="root"');
    expect([...r.fields.keys()]).toEqual(['syscall', 'uid', 'exe']);
    expect(Object.fromEntries(r.enriched)).toEqual({ ARCH: 'x86_64', SYSCALL: 'execve', AUID: 'unset', UID: 'root' });
  });

  it('the same enriched fields after a plain space (the Splunk samples lost the 0x1D byte)', () => {
    const r = record('type=PATH msg=audit(1723043687.149:14898): item=1 name="/etc/ssh/ssh_config~" nametype=DELETE cap_frootid=0 OUID="root" OGID="root"');
    expect(field(r, 'nametype')).toBe('DELETE');
    expect(Object.fromEntries(r.enriched)).toEqual({ OUID: 'root', OGID: 'root' });
  });

  it("a node= prefix, a single-quoted nested msg and a braced enriched SADDR are single values", () => {
    const r = record("node=lab1 type=USER_LOGIN msg=audit(1.5:9): pid=1 msg='op=login acct=\"lab\" res=failed'\x1dSADDR={ saddr_fam=inet laddr=127.0.0.1 lport=8765 } UID=\"root\"");
    expect(r.node).toBe('lab1');
    expect(field(r, 'msg')).toBe('op=login acct="lab" res=failed');
    expect(r.enriched.get('SADDR')).toBe('{ saddr_fam=inet laddr=127.0.0.1 lport=8765 }');
    expect(r.enriched.get('UID')).toBe('root');
  });

  it('rejects what is not a record, and explains interpreted `ausearch -i` output', () => {
    expect(parseRecord('hello world', 3)).toEqual({ error: 'not an auditd record (expected `type=<TYPE> msg=audit(<time>:<serial>): …`)', column: 1 });
    const i = parseRecord('type=EXECVE msg=audit(08/07/2024 15:31:24.257:15795) : argc=3', 1);
    expect('error' in i && i.error).toMatch(/ausearch -i/);
    expect(parseRecord('type=SYSCALL msg=audit(1.0:1): comm="unterminated', 1)).toEqual({ error: 'malformed key=value field', column: 32 });
  });
});

describe('untrusted strings (auditctl(8): values with spaces, quotes, controls or non-ASCII are logged as hex)', () => {
  it('quoted → as written; bare hex → decoded; (null) → absent', () => {
    const r = record('type=EXECVE msg=audit(1.0:1): argc=3 a0="curl" a1=2D6420 a2=(null) a3=C3A974C3A9');
    expect(untrusted(r, 'a0')).toBe('curl');
    expect(untrusted(r, 'a1')).toBe('-d ');
    expect(untrusted(r, 'a2')).toBeUndefined();
    expect(untrusted(r, 'a3')).toBe('été');
    expect(decodeUntrusted('63686D6F640037373700312E7368')).toBe('chmod\u0000777\u00001.sh');
  });
});
