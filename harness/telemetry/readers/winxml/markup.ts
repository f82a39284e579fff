// Hand-written XML markup scanning over a string: start tags and one complete element.
// Every function works on absolute indexes into the string it is given and reports "incomplete"
// (null) when the markup runs past the end, so the streaming reader can wait for more input.
import { XmlSyntaxError, decodeCharData, normalizeLineEnds } from './entities.ts';
import type { XAttr, XElement } from './tree.ts';

export interface StartTag {
  name: string;
  attrs: XAttr[];
  selfClosing: boolean;
  /** index just after the closing `>` */
  end: number;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

// XML 1.0 NameStartChar / NameChar, simplified to "any non-ASCII character" above 0x7F.
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0xc0;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 0xb7 || (c >= 0x80 && c < 0xc0);
}

/** Scans a name starting at `p`; returns the index after it (may equal t.length). */
function scanName(t: string, p: number): number {
  const n = t.length;
  while (p < n && isNameChar(t.charCodeAt(p))) p++;
  return p;
}

function describeChar(t: string, p: number): string {
  const ch = t[p] ?? '';
  return ch === '\n' ? 'a line break' : JSON.stringify(ch);
}

/** Parses the start tag at `t[lt] === '<'`. Returns null when it runs past the end of `t`. */
export function scanStartTag(t: string, lt: number): StartTag | null {
  const n = t.length;
  let p = lt + 1;
  if (p < n && !isNameStart(t.charCodeAt(p))) {
    throw new XmlSyntaxError(p, `invalid element name starting with ${describeChar(t, p)} after '<'`);
  }
  p = scanName(t, p);
  if (p >= n) return null;
  const name = t.slice(lt + 1, p);
  const attrs: XAttr[] = [];
  for (;;) {
    const wsStart = p;
    while (p < n && isWs(t.charCodeAt(p))) p++;
    if (p >= n) return null;
    const c = t.charCodeAt(p);
    if (c === 62 /* > */) return { name, attrs, selfClosing: false, end: p + 1 };
    if (c === 47 /* / */) {
      if (p + 1 >= n) return null;
      if (t.charCodeAt(p + 1) === 62) return { name, attrs, selfClosing: true, end: p + 2 };
      throw new XmlSyntaxError(p + 1, `expected '>' after '/' in <${name}>`);
    }
    if (p === wsStart) {
      throw new XmlSyntaxError(p, `unexpected ${describeChar(t, p)} in <${name}> (expected whitespace, '>' or '/>')`);
    }
    if (!isNameStart(c)) {
      throw new XmlSyntaxError(p, `unexpected ${describeChar(t, p)} in <${name}> (expected an attribute name, '>' or '/>')`);
    }
    const nameStart = p;
    p = scanName(t, p);
    if (p >= n) return null;
    const attrName = t.slice(nameStart, p);
    while (p < n && isWs(t.charCodeAt(p))) p++;
    if (p >= n) return null;
    if (t.charCodeAt(p) !== 61 /* = */) {
      throw new XmlSyntaxError(p, `attribute ${attrName} of <${name}> has no value (expected '=')`);
    }
    p++;
    while (p < n && isWs(t.charCodeAt(p))) p++;
    if (p >= n) return null;
    const q = t.charCodeAt(p);
    if (q !== 34 && q !== 39) {
      throw new XmlSyntaxError(p, `value of attribute ${attrName} of <${name}> must be quoted with ' or "`);
    }
    const close = t.indexOf(q === 34 ? '"' : "'", p + 1);
    if (close < 0) return null;
    const raw = t.slice(p + 1, close);
    const lt2 = raw.indexOf('<');
    if (lt2 >= 0) throw new XmlSyntaxError(p + 1 + lt2, `'<' is not allowed in the value of attribute ${attrName}`);
    for (const a of attrs) {
      if (a.name === attrName) throw new XmlSyntaxError(nameStart, `duplicate attribute ${attrName} in <${name}>`);
    }
    attrs.push({ name: attrName, value: decodeCharData(raw, p + 1, true) });
    p = close + 1;
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
 * it and, for CDATA, its text; null when incomplete.
 */
export function scanSpecial(t: string, lt: number): { end: number; cdata?: string; doctype?: boolean } | null {
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
    return e < 0 ? null : { end: e + 3, cdata: t.slice(lt + 9, e) };
  }
  if (t.startsWith('<!DOCTYPE', lt)) {
    // An internal subset [ ... ] may contain '>'; entity declarations in it are not supported
    // (an entity it declares is reported as unknown where it is used).
    let p = lt + 9;
    for (; p < n; p++) {
      const c = t.charCodeAt(p);
      if (c === 62) return { end: p + 1, doctype: true };
      if (c === 91 /* [ */) {
        const close = t.indexOf(']', p + 1);
        if (close < 0) return null;
        p = close;
      } else if (c === 34 || c === 39) {
        const close = t.indexOf(c === 34 ? '"' : "'", p + 1);
        if (close < 0) return null;
        p = close;
      }
    }
    return null;
  }
  // A prefix of one of the above that the text cuts off: wait for more.
  const rest = t.slice(lt, lt + 9);
  if (rest.length < 9 && ('<![CDATA['.startsWith(rest) || '<!DOCTYPE'.startsWith(rest) || '<!--'.startsWith(rest))) {
    return null;
  }
  throw new XmlSyntaxError(lt, `unexpected markup ${JSON.stringify(t.slice(lt, lt + 9))} (expected a comment, CDATA section or DOCTYPE)`);
}

export type ElementScan = { el: XElement; end: number } | { incomplete: true; open: string };

/**
 * Parses the element whose start tag is at `t[start]`, up to its matching end tag. Text is
 * decoded; comments and processing instructions are dropped. Returns `incomplete` (with the name
 * of the innermost open element) when `t` ends first.
 */
export function parseElementAt(t: string, start: number): ElementScan {
  const stack: XElement[] = [];
  let p = start;
  for (;;) {
    const lt = t.indexOf('<', p);
    const top = stack[stack.length - 1];
    if (lt < 0 || lt + 1 >= t.length) return { incomplete: true, open: top?.name ?? '' };
    if (lt > p && top) top.children.push(decodeCharData(t.slice(p, lt), p, false));
    const c = t.charCodeAt(lt + 1);
    if (c === 47 /* / */) {
      const tag = scanEndTag(t, lt);
      if (!tag) return { incomplete: true, open: top?.name ?? '' };
      if (!top || tag.name !== top.name) {
        throw new XmlSyntaxError(lt, `mismatched end tag </${tag.name}>: expected </${top?.name ?? '?'}>`);
      }
      stack.pop();
      p = tag.end;
      if (stack.length === 0) return { el: top, end: p };
    } else if (c === 33 /* ! */ || c === 63 /* ? */) {
      const sp = scanSpecial(t, lt);
      if (!sp) return { incomplete: true, open: top?.name ?? '' };
      if (sp.doctype) throw new XmlSyntaxError(lt, '<!DOCTYPE> is not allowed inside an element');
      if (sp.cdata !== undefined && top) top.children.push(normalizeLineEnds(sp.cdata));
      p = sp.end;
    } else {
      const tag = scanStartTag(t, lt);
      if (!tag) return { incomplete: true, open: top?.name ?? '' };
      const el: XElement = { name: tag.name, attrs: tag.attrs, children: [] };
      if (top) top.children.push(el);
      p = tag.end;
      if (!tag.selfClosing) stack.push(el);
      else if (!top) return { el, end: p };
    }
  }
}
