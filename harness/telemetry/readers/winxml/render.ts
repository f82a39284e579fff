// WinEvent → event XML text, in the two layouts people meet.
//
// 'splunk': the `_raw` of a Splunk XmlWinEventLog event, i.e. what the Universal Forwarder gets
//   from EvtRender: one line, no whitespace between elements, single-quoted attributes, empty
//   items as `<Data Name='CommandLine'></Data>` (security_content data_sources example logs;
//   Splunk Attack Range recordings). Events without the events namespace are Sysmon for Linux,
//   whose `_raw` is the XML Sysmon itself writes to syslog: double-quoted attributes and
//   `Security/@UserId` (security_content sysmon_for_linux_eventid_1.yml example_log).
// 'windows': Event Viewer's XML view / "Save Selected Events… as XML": one element per line,
//   two-space indent, double quotes, empty elements as `<Data Name="CommandLine" />`
//   (Microsoft's event-4688 documentation sample).
import type { WinEvent } from '../../model.ts';
import { escapeAttr, escapeText } from './entities.ts';
import { EVENT_NS } from './builder.ts';

interface Layout {
  q: "'" | '"';
  /** between elements, given the nesting depth of the next element */
  sep: (depth: number) => string;
  /** end of an empty element: '/>' or ' />' */
  empty: string;
  /** an element with no text: empty form or open+close */
  emptyText: (open: string, name: string) => string;
}

const SPLUNK_WIN: Layout = { q: "'", sep: () => '', empty: '/>', emptyText: (open, name) => `${open}></${name}>` };
const SPLUNK_LINUX: Layout = { ...SPLUNK_WIN, q: '"' };
const WINDOWS: Layout = {
  q: '"',
  sep: (depth) => '\n' + '  '.repeat(depth),
  empty: ' />',
  emptyText: (open) => `${open} />`,
};

export function renderEventXml(event: WinEvent, style: 'splunk' | 'windows'): string {
  const L = style === 'windows' ? WINDOWS : event.namespaced ? SPLUNK_WIN : SPLUNK_LINUX;
  const q = L.q;
  const attr = (name: string, value: string | undefined): string =>
    value === undefined ? '' : ` ${name}=${q}${escapeAttr(value, q)}${q}`;
  const text = (depth: number, name: string, value: string | undefined, attrs = ''): string =>
    value === undefined
      ? ''
      : L.sep(depth) + (value === '' ? L.emptyText(`<${name}${attrs}`, name) : `<${name}${attrs}>${escapeText(value)}</${name}>`);
  const empty = (depth: number, name: string, attrs: string): string => `${L.sep(depth)}<${name}${attrs}${L.empty}`;

  let s = `<Event${event.namespaced ? attr('xmlns', EVENT_NS) : ''}>`;
  s += L.sep(1) + '<System>';
  const p = event.provider;
  s += empty(2, 'Provider', attr('Name', p.name) + attr('Guid', p.guid) + attr('EventSourceName', p.eventSourceName));
  s += text(2, 'EventID', String(event.eventId), attr('Qualifiers', event.qualifiers));
  s += text(2, 'Version', event.version);
  s += text(2, 'Level', event.level);
  s += text(2, 'Task', event.task);
  s += text(2, 'Opcode', event.opcode);
  s += text(2, 'Keywords', event.keywords);
  s += empty(2, 'TimeCreated', attr('SystemTime', event.systemTime));
  s += text(2, 'EventRecordID', event.eventRecordId);
  const c = event.correlation;
  s += empty(2, 'Correlation', attr('ActivityID', c?.activityId) + attr('RelatedActivityID', c?.relatedActivityId));
  const x = event.execution;
  if (x) s += empty(2, 'Execution', attr('ProcessID', x.processId) + attr('ThreadID', x.threadId));
  s += text(2, 'Channel', event.channel);
  s += text(2, 'Computer', event.computer);
  s += empty(2, 'Security', attr(event.namespaced ? 'UserID' : 'UserId', event.userId));
  s += L.sep(1) + '</System>';

  const ud = event.userData;
  if (ud) {
    // UserData is kept flattened in the model: its leaves are rebuilt under the root element.
    s += L.sep(1) + '<UserData>' + L.sep(2) + `<${ud.name}${attr('xmlns', ud.xmlns)}>`;
    for (const d of event.data) s += text(3, d.name ?? 'Data', d.value);
    s += L.sep(2) + `</${ud.name}>` + L.sep(1) + '</UserData>';
  } else if (event.data.length > 0 || event.binary !== undefined) {
    s += L.sep(1) + '<EventData>';
    for (const d of event.data) s += text(2, 'Data', d.value, attr('Name', d.name));
    s += text(2, 'Binary', event.binary);
    s += L.sep(1) + '</EventData>';
  }
  return s + L.sep(0) + '</Event>';
}
