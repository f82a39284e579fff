// Event XML → WinEvent, fed element by element (start / text / end), so neither reader builds an
// intermediate tree: the text reader (markup.ts) and the EVTX reader (through WinEventSink) feed
// this one mapping, so both formats give identical WinEvents for the same event.
//
// Mapping: <System> children give the envelope fields; <EventData>/<Data> give items (named by
// @Name, or positional), <EventData>/<Binary> the hex blob; every leaf element under <UserData>
// becomes a named item, in document order, at any depth, and the UserData root element is kept.
// Only the first <System>, <EventData> and <UserData> count; RenderingInfo and others are ignored.
import type { WinEvent } from '../../model.ts';

/** The namespace of Windows event XML (absent in Sysmon for Linux). */
export const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** The element is well-formed XML but not a Windows event the model can hold. */
export class EventShapeError extends Error {}

const NONE = 0;
const SYSTEM = 1;
const EVENT_DATA = 2;
const USER_DATA = 3;
const OTHER = 4;

export function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** `attrs` is a flat list [name, value, name, value, ...] of the first `count` * 2 entries. */
function attr(attrs: readonly string[], count: number, local: string): string | undefined {
  for (let i = 0; i < count * 2; i += 2) if (attrs[i] === local) return attrs[i + 1];
  for (let i = 0; i < count * 2; i += 2) {
    const n = attrs[i]!;
    if (n.startsWith('xmlns')) continue;
    if (localName(n) === local) return attrs[i + 1];
  }
  return undefined;
}

export class WinEventBuilder {
  private ev!: WinEvent;
  private depth = 0;
  private section = NONE;
  private seen = 0; // bit per section already read
  // per open element, by depth: local name, direct text, whether it has child elements
  private readonly names: string[] = [];
  private readonly texts: string[] = [];
  private readonly parents: boolean[] = [];
  private dataName: string | undefined;
  /** inside the first child of <UserData>, whose leaves become items */
  private inUserRoot = false;

  /** Starts a new event at its <Event> element. */
  begin(attrs: readonly string[], count: number): void {
    this.ev = {
      namespaced: attr(attrs, count, 'xmlns') === EVENT_NS,
      provider: { name: '' },
      eventId: -1,
      systemTime: '',
      channel: '',
      computer: '',
      data: [],
    };
    this.depth = 0;
    this.section = NONE;
    this.seen = 0;
    this.names[0] = 'Event';
    this.texts[0] = '';
    this.parents[0] = false;
  }

  start(qname: string, attrs: readonly string[], count: number): void {
    this.parents[this.depth] = true;
    const d = ++this.depth;
    const name = localName(qname);
    this.names[d] = name;
    this.texts[d] = '';
    this.parents[d] = false;
    if (d === 1) {
      const s = name === 'System' ? SYSTEM : name === 'EventData' ? EVENT_DATA : name === 'UserData' ? USER_DATA : OTHER;
      const bit = 1 << s;
      this.section = s !== OTHER && (this.seen & bit) === 0 ? s : OTHER;
      this.seen |= bit;
      return;
    }
    const ev = this.ev;
    if (this.section === SYSTEM && d === 2) {
      switch (name) {
        case 'Provider': {
          ev.provider.name = attr(attrs, count, 'Name') ?? '';
          const guid = attr(attrs, count, 'Guid');
          if (guid !== undefined) ev.provider.guid = guid;
          const esn = attr(attrs, count, 'EventSourceName');
          if (esn !== undefined) ev.provider.eventSourceName = esn;
          break;
        }
        case 'EventID': {
          const q = attr(attrs, count, 'Qualifiers');
          if (q !== undefined) ev.qualifiers = q;
          break;
        }
        case 'TimeCreated':
          ev.systemTime = attr(attrs, count, 'SystemTime') ?? '';
          break;
        case 'Correlation': {
          const activityId = attr(attrs, count, 'ActivityID');
          const relatedActivityId = attr(attrs, count, 'RelatedActivityID');
          if (activityId !== undefined || relatedActivityId !== undefined) {
            ev.correlation = {};
            if (activityId !== undefined) ev.correlation.activityId = activityId;
            if (relatedActivityId !== undefined) ev.correlation.relatedActivityId = relatedActivityId;
          }
          break;
        }
        case 'Execution': {
          ev.execution = {};
          const processId = attr(attrs, count, 'ProcessID');
          if (processId !== undefined) ev.execution.processId = processId;
          const threadId = attr(attrs, count, 'ThreadID');
          if (threadId !== undefined) ev.execution.threadId = threadId;
          break;
        }
        case 'Security': {
          // Windows writes UserID; Sysmon for Linux writes UserId.
          const uid = attr(attrs, count, 'UserID') ?? attr(attrs, count, 'UserId');
          if (uid !== undefined) ev.userId = uid;
          break;
        }
      }
    } else if (this.section === EVENT_DATA && d === 2) {
      this.dataName = name === 'Data' ? attr(attrs, count, 'Name') : undefined;
    } else if (this.section === USER_DATA && d === 2) {
      this.inUserRoot = !ev.userData;
      if (!ev.userData) {
        ev.userData = { name };
        for (let i = 0; i < count * 2; i += 2) if (attrs[i] === 'xmlns') ev.userData.xmlns = attrs[i + 1]!;
      }
    }
  }

  /** Text directly inside the current element (entities already decoded). */
  text(s: string): void {
    const d = this.depth;
    this.texts[d] = this.texts[d] === '' ? s : this.texts[d] + s;
  }

  /** Whether text at the current depth can end up in the event (the reader may skip it if not). */
  wantsText(): boolean {
    return this.depth >= 2 && this.section !== OTHER && this.section !== NONE;
  }

  end(): void {
    const d = this.depth--;
    if (d < 2 || this.section === OTHER) return;
    const ev = this.ev;
    const name = this.names[d]!;
    const text = this.texts[d]!;
    if (this.section === SYSTEM) {
      if (d !== 2) return;
      switch (name) {
        case 'EventID': {
          const t = text.trim();
          if (!/^[0-9]{1,10}$/.test(t)) throw new EventShapeError(`invalid <EventID> ${JSON.stringify(t)} (expected a decimal number)`);
          ev.eventId = Number(t);
          break;
        }
        case 'Version':
          ev.version = text;
          break;
        case 'Level':
          ev.level = text;
          break;
        case 'Task':
          ev.task = text;
          break;
        case 'Opcode':
          ev.opcode = text;
          break;
        case 'Keywords':
          ev.keywords = text;
          break;
        case 'EventRecordID':
          ev.eventRecordId = text;
          break;
        case 'Channel':
          ev.channel = text;
          break;
        case 'Computer':
          ev.computer = text;
          break;
      }
    } else if (this.section === EVENT_DATA) {
      if (d !== 2) return;
      if (name === 'Data') ev.data.push(this.dataName === undefined ? { value: text } : { name: this.dataName, value: text });
      else if (name === 'Binary') ev.binary = text;
    } else if (d >= 3 && this.inUserRoot && !this.parents[d]) {
      ev.data.push({ name, value: text });
    }
  }

  /** The event, once its </Event> has been seen. */
  finish(): WinEvent {
    const ev = this.ev;
    if ((this.seen & (1 << SYSTEM)) === 0) throw new EventShapeError('<Event> has no <System> element');
    if (ev.eventId < 0) throw new EventShapeError('<System> has no <EventID> element');
    return ev;
  }
}

/**
 * Adapter for producers that emit the <Event> element itself as their first element (the EVTX
 * reader): the first root element starts the event, anything after it is ignored.
 */
export class WinEventSink {
  private depth = 0;
  private root: string | undefined;
  private ignoring = false;

  constructor(private readonly builder: WinEventBuilder = new WinEventBuilder()) {}

  reset(): void {
    this.depth = 0;
    this.root = undefined;
    this.ignoring = false;
  }

  start(name: string, attrs: readonly string[], count: number): void {
    if (this.depth++ === 0) {
      this.ignoring = this.root !== undefined;
      if (!this.ignoring) {
        this.root = name;
        this.builder.begin(attrs, count);
      }
    } else if (!this.ignoring) this.builder.start(name, attrs, count);
  }

  text(s: string): void {
    if (this.depth > 0 && !this.ignoring) this.builder.text(s);
  }

  end(): void {
    if (--this.depth > 0 && !this.ignoring) this.builder.end();
  }

  /** The event; throws EventShapeError when there was no <Event> root or it lacks System/EventID. */
  finish(): WinEvent {
    if (this.root === undefined) throw new EventShapeError('the record holds no XML element');
    if (localName(this.root) !== 'Event') throw new EventShapeError(`its root element is <${this.root}>, not <Event>`);
    return this.builder.finish();
  }
}
