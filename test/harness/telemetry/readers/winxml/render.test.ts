// renderEventXml: Splunk XmlWinEventLog _raw and Event Viewer layouts, and parse(render(e)) = e.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WinEvent } from '../../../../../harness/telemetry/model.ts';
import { parseEventXml, renderEventXml } from '../../../../../harness/telemetry/readers/winxml/index.ts';
import { REPO_ROOT } from '../../../../support/corpus.ts';

const msi: WinEvent = {
  namespaced: true,
  provider: { name: 'MsiInstaller' },
  eventId: 11707,
  qualifiers: '0',
  version: '0',
  level: '4',
  task: '0',
  opcode: '0',
  keywords: '0x80000000000000',
  systemTime: '2024-10-26T14:48:44.3500182Z',
  eventRecordId: '2389',
  execution: { processId: '0', threadId: '0' },
  channel: 'Application',
  computer: 'Server002',
  userId: 'S-1-5-21-1-2-3-1006',
  data: [{ value: 'Product: A & <B> "C" -- Installation completed successfully.' }, { value: '(NULL)' }, { value: '' }],
  binary: '7B42467D',
};

describe('renderEventXml', () => {
  it("'splunk': one line, single quotes, `<Data></Data>` for empty items, & < > escaped in text (security_content example logs)", () => {
    expect(renderEventXml(msi, 'splunk')).toBe(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='MsiInstaller'/>" +
        "<EventID Qualifiers='0'>11707</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode>" +
        "<Keywords>0x80000000000000</Keywords><TimeCreated SystemTime='2024-10-26T14:48:44.3500182Z'/><EventRecordID>2389</EventRecordID>" +
        "<Correlation/><Execution ProcessID='0' ThreadID='0'/><Channel>Application</Channel><Computer>Server002</Computer>" +
        "<Security UserID='S-1-5-21-1-2-3-1006'/></System><EventData><Data>Product: A &amp; &lt;B&gt; \"C\" -- Installation completed successfully.</Data>" +
        '<Data>(NULL)</Data><Data></Data><Binary>7B42467D</Binary></EventData></Event>',
    );
  });

  it("'splunk': a quote of the attribute's own kind is escaped", () => {
    const e: WinEvent = { ...msi, data: [{ name: "it's", value: 'x' }], binary: undefined };
    expect(renderEventXml(e, 'splunk')).toContain("<Data Name='it&apos;s'>x</Data>");
  });

  it("'splunk' for Sysmon for Linux (no namespace): the XML Sysmon writes itself, double quotes and Security/@UserId", () => {
    const [e] = parseEventXml(readFileSync(path.join(REPO_ROOT, 'test/fixtures/winxml/sysmon-linux-single-quoted.xml'), 'utf8'));
    const raw = renderEventXml(e!, 'splunk');
    expect(raw.startsWith('<Event><System><Provider Name="Linux-Sysmon" Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/>')).toBe(true);
    expect(raw).toContain('<Security UserId="0"/>');
    expect(raw).toContain('<Data Name="CommandLine">curl -s -o /dev/null http://127.0.0.1:8765/callback?x=1&amp;stage=install</Data>');
  });

  it("'windows': Event Viewer's XML view: indented, double quotes, ` />` for empty elements", () => {
    const e: WinEvent = { ...msi, data: [{ name: 'CommandLine', value: '' }, { name: 'Image', value: 'a.exe' }], binary: undefined };
    expect(renderEventXml(e, 'windows')).toBe(
      [
        '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">',
        '  <System>',
        '    <Provider Name="MsiInstaller" />',
        '    <EventID Qualifiers="0">11707</EventID>',
        '    <Version>0</Version>',
        '    <Level>4</Level>',
        '    <Task>0</Task>',
        '    <Opcode>0</Opcode>',
        '    <Keywords>0x80000000000000</Keywords>',
        '    <TimeCreated SystemTime="2024-10-26T14:48:44.3500182Z" />',
        '    <EventRecordID>2389</EventRecordID>',
        '    <Correlation />',
        '    <Execution ProcessID="0" ThreadID="0" />',
        '    <Channel>Application</Channel>',
        '    <Computer>Server002</Computer>',
        '    <Security UserID="S-1-5-21-1-2-3-1006" />',
        '  </System>',
        '  <EventData>',
        '    <Data Name="CommandLine" />',
        '    <Data Name="Image">a.exe</Data>',
        '  </EventData>',
        '</Event>',
      ].join('\n'),
    );
  });

  it('UserData events are rebuilt under their root element', () => {
    const e: WinEvent = {
      ...msi,
      binary: undefined,
      userData: { name: 'RmSessionEvent', xmlns: 'http://www.microsoft.com/2005/08/Windows/Reliability/RestartManager/' },
      data: [
        { name: 'RmSessionId', value: '0' },
        { name: 'UTCStartTime', value: '2024-10-26T14:48:44.117573800Z' },
      ],
    };
    expect(renderEventXml(e, 'splunk')).toContain(
      "<UserData><RmSessionEvent xmlns='http://www.microsoft.com/2005/08/Windows/Reliability/RestartManager/'><RmSessionId>0</RmSessionId>" +
        '<UTCStartTime>2024-10-26T14:48:44.117573800Z</UTCStartTime></RmSessionEvent></UserData>',
    );
  });

  it.each(['splunk', 'windows'] as const)('parseEventXml(renderEventXml(e, %s)) gives e back, carriage returns, tabs and quotes included', (style) => {
    const tricky: WinEvent = {
      ...msi,
      correlation: { activityId: '{42422748-35ED-0000-6027-4242ED35D701}' },
      provider: { name: 'P', guid: '{G}', eventSourceName: `a'b"c` },
      data: [{ name: 'Multi\tLine\nName', value: 'line1\r\nline2\ttab <x> & \'q\' "d"' }, { value: '' }],
    };
    for (const e of [msi, tricky]) expect(parseEventXml(renderEventXml(e, style))).toEqual([e]);
    const fixture = parseEventXml(readFileSync(path.join(REPO_ROOT, 'test/fixtures/winxml/msiinstaller-positional.xml'), 'utf8'));
    expect(fixture.map((e) => parseEventXml(renderEventXml(e, style))[0])).toEqual(fixture);
  });
});
