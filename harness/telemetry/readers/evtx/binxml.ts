// EVTX Binary XML (libevtx documentation "Binary XML", [MS-EVEN6] 3.1.4.7): tokens → elements.
//
// Template definitions are parsed once per chunk into a tree with substitution placeholders
// (cached by their chunk offset); each record then only decodes its substitution values and
// emits the filled-in elements to a sink (start / text / end), without building a tree. Element
// and attribute names are cached by chunk offset as well.
//
// Substitution rules (libfwevt_xml_document.c, which evtxexport uses):
// - an optional substitution (0x0e) whose value is NULL removes the attribute it is in, and the
//   element whose content it ends (so an absent optional field yields no element at all);
// - a normal substitution with a NULL value is empty (libfwevt refuses such a record; Windows
//   renders it empty);
// - an array value repeats the element that contains it once per item (an empty array: one empty
//   element);
// - a Binary XML value (0x21) is an element, a fragment or a template instance; an element there
//   takes its substitutions from the enclosing template's values.
import { decodeValue, EvtxFormatError, typeName, VALUE_BINXML, VALUE_NULL, type ArrayValue } from './values.ts';

interface TElem {
  kind: 0;
  name: string;
  attrs: TAttr[];
  content: TPart[];
}
interface TSub {
  kind: 1;
  index: number;
  optional: boolean;
}
/** A template instance met while parsing: its template and its own values. */
interface TLit {
  kind: 2;
  body: TPart[];
  values: SubValue[];
}
interface TAttr {
  name: string;
  parts: TPart[];
}
type TPart = string | TElem | TSub | TLit;

/** A Binary XML substitution value: parsed nodes, filled with the enclosing values if `outer`. */
interface XmlValue {
  xml: TPart[];
  outer: boolean;
}
type SubValue = null | string | ArrayValue | XmlValue;

/** Receives the elements of a record in document order. `attrs` is [name, value, ...]. */
export interface XmlSink {
  start(name: string, attrs: readonly string[], count: number): void;
  text(s: string): void;
  end(): void;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const MAX_NESTING = 32;

/** Parsing state shared by the records of one chunk. */
export class ChunkParser {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, TPart[]>();
  private depth = 0;
  private pos = 0;
  private end = 0;

  /** @param buf the chunk (offsets in Binary XML are relative to its start) */
  constructor(private readonly buf: Buffer) {}

  /** Parses the Binary XML of one record (chunk offsets [start, end)) and emits it to `sink`. */
  parseRecord(start: number, end: number, sink: XmlSink): void {
    this.pos = start;
    this.end = end;
    this.depth = 0;
    emit(this.parseNodes(false), [], sink);
  }

  // ---- primitive reads -------------------------------------------------------------------------

  private need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw new EvtxFormatError(`${what} at chunk offset ${this.pos} runs past the end of the record data`, this.pos);
    }
  }
  private u16(at: number): number {
    return this.buf.readUInt16LE(at);
  }
  private u32(at: number): number {
    return this.buf.readUInt32LE(at);
  }
  private utf16(at: number, chars: number): string {
    const s = this.buf.toString('utf16le', at, at + chars * 2);
    const z = s.indexOf('\0');
    return z < 0 ? s : s.slice(0, z);
  }

  // ---- tokens ----------------------------------------------------------------------------------

  /** Nodes up to an end-of-fragment token (or the end of the data), or up to an end element tag. */
  private parseNodes(inElement: boolean): TPart[] {
    const parts: TPart[] = [];
    const buf = this.buf;
    for (;;) {
      if (this.pos >= this.end) {
        if (inElement) throw new EvtxFormatError('element content runs past the end of the record data', this.pos);
        return parts;
      }
      const at = this.pos;
      const token = buf[at]!;
      switch (token & 0xbf) {
        case 0x00: // end of fragment
          this.pos++;
          if (inElement) throw new EvtxFormatError('end-of-fragment token inside an element', at);
          return parts;
        case 0x0f: // fragment header: token, major 1, minor 1, flags
          this.need(4, 'fragment header');
          this.pos += 4;
          break;
        case 0x01:
          parts.push(this.parseElement());
          break;
        case 0x04: // end element tag
          this.pos++;
          if (!inElement) throw new EvtxFormatError('end element token outside an element', at);
          return parts;
        case 0x05:
        case 0x07:
        case 0x08:
        case 0x09:
        case 0x0d:
        case 0x0e:
          parts.push(this.parseCharData());
          break;
        case 0x0a: // PI target: name; PIs are not kept
          this.need(5, 'PI target');
          this.pos++;
          this.readName(this.u32(this.pos));
          break;
        case 0x0b: // PI data
          this.need(3, 'PI data');
          this.pos += 3 + this.u16(at + 1) * 2;
          break;
        case 0x0c:
          parts.push(this.parseTemplateInstance());
          break;
        default:
          throw new EvtxFormatError(`unknown Binary XML token 0x${token.toString(16).padStart(2, '0')}`, at);
      }
    }
  }

  /** Value text, CDATA, character or entity reference, or a substitution placeholder. */
  private parseCharData(): string | TSub {
    const at = this.pos;
    const token = this.buf[at]! & 0xbf;
    switch (token) {
      case 0x05: {
        this.need(4, 'value text');
        const type = this.buf[at + 1]!;
        if (type !== 0x01) throw new EvtxFormatError(`value text of type ${typeName(type)} (expected String)`, at);
        const n = this.u16(at + 2);
        this.need(4 + n * 2, 'value text');
        this.pos += 4 + n * 2;
        return this.utf16(at + 4, n);
      }
      case 0x07: {
        this.need(3, 'CDATA section');
        const n = this.u16(at + 1);
        this.need(3 + n * 2, 'CDATA section');
        this.pos += 3 + n * 2;
        return this.utf16(at + 3, n);
      }
      case 0x08:
        this.need(3, 'character reference');
        this.pos += 3;
        return String.fromCharCode(this.u16(at + 1));
      case 0x09: {
        this.need(5, 'entity reference');
        this.pos++;
        const name = this.readName(this.u32(this.pos));
        return ENTITIES[name] ?? `&${name};`;
      }
      default: {
        this.need(4, 'substitution');
        this.pos += 4;
        return { kind: 1, index: this.u16(at + 1), optional: token === 0x0e };
      }
    }
  }

  /**
   * Reads the name whose offset was just found at this.pos: either defined right here (then
   * skipped) or earlier in the chunk. Name: next offset (4), hash (2), characters (2), UTF-16, NUL.
   */
  private readName(offset: number): string {
    const fieldEnd = this.pos + 4;
    let name = this.names.get(offset);
    if (offset === fieldEnd) {
      const n = this.nameAt(offset);
      if (name === undefined) this.names.set(offset, (name = n.name));
      this.pos = fieldEnd + n.size;
      return name;
    }
    this.pos = fieldEnd;
    if (offset > fieldEnd) throw new EvtxFormatError(`name offset ${offset} points forward`, fieldEnd - 4);
    if (name === undefined) this.names.set(offset, (name = this.nameAt(offset).name));
    return name;
  }

  private nameAt(offset: number): { name: string; size: number } {
    if (offset + 8 > this.buf.length) throw new EvtxFormatError(`name offset ${offset} is outside the chunk`, offset);
    const chars = this.u16(offset + 6);
    const size = 8 + (chars + 1) * 2;
    if (chars === 0 || offset + size > this.buf.length) throw new EvtxFormatError(`invalid name at chunk offset ${offset}`, offset);
    return { name: this.buf.toString('utf16le', offset + 8, offset + 8 + chars * 2), size };
  }

  private parseElement(): TElem {
    const start = this.pos;
    const buf = this.buf;
    const hasAttributes = (buf[start]! & 0x40) !== 0;
    this.need(11, 'element start');
    // Token, [dependency identifier (2)], data size (4), name offset (4). The dependency
    // identifier is absent inside Binary XML values; as libfwevt does, take the size at offset 1
    // unless it cannot fit, then the one at offset 3.
    let sizeAt = start + 1;
    if (this.u32(sizeAt) > buf.length - start - 7) sizeAt = start + 3;
    const size = this.u32(sizeAt);
    this.pos = sizeAt + 4;
    const elementEnd = this.pos + size;
    if (elementEnd > this.end) throw new EvtxFormatError(`element of ${size} bytes runs past the end of the record data`, start);
    this.need(4, 'element name offset');
    const name = this.readName(this.u32(this.pos));
    const attrs: TAttr[] = [];
    if (hasAttributes) {
      this.need(4, 'attribute list');
      const attrEnd = this.pos + 4 + this.u32(this.pos);
      this.pos += 4;
      if (attrEnd > elementEnd) throw new EvtxFormatError(`attribute list of <${name}> runs past its element`, start);
      while (this.pos < attrEnd) {
        const at = this.pos;
        if ((buf[at]! & 0xbf) !== 0x06) {
          throw new EvtxFormatError(`unexpected token 0x${buf[at]!.toString(16)} in the attributes of <${name}>`, at);
        }
        this.pos++;
        this.need(4, 'attribute name offset');
        const attrName = this.readName(this.u32(this.pos));
        const parts: TPart[] = [];
        while (this.pos < attrEnd) {
          const t = buf[this.pos]! & 0xbf;
          if (t !== 0x05 && t !== 0x08 && t !== 0x09 && t !== 0x0d && t !== 0x0e) break;
          parts.push(this.parseCharData());
        }
        attrs.push({ name: attrName, parts });
      }
    }
    this.need(1, 'element');
    const close = buf[this.pos]!;
    this.pos++;
    let content: TPart[];
    if (close === 0x02) content = this.parseNodes(true);
    else if (close === 0x03) content = [];
    else throw new EvtxFormatError(`unexpected token 0x${close.toString(16)} after the start of <${name}>`, this.pos - 1);
    if (this.pos !== elementEnd) {
      throw new EvtxFormatError(`element <${name}> ends at ${this.pos}, its size says ${elementEnd}`, start);
    }
    return { kind: 0, name, attrs, content };
  }

  /**
   * Template instance: token, unknown (1), template id (4), definition offset (4); the definition
   * (next offset 4, GUID 16, data size 4, fragment) follows here when defined by this record;
   * then the values: count (4), count × {size (2), type (1), 0 (1)}, the value data.
   */
  private parseTemplateInstance(): TLit {
    const at = this.pos;
    this.need(10, 'template instance');
    const defOffset = this.u32(at + 6);
    this.pos = at + 10;
    if (defOffset >= this.pos) {
      // defined here (possibly after padding)
      this.pos = defOffset;
      this.need(24, 'template definition');
      const body = this.template(defOffset);
      this.pos = defOffset + 24 + this.u32(defOffset + 20);
      return { kind: 2, body, values: this.readValues() };
    }
    const body = this.template(defOffset);
    return { kind: 2, body, values: this.readValues() };
  }

  private template(defOffset: number): TPart[] {
    const cached = this.templates.get(defOffset);
    if (cached) return cached;
    if (defOffset + 24 > this.buf.length) throw new EvtxFormatError(`template definition offset ${defOffset} is outside the chunk`, this.pos);
    const bodyStart = defOffset + 24;
    const bodyEnd = bodyStart + this.u32(defOffset + 20);
    if (bodyEnd > this.buf.length) throw new EvtxFormatError(`template definition at ${defOffset} runs past the end of the chunk`, defOffset);
    const body = this.nested(bodyStart, bodyEnd, () => this.parseNodes(false));
    this.templates.set(defOffset, body);
    return body;
  }

  /** Runs `fn` over chunk bytes [start, end) and restores the reading position afterwards. */
  private nested<T>(start: number, end: number, fn: () => T): T {
    if (++this.depth > MAX_NESTING) throw new EvtxFormatError('templates or Binary XML values nest too deeply', start);
    const [pos, lim] = [this.pos, this.end];
    this.pos = start;
    this.end = end;
    try {
      return fn();
    } finally {
      this.pos = pos;
      this.end = lim;
      this.depth--;
    }
  }

  private readValues(): SubValue[] {
    this.need(4, 'template values');
    const count = this.u32(this.pos);
    this.pos += 4;
    this.need(count * 4, 'template value descriptors');
    const desc = this.pos;
    let data = desc + count * 4;
    const values: SubValue[] = new Array<SubValue>(count);
    for (let i = 0; i < count; i++) {
      const size = this.u16(desc + i * 4);
      const type = this.buf[desc + i * 4 + 2]!;
      if (data + size > this.end) {
        throw new EvtxFormatError(`template value ${i} (${typeName(type)}, ${size} bytes) runs past the end of the record data`, data);
      }
      values[i] = this.value(data, size, type);
      data += size;
    }
    this.pos = data;
    return values;
  }

  private value(off: number, size: number, type: number): SubValue {
    if (type === VALUE_NULL) return null;
    if (type !== VALUE_BINXML) return decodeValue(this.buf, off, size, type);
    if (size === 0) return null;
    const first = this.buf[off]! & 0xbf;
    const xml = this.nested(off, off + size, () => (first === 0x01 ? [this.parseElement()] : this.parseNodes(false)));
    return { xml, outer: first === 0x01 };
  }
}

// ---- filling templates in ----------------------------------------------------------------------

function isSub(p: TPart): p is TSub {
  return typeof p !== 'string' && p.kind === 1;
}

function emit(parts: TPart[], values: SubValue[], sink: XmlSink): void {
  for (const p of parts) {
    if (typeof p === 'string') sink.text(p);
    else if (p.kind === 0) element(p, values, sink);
    else if (p.kind === 2) emit(p.body, p.values, sink);
    else emitValue(values[p.index] ?? null, values, 0, sink);
  }
}

function emitValue(v: SubValue, values: SubValue[], item: number, sink: XmlSink): void {
  if (v === null) return;
  if (typeof v === 'string') sink.text(v);
  else if ('items' in v) sink.text(v.items[item] ?? '');
  else emit(v.xml, v.outer ? values : [], sink);
}

function element(el: TElem, values: SubValue[], sink: XmlSink): void {
  let repeat = 1;
  let lastSub: TSub | undefined;
  for (const c of el.content) {
    if (!isSub(c)) continue;
    lastSub = c;
    const v = values[c.index];
    if (repeat === 1 && v && typeof v !== 'string' && 'items' in v) repeat = Math.max(1, v.items.length);
  }
  if (lastSub?.optional && (values[lastSub.index] ?? null) === null) return;
  for (let i = 0; i < repeat; i++) {
    const attrs: string[] = [];
    for (const a of el.attrs) {
      const value = attributeValue(a, values, i);
      if (value !== undefined) attrs.push(a.name, value);
    }
    sink.start(el.name, attrs, attrs.length / 2);
    for (const c of el.content) {
      if (typeof c === 'string') sink.text(c);
      else if (c.kind === 0) element(c, values, sink);
      else if (c.kind === 2) emit(c.body, c.values, sink);
      else emitValue(values[c.index] ?? null, values, i, sink);
    }
    sink.end();
  }
}

/** Undefined when an optional substitution in it is NULL: the attribute is left out. */
function attributeValue(a: TAttr, values: SubValue[], item: number): string | undefined {
  let s = '';
  for (const p of a.parts) {
    if (typeof p === 'string') s += p;
    else if (p.kind === 1) {
      const v = values[p.index] ?? null;
      if (v === null) {
        if (p.optional) return undefined;
      } else if (typeof v === 'string') s += v;
      else if ('items' in v) s += v.items[item] ?? '';
      else s += textContent(v.xml, v.outer ? values : []);
    }
  }
  return s;
}

/** The text of Binary XML used as an attribute value. */
function textContent(parts: TPart[], values: SubValue[]): string {
  let s = '';
  emit(parts, values, { start: () => {}, end: () => {}, text: (t) => (s += t) });
  return s;
}
