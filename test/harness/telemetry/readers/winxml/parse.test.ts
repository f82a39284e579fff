// parseEventXml: the shapes Windows event XML comes in, and malformed XML.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../../harness/core/errors.ts';
import { parseEventXml } from '../../../../../harness/telemetry/readers/winxml/index.ts';
import { REPO_ROOT } from '../../../../support/corpus.ts';

const fixture = (name: string): string => path.join(REPO_ROOT, 'test/fixtures/winxml', name);
const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** A minimal event with the given EventData body. */
function ev(body: string, { id = 1, ns = true } = {}): string {
  return (
    `<Event${ns ? ` xmlns="${NS}"` : ''}><System><Provider Name="P"/><EventID>${id}</EventID>` +
    `<TimeCreated SystemTime="2025-01-01T00:00:00.0000000Z"/><Channel>C</Channel><Computer>H</Computer></System>${body}</Event>`
  );
}

function failure(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseEventXml: accepted shapes', () => {
  it('Sysmon for Linux: no namespace, single-quoted attributes, Security/@UserId, one event per line', () => {
    const events = parseEventXml(readFileSync(fixture('sysmon-linux-single-quoted.xml'), 'utf8'));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      namespaced: false,
      provider: { name: 'Linux-Sysmon', guid: '{ff032593-a8d3-4f13-b0d6-01fc615a0f97}' },
      eventId: 1,
      userId: '0',
      systemTime: '2025-01-15T10:42:47.749450000Z',
      execution: { processId: '1465', threadId: '1465' },
    });
    expect(events[0]!.data.find((d) => d.name === 'CommandLine')?.value).toBe(
      'curl -s -o /dev/null http://127.0.0.1:8765/callback?x=1&stage=install',
    );
    expect(events[1]!.eventId).toBe(3);
  });

  it('MsiInstaller (classic provider): positional <Data> in order, <Data/> and <Data></Data> as "", <Binary>, EventID Qualifiers', () => {
    const events = parseEventXml(readFileSync(fixture('msiinstaller-positional.xml'), 'utf8'));
    expect(events.map((e) => e.eventId)).toEqual([1040, 11707]);
    expect(events[0]).toMatchObject({ namespaced: true, qualifiers: '0', keywords: '0x0080000000000000', userId: 'S-1-5-21-1-2-3-1001' });
    expect(events[0]!.data).toEqual([
      { value: 'http://lab.invalid/packages/custom-action.msi' },
      { value: '3108' },
      { value: '(NULL)' },
      { value: '(NULL)' },
      { value: '(NULL)' },
      { value: '(NULL)' },
      { value: '' },
    ]);
    expect(events[0]!.binary).toBeUndefined();
    expect(events[1]!.data[0]!.value).toBe('Product: Lab & Test Installer -- Installation completed successfully.');
    expect(events[1]!.data[6]).toEqual({ value: '' });
    expect(events[1]!.binary).toBe('7B30393934334430392D463843382D343944322D424143342D3933303032344235424546357D');
  });

  it('one or many events: bare, inside <Events>, inside any wrapper, concatenated without separators', () => {
    const a = ev('', { id: 1 });
    const b = ev('', { id: 2 });
    expect(parseEventXml(a).map((e) => e.eventId)).toEqual([1]);
    expect(parseEventXml(`<Events>${a}\n${b}</Events>`).map((e) => e.eventId)).toEqual([1, 2]);
    expect(parseEventXml(`<root><batch n="1">${a}</batch><batch>${b}</batch></root>`).map((e) => e.eventId)).toEqual([1, 2]);
    expect(parseEventXml(a + b).map((e) => e.eventId)).toEqual([1, 2]);
  });

  it('XML declaration, comments, processing instructions and a DOCTYPE around and inside events are skipped', () => {
    const text = `\ufeff<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE Events [ <!ELEMENT Events ANY> ]>\n<!-- export -->\n<Events><?pi x?>${ev('<!-- c --><EventData><?p?><Data Name="a">1<!--x-->2</Data></EventData>')}</Events>`;
    expect(parseEventXml(text)[0]!.data).toEqual([{ name: 'a', value: '12' }]);
  });

  it('CDATA, the five predefined entities and decimal/hex character references are decoded (XML 1.0 §2.4, §4.1)', () => {
    const body = `<EventData><Data Name="c"><![CDATA[a<b & "c"]]></Data><Data Name="e">&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;</Data></EventData>`;
    expect(parseEventXml(ev(body))[0]!.data).toEqual([
      { name: 'c', value: 'a<b & "c"' },
      { name: 'e', value: `<>&"'AB\u{1F600}` },
    ]);
  });

  it('line ends are normalised to LF in text (§2.11); tabs and line breaks in attribute values become spaces (§3.3.3) unless written as references', () => {
    const body = `<EventData><Data Name="a\tb">line1\r\nline2\rline3&#13;</Data><Data Name="x&#10;y">v</Data></EventData>`;
    expect(parseEventXml(ev(body))[0]!.data).toEqual([
      { name: 'a b', value: 'line1\nline2\nline3\r' },
      { name: 'x\ny', value: 'v' },
    ]);
  });

  it('<UserData>: leaf elements become named items in document order, at any depth; the root element is kept', () => {
    const body =
      `<UserData><LogFileCleared xmlns:auto-ns3="http://schemas.microsoft.com/win/2004/08/events" xmlns="http://manifests.microsoft.com/win/2004/08/windows/eventlog">` +
      `<SubjectUserSid>S-1-5-21-1</SubjectUserSid><Inner><SubjectUserName>IEUser</SubjectUserName></Inner><Empty/></LogFileCleared></UserData>`;
    const e = parseEventXml(ev(body))[0]!;
    expect(e.userData).toEqual({ name: 'LogFileCleared', xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' });
    expect(e.data).toEqual([
      { name: 'SubjectUserSid', value: 'S-1-5-21-1' },
      { name: 'SubjectUserName', value: 'IEUser' },
      { name: 'Empty', value: '' },
    ]);
  });

  it('a namespace prefix on the envelope (<e:Event>) is accepted', () => {
    const text = `<e:Event xmlns:e="${NS}"><e:System><e:Provider Name="P"/><e:EventID>4</e:EventID><e:Channel>C</e:Channel><e:Computer>H</e:Computer></e:System></e:Event>`;
    expect(parseEventXml(text)[0]).toMatchObject({ eventId: 4, provider: { name: 'P' }, channel: 'C' });
  });

  it('Correlation, Execution, Provider EventSourceName, and absent optional fields stay absent', () => {
    const text = `<Event xmlns="${NS}"><System><Provider Name="P" Guid="{G}" EventSourceName="S"/><EventID Qualifiers="16384">1040</EventID><Correlation ActivityID="{A}"/><Channel>C</Channel><Computer>H</Computer><Security/></System></Event>`;
    const e = parseEventXml(text)[0]!;
    expect(e).toEqual({
      namespaced: true,
      provider: { name: 'P', guid: '{G}', eventSourceName: 'S' },
      eventId: 1040,
      qualifiers: '16384',
      systemTime: '',
      correlation: { activityId: '{A}' },
      channel: 'C',
      computer: 'H',
      data: [],
    });
  });

  it('text outside <Event> elements (a syslog prefix) is skipped', () => {
    const text = `Jan 15 10:42:47 lab-linux sysmon: ${ev('', { ns: false })}\nJan 15 10:42:48 lab-linux sysmon: ${ev('', { id: 3, ns: false })}\n`;
    expect(parseEventXml(text).map((e) => e.eventId)).toEqual([1, 3]);
  });
});

describe('parseEventXml: malformed XML is an InputError (exit 2) with file:line:column and a reason', () => {
  it('mismatched end tag', () => {
    const e = failure(() => parseEventXml(readFileSync(fixture('malformed-mismatched-tag.xml'), 'utf8'), 'malformed-mismatched-tag.xml'));
    expect(e.code).toBe('E_INPUT_XML');
    expect(e.exitCode).toBe(2);
    expect(e.describe()).toBe('malformed-mismatched-tag.xml:3:261: mismatched end tag </Datum>: expected </Data>');
  });

  it('an unknown entity, a bare &, an unquoted or duplicate attribute, < in an attribute value', () => {
    expect(failure(() => parseEventXml(ev('<EventData><Data>&nbsp;</Data></EventData>'), 'f.xml')).describe()).toMatch(
      /^f\.xml:1:\d+: unknown entity &nbsp;/,
    );
    expect(failure(() => parseEventXml(ev('<EventData><Data>a & b</Data></EventData>'))).message).toMatch(/'&' must be written as &amp;/);
    expect(failure(() => parseEventXml(ev('<EventData><Data Name=x>1</Data></EventData>'))).message).toMatch(
      /value of attribute Name of <Data> must be quoted/,
    );
    expect(failure(() => parseEventXml(ev('<EventData><Data Name="a" Name="b">1</Data></EventData>'))).message).toMatch(
      /duplicate attribute Name in <Data>/,
    );
    expect(failure(() => parseEventXml(ev('<EventData><Data Name="a<b">1</Data></EventData>'))).message).toMatch(/'<' is not allowed/);
  });

  it('the position counts lines and columns across a multi-line document', () => {
    const text = `<Events>\n  ${ev('<EventData>\n    <Data Name="x">1</Dta>\n  </EventData>')}\n</Events>`;
    const e = failure(() => parseEventXml(text, 'multi.xml'));
    expect(e.position).toMatchObject({ file: 'multi.xml', line: 3, column: 21 }); // '</Dta>' after 4 spaces, <Data Name="x"> and 1
  });

  it('end of input inside an event: names the open element and where the event started', () => {
    const text = `<Events>\n${ev('')}\n${ev('<EventData><Data Name="x">1</Data>').slice(0, -8)}`;
    const e = failure(() => parseEventXml(text, 't.xml'));
    expect(e.message).toBe('unexpected end of file inside <EventData>: <Event> opened at line 3, column 1 is not closed');
    expect(e.position).toMatchObject({ line: 3 });
  });

  it('an unclosed wrapper, a stray end tag, markup cut off at the end', () => {
    expect(failure(() => parseEventXml(`<Events>${ev('')}`)).message).toBe(
      'unexpected end of file: <Events> opened at line 1, column 1 is not closed',
    );
    expect(failure(() => parseEventXml(`${ev('')}</Events>`)).message).toBe('unexpected end tag </Events> (no element is open)');
    expect(failure(() => parseEventXml(`${ev('')}<Even`)).message).toBe('unexpected end of file inside markup');
  });

  it('well-formed but not an event: no <System>, no or non-numeric <EventID>', () => {
    expect(failure(() => parseEventXml('<Event><Foo/></Event>')).message).toBe('<Event> has no <System> element');
    expect(failure(() => parseEventXml('<Event><System><Provider Name="P"/></System></Event>')).message).toBe(
      '<System> has no <EventID> element',
    );
    expect(failure(() => parseEventXml('<Event><System><EventID>x1</EventID></System></Event>')).message).toMatch(/invalid <EventID> "x1"/);
  });

  it('empty input, whitespace only, and XML without any <Event>', () => {
    const empty = failure(() => parseEventXml('', 'empty.xml'));
    expect(empty.code).toBe('E_INPUT_EMPTY');
    expect(empty.describe()).toBe('empty.xml: file is empty: no Windows events to read');
    expect(failure(() => parseEventXml(' \n\t')).code).toBe('E_INPUT_EMPTY');
    const none = failure(() => parseEventXml('<Events></Events>', 'none.xml'));
    expect(none.code).toBe('E_INPUT_XML');
    expect(none.describe()).toBe('none.xml: no <Event> element found (expected Windows event XML)');
    expect(failure(() => parseEventXml('{"EventID": 1}')).message).toBe('no <Event> element found (expected Windows event XML)');
  });
});
