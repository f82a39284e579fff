import { describe, expect, it } from 'vitest';
import { describeHead, sniffFormat } from '../../../../harness/telemetry/readers/sniff.ts';

const sniff = (s: string | Buffer) => sniffFormat(typeof s === 'string' ? Buffer.from(s) : s);

describe('sniffFormat: the reader comes from the first bytes', () => {
  it.each([
    ['ElfFile\0 + binary header (EVTX)', Buffer.concat([Buffer.from('ElfFile\0'), Buffer.alloc(64)]), 'evtx'],
    ['<?xml declaration', '<?xml version="1.0"?>\n<Events>', 'event-xml'],
    ['a comment first (libevtx renderings)', '\n<!-- DERIVED -->\n<Events>', 'event-xml'],
    ["<Event xmlns='…'> (Splunk _raw)", "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>", 'event-xml'],
    ['a JSON object', '  {"a":1}', 'json'],
    ['a JSON array', '[\n{"a":1}]', 'json'],
    ['an auditd record', 'type=SYSCALL msg=audit(1795436005.680:53): arch=c000003e', 'auditd'],
    ['an auditd record with node=', 'node=lab type=EOE msg=audit(1.0:2): ', 'auditd'],
    ['ausearch output', '----\ntime->Thu Nov 23 12:13:25 2026\ntype=PROCTITLE msg=audit(1.0:2): proctitle=6964', 'auditd'],
    ['syslog with a Sysmon line after other programs’ lines', 'May  2 11:00:00 h systemd[1]: Started.\nMay  2 11:00:01 h sysmon: <Event><System></System></Event>', 'sysmon-linux-syslog'],
    ['RHEL sysmon[pid]: with an RFC 3339 time', '2024-05-02T11:00:03.1+00:00 h sysmon[812]: <Event><System/></Event>\r\n', 'sysmon-linux-syslog'],
  ])('%s', (_name, head, format) => {
    expect(sniff(head)).toBe(format);
  });

  it('plain text, syslog without Sysmon, and blank input are not recognised', () => {
    expect(sniff('Hello')).toBeUndefined();
    expect(sniff('May  2 11:00:00 h systemd[1]: Started.\n')).toBeUndefined();
    expect(sniff('   \n')).toBeUndefined();
  });

  it('describes the first bytes printably for the error message', () => {
    expect(describeHead(Buffer.from('\x00\x01abc\ndef'))).toBe('"..abc.def"');
  });
});
