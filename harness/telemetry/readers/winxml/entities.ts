// Character data: entity and character references, line-end and attribute-value normalisation
// (XML 1.0 §2.11, §3.3.3, §4.6), and escaping for output.

/** A syntax error at `index` in the text being parsed; the caller turns it into file:line:column. */
export class XmlSyntaxError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes raw character data that starts at index `base` of the text being parsed.
 * - CR LF and lone CR become LF (XML 1.0 §2.11).
 * - In attribute values, tab, CR and LF become a space (§3.3.3, CDATA-type attributes), before
 *   references are expanded, so `&#10;` survives as a newline.
 * - The five predefined entities and decimal/hex character references are expanded. There is no
 *   DTD support: any other entity is an error, as is a bare `&`.
 */
export function decodeCharData(raw: string, base: number, attribute: boolean): string {
  let amp = raw.indexOf('&');
  if (amp < 0) return normalize(raw, attribute);
  let out = '';
  let from = 0;
  while (amp >= 0) {
    out += normalize(raw.slice(from, amp), attribute);
    const semi = raw.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 12) {
      throw new XmlSyntaxError(base + amp, "'&' must be written as &amp; (no ';' ends this reference)");
    }
    out += expandReference(raw.slice(amp + 1, semi), base + amp);
    from = semi + 1;
    amp = raw.indexOf('&', from);
  }
  return out + normalize(raw.slice(from), attribute);
}

/** CR LF and lone CR become LF (XML 1.0 §2.11); also applies to CDATA sections. */
export function normalizeLineEnds(s: string): string {
  return s.indexOf('\r') >= 0 ? s.replace(/\r\n?/g, '\n') : s;
}

function normalize(s: string, attribute: boolean): string {
  s = normalizeLineEnds(s);
  if (attribute && (s.indexOf('\n') >= 0 || s.indexOf('\t') >= 0)) s = s.replace(/[\t\n]/g, ' ');
  return s;
}

function expandReference(ref: string, at: number): string {
  if (ref.charCodeAt(0) === 35 /* # */) {
    const hex = ref.charCodeAt(1) === 120; /* x */
    const digits = ref.slice(hex ? 2 : 1);
    const ok = hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits);
    const cp = ok ? parseInt(digits, hex ? 16 : 10) : NaN;
    if (!ok || cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw new XmlSyntaxError(at, `invalid character reference &${ref};`);
    }
    return String.fromCodePoint(cp);
  }
  const v = PREDEFINED[ref];
  if (v === undefined) {
    throw new XmlSyntaxError(
      at,
      `unknown entity &${ref}; (only &lt; &gt; &amp; &quot; &apos; and character references are defined; ` +
        "a literal '&' must be written as &amp;)",
    );
  }
  return v;
}

const TEXT_SPECIAL = /[&<>\r]/;

/**
 * Escapes element text the way Windows' renderer does: `&`, `<` and `>` (Event Viewer escapes
 * those three in element values, not quotes; libevtx documentation "String"). A carriage return
 * is written as `&#13;` so that it survives XML line-end normalisation.
 */
export function escapeText(value: string): string {
  if (!TEXT_SPECIAL.test(value)) return value;
  return value.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

/** Escapes an attribute value for the given quote character. */
export function escapeAttr(value: string, quote: "'" | '"'): string {
  return value.replace(/[&<'"\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '\t':
        return '&#9;';
      case '\n':
        return '&#10;';
      case '\r':
        return '&#13;';
      default:
        if (c !== quote) return c;
        return c === "'" ? '&apos;' : '&quot;';
    }
  });
}
