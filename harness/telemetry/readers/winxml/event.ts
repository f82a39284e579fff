// <Event> element tree → WinEvent. Shared by the Event XML reader and the EVTX reader, so both
// formats give identical WinEvents for the same event.
import type { WinEvent, WinEventDataItem } from '../../model.ts';
import { attrValue, hasElementChild, localName, textOf, type XElement } from './tree.ts';

/** The namespace of Windows event XML (absent in Sysmon for Linux). */
export const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** The element is well-formed XML but not a Windows event the model can hold. */
export class EventShapeError extends Error {}

function* elements(el: XElement): Generator<XElement> {
  for (const c of el.children) if (typeof c !== 'string') yield c;
}

export function winEventFromElement(ev: XElement): WinEvent {
  let system: XElement | undefined;
  let eventData: XElement | undefined;
  let userData: XElement | undefined;
  for (const c of elements(ev)) {
    const n = localName(c.name);
    if (n === 'System') system ??= c;
    else if (n === 'EventData') eventData ??= c;
    else if (n === 'UserData') userData ??= c;
    // RenderingInfo, ProcessingErrorData, DebugData: not part of the model
  }
  if (!system) throw new EventShapeError('<Event> has no <System> element');

  const out: WinEvent = {
    namespaced: ev.attrs.some((a) => a.name === 'xmlns' && a.value === EVENT_NS),
    provider: { name: '' },
    eventId: -1,
    systemTime: '',
    channel: '',
    computer: '',
    data: [],
  };
  for (const c of elements(system)) {
    switch (localName(c.name)) {
      case 'Provider': {
        out.provider.name = attrValue(c, 'Name') ?? '';
        const guid = attrValue(c, 'Guid');
        if (guid !== undefined) out.provider.guid = guid;
        const esn = attrValue(c, 'EventSourceName');
        if (esn !== undefined) out.provider.eventSourceName = esn;
        break;
      }
      case 'EventID': {
        const text = textOf(c).trim();
        if (!/^[0-9]{1,10}$/.test(text)) throw new EventShapeError(`invalid <EventID> ${JSON.stringify(text)} (expected a decimal number)`);
        out.eventId = Number(text);
        const q = attrValue(c, 'Qualifiers');
        if (q !== undefined) out.qualifiers = q;
        break;
      }
      case 'Version':
        out.version = textOf(c);
        break;
      case 'Level':
        out.level = textOf(c);
        break;
      case 'Task':
        out.task = textOf(c);
        break;
      case 'Opcode':
        out.opcode = textOf(c);
        break;
      case 'Keywords':
        out.keywords = textOf(c);
        break;
      case 'TimeCreated':
        out.systemTime = attrValue(c, 'SystemTime') ?? '';
        break;
      case 'EventRecordID':
        out.eventRecordId = textOf(c);
        break;
      case 'Correlation': {
        const activityId = attrValue(c, 'ActivityID');
        const relatedActivityId = attrValue(c, 'RelatedActivityID');
        if (activityId !== undefined || relatedActivityId !== undefined) {
          out.correlation = {};
          if (activityId !== undefined) out.correlation.activityId = activityId;
          if (relatedActivityId !== undefined) out.correlation.relatedActivityId = relatedActivityId;
        }
        break;
      }
      case 'Execution': {
        const processId = attrValue(c, 'ProcessID');
        const threadId = attrValue(c, 'ThreadID');
        out.execution = {};
        if (processId !== undefined) out.execution.processId = processId;
        if (threadId !== undefined) out.execution.threadId = threadId;
        break;
      }
      case 'Channel':
        out.channel = textOf(c);
        break;
      case 'Computer':
        out.computer = textOf(c);
        break;
      case 'Security': {
        // Windows writes UserID; Sysmon for Linux writes UserId.
        const uid = attrValue(c, 'UserID') ?? attrValue(c, 'UserId');
        if (uid !== undefined) out.userId = uid;
        break;
      }
    }
  }
  if (out.eventId < 0) throw new EventShapeError('<System> has no <EventID> element');

  if (eventData) {
    for (const c of elements(eventData)) {
      const n = localName(c.name);
      if (n === 'Data') {
        const item: WinEventDataItem = { value: textOf(c) };
        const name = attrValue(c, 'Name');
        if (name !== undefined) item.name = name;
        out.data.push(item);
      } else if (n === 'Binary') {
        out.binary = textOf(c);
      }
    }
  }
  if (userData) {
    let root: XElement | undefined;
    for (const c of elements(userData)) {
      root = c;
      break;
    }
    if (root) {
      out.userData = { name: localName(root.name) };
      const xmlns = root.attrs.find((a) => a.name === 'xmlns')?.value;
      if (xmlns !== undefined) out.userData.xmlns = xmlns;
      flattenLeaves(root, out.data);
    }
  }
  return out;
}

/** UserData: every leaf element becomes a named item, in document order, at any depth. */
function flattenLeaves(el: XElement, into: WinEventDataItem[]): void {
  for (const c of elements(el)) {
    if (hasElementChild(c)) flattenLeaves(c, into);
    else into.push({ name: localName(c.name), value: textOf(c) });
  }
}
