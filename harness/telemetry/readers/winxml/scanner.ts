// Streaming scanner for Windows event XML: text goes in piece by piece, complete events come out.
//
// Accepted input: any number of <Event> elements (with or without the events namespace, any
// prefix), inside any wrapper elements (<Events>, <root>...) or concatenated, one per line or
// pretty-printed, with an XML declaration, comments, PIs and a DOCTYPE around them. Text outside
// <Event> elements is ignored, so syslog-style prefixes before each event do not stop reading.
//
// How: outside events the scanner tokenises markup. At an <Event> start tag it looks ahead for
// the matching end tag, copies the event's text into a string of its own and parses that string
// completely (markup.ts). The copy matters: values are slices of the event text, so an event kept
// by a consumer keeps only its own text alive, never the read buffer it came from.
import { InputError, type SourcePosition } from '../../../core/errors.ts';
import type { WinEvent } from '../../model.ts';
import { XmlSyntaxError } from './entities.ts';
import { EventShapeError, localName, WinEventBuilder } from './builder.ts';
import { parseEventText, scanEndTag, scanSpecial, StartTagScanner } from './markup.ts';

export interface XmlEventRecord {
  event: WinEvent;
  /** 1-based line of the `<Event` start tag */
  line: number;
  /** byte offset of the `<Event` start tag in the file */
  offset: number;
  /** the `<Event>…</Event>` source text */
  text: string;
}

interface OpenWrapper {
  name: string;
  line: number;
  column: number;
}

/** A string with its own storage (not a slice that keeps a larger parent string alive). */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export class EventXmlScanner {
  private buf = '';
  private pos = 0;
  /** characters of the input discarded before buf[0] */
  private bufAbs = 0;
  // line counting: buf index counted up to, line number there, absolute index of the last '\n'
  private lnIdx = 0;
  private lnLine = 1;
  private lnLastNl = -1;
  // byte counting: buf index counted up to and the byte offset there
  private byIdx = 0;
  private byOff: number;
  private readonly wrappers: OpenWrapper[] = [];
  // the <Event> being read: start index in buf, where to look for its end tag next, its name
  private evStart = -1;
  private evSearch = 0;
  private evName = '';
  private evLine = 0;
  private evColumn = 0;
  private evOffset = 0;
  private total = 0;
  private nonSpace = false;
  private warnedText = false;
  private readonly tag = new StartTagScanner();
  private readonly builder = new WinEventBuilder();
  events = 0;

  /**
   * @param file      shown in error positions
   * @param byteLength how many bytes a piece of text took in the input encoding
   * @param startByte byte offset of the first character (after a byte order mark)
   * @param onWarning told once when text outside <Event> elements is skipped
   */
  constructor(
    private readonly file: string | undefined,
    private readonly byteLength: (s: string) => number = (s) => Buffer.byteLength(s, 'utf8'),
    startByte = 0,
    private readonly onWarning?: (message: string) => void,
  ) {
    this.byOff = startByte;
  }

  /** Adds text; complete events are appended to `out`. Throws InputError on malformed XML. */
  feed(text: string, out: XmlEventRecord[]): void {
    if (text.length === 0) return;
    this.total += text.length;
    this.compact();
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    this.scan(false, out);
  }

  /** End of input: reports what is left open. */
  finish(out: XmlEventRecord[]): void {
    this.scan(true, out);
    const w = this.wrappers[this.wrappers.length - 1];
    if (w) {
      throw this.error(this.buf.length, `unexpected end of file: <${w.name}> opened at line ${w.line}, column ${w.column} is not closed`);
    }
    if (this.events === 0) {
      if (this.total === 0) throw new InputError('E_INPUT_EMPTY', 'file is empty: no Windows events to read', this.where());
      if (!this.nonSpace) throw new InputError('E_INPUT_EMPTY', 'file contains only whitespace: no Windows events to read', this.where());
      throw new InputError('E_INPUT_XML', 'no <Event> element found (expected Windows event XML)', this.where());
    }
  }

  private where(): SourcePosition {
    return this.file === undefined ? {} : { file: this.file };
  }

  /** Drops consumed text from the buffer, keeping the event being read. */
  private compact(): void {
    const keep = this.evStart >= 0 ? this.evStart : this.pos;
    if (keep === 0) return;
    this.lineAt(keep);
    this.byteAt(keep);
    this.buf = this.buf.slice(keep);
    this.bufAbs += keep;
    this.pos -= keep;
    this.lnIdx -= keep;
    this.byIdx -= keep;
    if (this.evStart >= 0) {
      this.evStart -= keep;
      this.evSearch -= keep;
    }
  }

  /** Line and column (1-based) of buf[idx]; idx must not be before the last position asked. */
  private lineAt(idx: number): { line: number; column: number } {
    const buf = this.buf;
    let nl = buf.indexOf('\n', this.lnIdx);
    while (nl >= 0 && nl < idx) {
      this.lnLine++;
      this.lnLastNl = this.bufAbs + nl;
      nl = buf.indexOf('\n', nl + 1);
    }
    if (idx > this.lnIdx) this.lnIdx = idx;
    return { line: this.lnLine, column: this.bufAbs + idx - this.lnLastNl };
  }

  private byteAt(idx: number): number {
    if (idx > this.byIdx) {
      this.byOff += this.byteLength(this.buf.slice(this.byIdx, idx));
      this.byIdx = idx;
    }
    return this.byOff;
  }

  private error(idx: number, message: string): InputError {
    const { line, column } = this.lineAt(idx);
    return new InputError('E_INPUT_XML', message, { ...this.where(), line, column });
  }

  /** An error at `index` of the text of the event being read. */
  private eventError(text: string, index: number, message: string): InputError {
    let line = this.evLine;
    let lastNl = -1;
    for (let nl = text.indexOf('\n'); nl >= 0 && nl < index; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lastNl = nl;
    }
    const column = lastNl < 0 ? this.evColumn + index : index - lastNl;
    return new InputError('E_INPUT_XML', message, { ...this.where(), line, column });
  }

  private scan(final: boolean, out: XmlEventRecord[]): void {
    const buf = this.buf;
    const n = buf.length;
    let pos = this.pos;
    try {
      for (;;) {
        if (this.evStart >= 0) {
          if (!this.readEvent(final, out)) break;
          pos = this.pos;
          continue;
        }
        const lt = buf.indexOf('<', pos);
        const textEnd = lt < 0 ? n : lt;
        if (textEnd > pos && !this.warnedText) this.outsideText(pos, textEnd);
        if (lt < 0 || lt + 1 >= n) {
          pos = lt < 0 ? n : lt;
          if (final && lt >= 0) throw this.error(lt, "unexpected end of file after '<'");
          break;
        }
        this.nonSpace = true;
        pos = lt;
        const c = buf.charCodeAt(lt + 1);
        if (c === 47 /* / */) {
          const tag = scanEndTag(buf, lt);
          if (!tag) break;
          const w = this.wrappers.pop();
          if (!w) throw this.error(lt, `unexpected end tag </${tag.name}> (no element is open)`);
          if (w.name !== tag.name) {
            throw this.error(lt, `mismatched end tag </${tag.name}>: expected </${w.name}> (opened at line ${w.line}, column ${w.column})`);
          }
          pos = tag.end;
        } else if (c === 33 /* ! */ || c === 63 /* ? */) {
          const sp = scanSpecial(buf, lt);
          if (!sp) break;
          pos = sp.end;
        } else {
          const tag = this.tag;
          if (!tag.scan(buf, lt)) break;
          if (localName(tag.name) === 'Event') {
            const { line, column } = this.lineAt(lt);
            this.evStart = lt;
            this.evSearch = tag.selfClosing ? -1 : tag.end;
            this.evName = tag.name;
            this.evLine = line;
            this.evColumn = column;
            this.evOffset = this.byteAt(lt);
            this.pos = lt;
            if (tag.selfClosing) this.emit(buf.slice(lt, tag.end), tag.end, out);
            pos = this.pos;
            continue;
          }
          if (!tag.selfClosing) {
            const { line, column } = this.lineAt(lt);
            this.wrappers.push({ name: tag.name, line, column });
          }
          pos = tag.end;
        }
      }
    } catch (e) {
      if (e instanceof XmlSyntaxError) throw this.error(e.index, e.message);
      throw e;
    }
    if (final && this.evStart < 0 && pos < n && buf.indexOf('<', pos) >= 0) {
      throw this.error(buf.indexOf('<', pos), 'unexpected end of file inside markup');
    }
    this.pos = pos;
  }

  /** Text outside <Event> elements (a syslog prefix, a note in a wrapper) is skipped, with one warning. */
  private outsideText(from: number, to: number): void {
    const m = /\S/.exec(this.buf.slice(from, to));
    if (!m) return;
    this.nonSpace = true;
    this.warnedText = true;
    if (!this.onWarning) return;
    const at = from + m.index;
    const { line, column } = this.lineAt(at);
    const sample = this.buf.slice(at, Math.min(to, at + 40)).split('\n')[0];
    this.onWarning(
      `${this.file ?? '<input>'}:${line}:${column}: text outside <Event> elements is ignored (${JSON.stringify(sample)}); later occurrences are not reported`,
    );
  }

  /**
   * Looks for the end tag of the <Event> being read and parses it. Returns false when more input
   * is needed.
   */
  private readEvent(final: boolean, out: XmlEventRecord[]): boolean {
    const buf = this.buf;
    const close = '</' + this.evName;
    for (;;) {
      const idx = buf.indexOf(close, this.evSearch);
      if (idx < 0) {
        if (final) this.unclosedEvent();
        this.evSearch = Math.max(this.evStart + 1, buf.length - close.length);
        return false;
      }
      let p = idx + close.length;
      for (let c = buf.charCodeAt(p); c === 32 || c === 10 || c === 9 || c === 13; c = buf.charCodeAt(++p));
      if (p >= buf.length) {
        if (final) this.unclosedEvent();
        this.evSearch = idx;
        return false;
      }
      if (buf.charCodeAt(p) !== 62 /* > */) {
        this.evSearch = idx + 1; // </EventData>, </Events>: not this end tag
        continue;
      }
      if (this.emit(buf.slice(this.evStart, p + 1), p + 1, out)) return true;
      this.evSearch = p + 1; // that end tag was inside a comment or CDATA, or closed a nested <Event>
    }
  }

  /** Parses an event candidate; false when the text ends before the event element closes. */
  private emit(slice: string, end: number, out: XmlEventRecord[]): boolean {
    let text = ownCopy(slice);
    let event: WinEvent;
    try {
      const stop = parseEventText(text, this.builder);
      if (typeof stop !== 'number') return false;
      if (stop < text.length) {
        // Cannot happen with end tags tried in order; kept so a surprise never loses input.
        end -= text.length - stop;
        text = ownCopy(text.slice(0, stop));
      }
      event = this.builder.finish();
    } catch (e) {
      if (e instanceof XmlSyntaxError) throw this.eventError(text, e.index, e.message);
      if (e instanceof EventShapeError) throw this.eventError(text, 0, e.message);
      throw e;
    }
    out.push({ event, line: this.evLine, offset: this.evOffset, text });
    this.events++;
    this.evStart = -1;
    this.pos = end;
    return true;
  }

  /** End of input inside an <Event>: report the first syntax error in it, else that it is cut off. */
  private unclosedEvent(): never {
    const text = this.buf.slice(this.evStart);
    let open = this.evName;
    try {
      const stop = parseEventText(text, new WinEventBuilder());
      if (typeof stop !== 'number' && stop.open) open = stop.open;
    } catch (e) {
      if (e instanceof XmlSyntaxError) throw this.eventError(text, e.index, e.message);
      if (!(e instanceof EventShapeError)) throw e;
    }
    const where = open === this.evName ? '' : ` inside <${open}>`;
    throw this.error(
      this.buf.length,
      `unexpected end of file${where}: <${this.evName}> opened at line ${this.evLine}, column ${this.evColumn} is not closed`,
    );
  }
}
