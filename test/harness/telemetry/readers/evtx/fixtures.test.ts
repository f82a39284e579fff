// test/fixtures/evtx/lab-msi-chain.evtx: still what its generator builds, and read as intended.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEvtx } from '../../../../fixtures/evtx/builder.ts';
import { labMsiChainRecords } from '../../../../fixtures/evtx/lab-msi-chain.ts';
import { REPO_ROOT } from '../../../../support/corpus.ts';
import { readAll } from './support.ts';

const FILE = path.join(REPO_ROOT, 'test/fixtures/evtx/lab-msi-chain.evtx');

describe('lab-msi-chain.evtx fixture', () => {
  it('is byte for byte what test/fixtures/evtx/make-fixtures.ts generates', () => {
    expect(readFileSync(FILE).equals(buildEvtx(labMsiChainRecords()))).toBe(true);
  });

  it('reads as the test-1 chain: client msiexec, 1040 with its pid, the custom action child, 4688, 11707, 1042', async () => {
    const { records, warnings, error } = await readAll(FILE);
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(records.map((r) => `${r.event.provider.name}/${r.event.eventId}`)).toEqual([
      'Microsoft-Windows-Sysmon/1',
      'MsiInstaller/1040',
      'Microsoft-Windows-RestartManager/10000',
      'Microsoft-Windows-Sysmon/1',
      'Microsoft-Windows-Security-Auditing/4688',
      'MsiInstaller/11707',
      'MsiInstaller/1042',
    ]);
    const [client, m1040, rm, child, p4688, m11707, m1042] = records.map((r) => r.event);
    const field = (e: typeof client, name: string): string | undefined => e!.data.find((d) => d.name === name)?.value;
    expect(field(client, 'ProcessId')).toBe('3108');
    expect(field(client, 'LogonId')).toBe('0x000000000008d4ac'); // HexInt64 as libevtx prints it
    expect(field(client, 'ProcessGuid')).toBe('{96128EA2-0001-6787-1F00-000000000A00}');
    expect(m1040!.qualifiers).toBe('0');
    expect(m1040!.keywords).toBe('0x0080000000000000');
    expect(m1040!.data.map((d) => d.value)).toEqual(['C:\\lab\\T1546.016\\custom-action.msi', '3108', '(NULL)', '(NULL)', '(NULL)', '(NULL)', '']);
    expect(m1040!.binary).toBeUndefined();
    expect(rm!.data).toEqual([
      { name: 'RmSessionId', value: '0' },
      { name: 'UTCStartTime', value: '2025-01-15T10:40:00.499000000Z' },
    ]);
    expect(field(child, 'ParentCommandLine')).toBe('C:\\Windows\\System32\\MsiExec.exe -Embedding 696CA21DBD3EEAD595FC7EB55BF8BDA1');
    expect(field(child, 'Product')).toBe('Microsoft® Windows® Operating System');
    expect(field(p4688, 'NewProcessId')).toBe('0x000000000000134c');
    expect(field(p4688, 'MandatoryLabel')).toBe('S-1-16-12288');
    expect(p4688!.userId).toBeUndefined();
    expect(Buffer.from(m11707!.binary!, 'hex').toString()).toBe('{09943D09-F8C8-49D2-BAC4-930024B5BEF5}');
    expect(m1042!.userId).toBe('S-1-5-18');
  });
});
