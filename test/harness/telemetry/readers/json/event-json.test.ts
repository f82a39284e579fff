import { describe, expect, it } from 'vitest';
import { eventJsonFormat, isEventJson, winEventFromJson } from '../../../../../harness/telemetry/readers/json/event-json.ts';

const rust = {
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      Provider: { '#attributes': { Name: 'MsiInstaller' } },
      EventID: { '#attributes': { Qualifiers: 0 }, '#text': 1033 },
      Version: 0, Level: 4, Task: 0, Opcode: 0, Keywords: '0x80000000000000',
      TimeCreated: { '#attributes': { SystemTime: '2025-11-28T06:43:04.582969Z' } },
      EventRecordID: 12, Correlation: { '#attributes': { ActivityID: 'A0B1C2D3-0000-1111-2222-333344445555' } },
      Execution: { '#attributes': { ProcessID: 0, ThreadID: 0 } }, Channel: 'Application', Computer: 'host1',
      Security: { '#attributes': { UserID: 'S-1-5-18' } },
    },
    EventData: { Data: { '#text': ['Name', '1.0', '1033', '0', 'Maker', '(NULL)', ''] }, Binary: '7B41' },
  },
};

const powershell = {
  Event: {
    System: {
      Provider: { '@Name': 'Microsoft-Windows-Sysmon', '@Guid': '5770385f-c22a-43e0-bf4c-06f5698ffbd9' },
      EventID: '1', Version: '5', TimeCreated: { '@SystemTime': '2024-10-26 15:13:47.3559412' }, EventRecordID: '17954', Correlation: null,
      Execution: { '@ProcessID': '3012', '@ThreadID': '4760' }, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'Server002', Security: { '@UserID': 'S-1-5-18' },
    },
    EventData: { Data: [{ '@Name': 'ProcessGuid', '#text': 'dbf410b3-072b-671d-c000-000000003900' }, { '@Name': 'Description' }, { '@Name': 'ProcessId', '#text': '2844' }] },
  },
};

describe('winEventFromJson', () => {
  it('recognises the shape and which renderer wrote it (PowerShell "@" attributes, Rust "#attributes")', () => {
    expect(isEventJson(rust)).toBe(true);
    expect(isEventJson({ Event: 'x' })).toBe(false);
    expect(eventJsonFormat(rust)).toBe('json-evtx-rs');
    expect(eventJsonFormat(powershell)).toBe('json-powershell');
  });

  it('Rust evtx crate: numbers become text, EventID Qualifiers kept, positional Data items from "#text", Binary as given', () => {
    expect(winEventFromJson(rust)).toEqual({
      namespaced: true,
      provider: { name: 'MsiInstaller' },
      eventId: 1033,
      qualifiers: '0',
      version: '0', level: '4', task: '0', opcode: '0', keywords: '0x80000000000000',
      systemTime: '2025-11-28T06:43:04.582969Z',
      eventRecordId: '12',
      correlation: { activityId: '{A0B1C2D3-0000-1111-2222-333344445555}' },
      execution: { processId: '0', threadId: '0' },
      channel: 'Application', computer: 'host1', userId: 'S-1-5-18',
      data: ['Name', '1.0', '1033', '0', 'Maker', '(NULL)', ''].map((value) => ({ value })),
      binary: '7B41',
    });
  });

  it("PowerShell: named items from @Name/#text, an item without #text is '', bare lower-case GUIDs get Windows' {UPPER} form back", () => {
    const e = winEventFromJson(powershell);
    expect(e.provider).toEqual({ name: 'Microsoft-Windows-Sysmon', guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}' });
    expect(e.data).toEqual([
      { name: 'ProcessGuid', value: '{DBF410B3-072B-671D-C000-000000003900}' },
      { name: 'Description', value: '' },
      { name: 'ProcessId', value: '2844' },
    ]);
    expect(e.systemTime).toBe('2024-10-26 15:13:47.3559412');
    expect(e.correlation).toBeUndefined();
  });

  it('PowerShell: Binary loses its dashes; UserData leaves are named items', () => {
    const e = winEventFromJson({
      Event: {
        System: { Provider: { '@Name': 'Microsoft-Windows-RestartManager' }, EventID: '10000', TimeCreated: { '@SystemTime': '2024-10-26 15:13:49.6365005' }, Channel: 'Application', Computer: 'h' },
        UserData: { RmSessionEvent: { RmSessionId: '0', UTCStartTime: '2024-10-26 15:13:49.6349827' } },
      },
    });
    expect(e.data).toEqual([{ name: 'RmSessionId', value: '0' }, { name: 'UTCStartTime', value: '2024-10-26 15:13:49.6349827' }]);
    expect(e.userData).toEqual({ name: 'RmSessionEvent' });
    const b = winEventFromJson({
      Event: { System: { Provider: { '@Name': 'MsiInstaller' }, EventID: { '@Qualifiers': '0', '#text': '11707' } }, EventData: { Data: 'Product: P -- Installation completed successfully., (NULL), (NULL), (NULL), (NULL), (NULL)', Binary: '7B-30-7D' } },
    });
    expect(b.binary).toBe('7B307D');
    expect(b.data.map((d) => d.value)).toEqual(['Product: P -- Installation completed successfully.', '(NULL)', '(NULL)', '(NULL)', '(NULL)', '(NULL)', '']);
  });

  it('Sysmon for Linux (no events namespace) is not namespaced', () => {
    const e = winEventFromJson({ Event: { System: { Provider: { '@Name': 'Linux-Sysmon' }, EventID: '1', Channel: 'Linux-Sysmon/Operational', Computer: 'l' } } });
    expect(e.namespaced).toBe(false);
  });
});
