import { describe, expect, it } from 'vitest';
import { isOtrfObject, winEventFromOtrf } from '../../../../../harness/telemetry/readers/json/otrf.ts';

describe('OTRF / nxlog flat Windows JSON → WinEvent (telemetry.md §3: EventID integer, SourceName, Channel, Hostname, EventData at the top level)', () => {
  const o = {
    '@timestamp': '2020-10-23T02:36:43.542Z', TimeCreated: '2020-10-23T02:36:43.542Z', EventID: 4688, SourceName: 'Microsoft-Windows-Security-Auditing',
    ProviderGuid: '{54849625-5478-4994-a5ba-3e3b0328c30d}', Channel: 'Security', Hostname: 'WORKSTATION5', Task: '13312', Level: '0', Keywords: '0x8020000000000000',
    NewProcessName: 'C:\\Windows\\System32\\bitsadmin.exe', ProcessId: '0x273c', Message: 'A new process has been created.',
  };

  it('recognises the shape only with EventID, SourceName and Channel', () => {
    expect(isOtrfObject(o)).toBe(true);
    expect(isOtrfObject({ ...o, EventID: 'x' })).toBe(false);
    expect(isOtrfObject({ EventID: 1, Image: 'a' })).toBe(false);
  });

  it('System values by their nxlog names, collector metadata (Message, @timestamp) dropped, the rest as named EventData in order', () => {
    expect(winEventFromOtrf(o)).toEqual({
      namespaced: true,
      provider: { name: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' },
      eventId: 4688,
      systemTime: '2020-10-23T02:36:43.542Z',
      channel: 'Security',
      computer: 'WORKSTATION5',
      level: '0',
      task: '13312',
      keywords: '0x8020000000000000',
      data: [{ name: 'NewProcessName', value: 'C:\\Windows\\System32\\bitsadmin.exe' }, { name: 'ProcessId', value: '0x273c' }],
    });
  });
});
