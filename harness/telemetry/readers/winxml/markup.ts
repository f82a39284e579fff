// Hand-written XML markup scanning over a string. Every function works on absolute indexes into
// the string it is given and reports "incomplete" when the markup runs past its end, so the
// streaming reader can wait for more input. Allocation is kept low (one reused tag scanner, flat
// attribute lists) because a large log has millions of elements.
import { XmlSyntaxError, decodeCharData, normalizeLineEnds } from './entities.ts';
import type { WinEventBuilder } from './builder.ts';

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

// XML 1.0 NameStartChar / NameChar, simplified to "any non-ASCII character" above 0x7F.
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;
}

/** Index after the name starting at `p` (may equal t.length). */
function scanName(t: string, p: number): number {
  const n = t.length;
  for (; p < n; p++) {
    const c = t.charCodeAt(p);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 45 && c <= 58 && c !== 47) || c === 95 || c >= 0x80)) break;
  }
  return p;
}

function describeChar(t: string, p: number): string {
  const ch = t[p] ?? '';
  return ch === '\n' ? 'a line break' : JSON.stringify(ch);
}

const TEXT_SPECIAL = /[&\r]/;
const ATTR_SPECIAL = /[&\r\n\t]/;

/**
 * Character data t[from, to): a plain slice unless it holds a reference, CR, or (in attribute
 * values) a tab or line feed that XML normalisation rewrites.
 */
function charData(t: string, from: number, to: number, attribute: boolean): string {
  const s = t.slice(from, to);
  return (attribute ? ATTR_SPECIAL : TEXT_SPECIAL).test(s) ? decodeCharData(s, from, attribute) : s;
}

// Fast path for the common start tag: ASCII names, quoted values without '<'. Anything else
// (and every error) goes through the exact scanner below, which also produces the messages.
const FAST_NAME = /[A-Za-z_:][\w:.-]*/y;
const FAST_ATTR = /([A-Za-z_:][\w:.-]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"<]*)"|'([^'<]*)')/y;

/** Scans start tags; the result stays in its fields until the next scan. */
export class StartTagScanner {
  name = '';
  /** flat [name, value, name, value, ...]; only the first `count` pairs belong to this tag */
  readonly attrs: string[] = [];
  count = 0;
  selfClosing = false;
  /** index just after the closing `>` */
  end = 0;

  /** Parses the start tag at `t[lt] === '<'`. Returns false when it runs past the end of `t`. */
  scan(t: string, lt: number): boolean {
    return this.fast(t, lt) || this.exact(t, lt);
  }

  private fast(t: string, lt: number): boolean {
    FAST_NAME.lastIndex = lt + 1;
    if (!FAST_NAME.test(t)) return false;
    let p = FAST_NAME.lastIndex;
    const attrs = this.attrs;
    let count = 0;
    for (;;) {
      const ws = p;
      let c = t.charCodeAt(p);
      while (c === 32 || c === 10 || c === 9 || c === 13) c = t.charCodeAt(++p);
      if (c === 62 || (c === 47 && t.charCodeAt(p + 1) === 62)) {
        this.name = t.slice(lt + 1, FAST_NAME.lastIndex);
        this.count = count;
        this.selfClosing = c === 47;
        this.end = c === 47 ? p + 2 : p + 1;
        return true;
      }
      if (p === ws) return false;
      FAST_ATTR.lastIndex = p;
      const m = FAST_ATTR.exec(t);
      if (!m) return false;
      const name = m[1]!;
      for (let i = 0; i < count * 2; i += 2) if (attrs[i] === name) return false;
      const raw = m[2] ?? m[3]!;
      p = FAST_ATTR.lastIndex;
      attrs[count * 2] = name;
      attrs[count * 2 + 1] = ATTR_SPECIAL.test(raw) ? decodeCharData(raw, p - 1 - raw.length, true) : raw;
      count++;
    }
  }

  private exact(t: string, lt: number): boolean {
    const n = t.length;
    let p = lt + 1;
    if (p < n && !isNameStart(t.charCodeAt(p))) {
      throw new XmlSyntaxError(p, `invalid element name starting with ${describeChar(t, p)} after '<'`);
    }
    p = scanName(t, p);
    if (p >= n) return false;
    const name = t.slice(lt + 1, p);
    const attrs = this.attrs;
    let count = 0;
    for (;;) {
      const wsStart = p;
      while (p < n && isWs(t.charCodeAt(p))) p++;
      if (p >= n) return false;
      const c = t.charCodeAt(p);
      if (c === 62 /* > */ || c === 47 /* / */) {
        if (c === 47) {
          if (p + 1 >= n) return false;
          if (t.charCodeAt(p + 1) !== 62) throw new XmlSyntaxError(p + 1, `expected '>' after '/' in <${name}>`);
          p++;
        }
        this.name = name;
        this.count = count;
        this.selfClosing = c === 47;
        this.end = p + 1;
        return true;
      }
      if (p === wsStart) {
        throw new XmlSyntaxError(p, `unexpected ${describeChar(t, p)} in <${name}> (expected whitespace, '>' or '/>')`);
      }
      if (!isNameStart(c)) {
        throw new XmlSyntaxError(p, `unexpected ${describeChar(t, p)} in <${name}> (expected an attribute name, '>' or '/>')`);
      }
      const nameStart = p;
      p = scanName(t, p);
      if (p >= n) return false;
      const attrName = t.slice(nameStart, p);
      while (p < n && isWs(t.charCodeAt(p))) p++;
      if (p >= n) return false;
      if (t.charCodeAt(p) !== 61 /* = */) throw new XmlSyntaxError(p, `attribute ${attrName} of <${name}> has no value (expected '=')`);
      p++;
      while (p < n && isWs(t.charCodeAt(p))) p++;
      if (p >= n) return false;
      const q = t.charCodeAt(p);
      if (q !== 34 && q !== 39) throw new XmlSyntaxError(p, `value of attribute ${attrName} of <${name}> must be quoted with ' or "`);
      const close = t.indexOf(q === 34 ? '"' : "'", p + 1);
      if (close < 0) return false;
      const lt2 = t.indexOf('<', p + 1);
      if (lt2 >= 0 && lt2 < close) throw new XmlSyntaxError(lt2, `'<' is not allowed in the value of attribute ${attrName}`);
      for (let i = 0; i < count * 2; i += 2) {
        if (attrs[i] === attrName) throw new XmlSyntaxError(nameStart, `duplicate attribute ${attrName} in <${name}>`);
      }
      attrs[count * 2] = attrName;
      attrs[count * 2 + 1] = charData(t, p + 1, close, true);
      count++;
      p = close + 1;
    }
  }
}

/** Parses the end tag at `t[lt] === '<'` and `t[lt+1] === '/'`; null when incomplete. */
export function scanEndTag(t: string, lt: number): { name: string; end: number } | null {
  const n = t.length;
  const nameEnd = scanName(t, lt + 2);
  if (nameEnd >= n) return null;
  if (nameEnd === lt + 2) throw new XmlSyntaxError(lt + 2, `invalid end tag: expected a name after '</'`);
  let p = nameEnd;
  while (p < n && isWs(t.charCodeAt(p))) p++;
  if (p >= n) return null;
  if (t.charCodeAt(p) !== 62) {
    throw new XmlSyntaxError(p, `unexpected ${describeChar(t, p)} in end tag </${t.slice(lt + 2, nameEnd)}> (expected '>')`);
  }
  return { name: t.slice(lt + 2, nameEnd), end: p + 1 };
}

/**
 * Scans `<!-- -->`, `<![CDATA[ ]]>`, `<!DOCTYPE ...>` or `<? ?>` at `lt`. Returns the index after
 * it and, for CDATA, where its text is; null when incomplete.
 */
export function scanSpecial(t: string, lt: number): { end: number; cdata?: [number, number]; doctype?: boolean } | null {
  const n = t.length;
  if (t.charCodeAt(lt + 1) === 63 /* ? */) {
    const e = t.indexOf('?>', lt + 2);
    return e < 0 ? null : { end: e + 2 };
  }
  if (t.startsWith('<!--', lt)) {
    const e = t.indexOf('-->', lt + 4);
    return e < 0 ? null : { end: e + 3 };
  }
  if (t.startsWith('<![CDATA[', lt)) {
    const e = t.indexOf(']]>', lt + 9);
    return e < 0 ? null : { end: e + 3, cdata: [lt + 9, e] };
  }
  if (t.startsWith('<!DOCTYPE', lt)) {
    // An internal subset [ ... ] may contain '>'; entity declarations in it are not supported
    // (an entity it declares is reported as unknown where it is used).
    for (let p = lt + 9; p < n; p++) {
      const c = t.charCodeAt(p);
      if (c === 62) return { end: p + 1, doctype: true };
      if (c === 91 /* [ */ || c === 34 || c === 39) {
        const close = t.indexOf(c === 91 ? ']' : c === 34 ? '"' : "'", p + 1);
        if (close < 0) return null;
        p = close;
      }
    }
    return null;
  }
  // A prefix of one of the above that the text cuts off: wait for more.
  const rest = t.slice(lt, lt + 9);
  if (rest.length < 9 && ('<![CDATA['.startsWith(rest) || '<!DOCTYPE'.startsWith(rest) || '<!--'.startsWith(rest))) return null;
  throw new XmlSyntaxError(lt, `unexpected markup ${JSON.stringify(t.slice(lt, lt + 9))} (expected a comment, CDATA section or DOCTYPE)`);
}

const tag = new StartTagScanner();

/**
 * Parses the <Event> element whose start tag is at `t[0]`, feeding `b`, up to its matching end tag.
 * Returns the index after the end tag, or the name of the innermost open element when `t` ends
 * first. Throws XmlSyntaxError on malformed markup and EventShapeError from the builder.
 */
export function parseEventText(t: string, b: WinEventBuilder): number | { open: string } {
  const open: string[] = [];
  if (!tag.scan(t, 0)) return { open: '' };
  b.begin(tag.attrs, tag.count);
  if (tag.selfClosing) return tag.end;
  open.push(tag.name);
  let p = tag.end;
  for (;;) {
    const lt = t.indexOf('<', p);
    if (lt < 0 || lt + 1 >= t.length) return { open: open[open.length - 1]! };
    if (lt > p && b.wantsText()) b.text(charData(t, p, lt, false));
    const c = t.charCodeAt(lt + 1);
    if (c === 47 /* / */) {
      const top = open[open.length - 1]!;
      let end: number;
      const after = lt + 2 + top.length;
      // fast path: the expected name followed directly by '>'
      if (t.charCodeAt(after) === 62 && t.startsWith(top, lt + 2)) end = after + 1;
      else {
        const et = scanEndTag(t, lt);
        if (!et) return { open: top };
        if (et.name !== top) throw new XmlSyntaxError(lt, `mismatched end tag </${et.name}>: expected </${top}>`);
        end = et.end;
      }
      open.pop();
      p = end;
      if (open.length === 0) return p;
      b.end();
    } else if (c === 33 /* ! */ || c === 63 /* ? */) {
      const sp = scanSpecial(t, lt);
      if (!sp) return { open: open[open.length - 1]! };
      if (sp.doctype) throw new XmlSyntaxError(lt, '<!DOCTYPE> is not allowed inside an element');
      if (sp.cdata && b.wantsText()) b.text(normalizeLineEnds(t.slice(sp.cdata[0], sp.cdata[1])));
      p = sp.end;
    } else {
      if (!tag.scan(t, lt)) return { open: open[open.length - 1]! };
      b.start(tag.name, tag.attrs, tag.count);
      if (tag.selfClosing) b.end();
      else open.push(tag.name);
      p = tag.end;
    }
  }
}
