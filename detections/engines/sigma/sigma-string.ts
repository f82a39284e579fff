// Sigma string values: wildcards `*` (any run of characters) and `?` (exactly one character), the
// backslash escapes of the specification ("Escape Character" table in sigma-rules-specification.md),
// and `%name%` placeholders (only with the `expand` modifier).
//
//   `\*` `\?`  → literal `*` `?` (the backslash is consumed)
//   `\\`       → one literal backslash (so `\\*` is a backslash then a wildcard)
//   `\` before anything else, or at the end → a literal backslash (`C:\Users\` is two backslashes)
//   `\%`       → literal `%` when placeholders are parsed (expand); otherwise kept as written.

export type Part = string | { wild: '*' | '?' } | { placeholder: string };

export const STAR: Part = { wild: '*' };
export const QMARK: Part = { wild: '?' };

export interface SigmaString {
  parts: Part[];
  /** 'bytes' after utf16*: each char is one byte (0–255), base64 encodes them as they are */
  encoding: 'text' | 'bytes';
}

export function isStar(p: Part | undefined): boolean {
  return typeof p === 'object' && p !== null && 'wild' in p && p.wild === '*';
}

function push(parts: Part[], p: Part): void {
  const last = parts[parts.length - 1];
  if (typeof p === 'string') {
    if (p === '') return;
    if (typeof last === 'string') parts[parts.length - 1] = last + p;
    else parts.push(p);
  } else parts.push(p);
}

export function parseSigmaString(raw: string, withPlaceholders = false): SigmaString {
  const parts: Part[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '\\') {
      const n = raw[i + 1];
      if (n === '*' || n === '?' || n === '\\' || (withPlaceholders && n === '%')) {
        push(parts, n);
        i += 2;
      } else {
        push(parts, '\\');
        i += 1;
      }
    } else if (c === '*') {
      push(parts, STAR);
      i++;
    } else if (c === '?') {
      push(parts, QMARK);
      i++;
    } else if (withPlaceholders && c === '%') {
      const end = raw.indexOf('%', i + 1);
      const name = end > i + 1 ? raw.slice(i + 1, end) : '';
      if (name && /^[A-Za-z0-9_.-]+$/.test(name)) {
        parts.push({ placeholder: name });
        i = end + 1;
      } else {
        push(parts, '%');
        i++;
      }
    } else {
      let j = i + 1;
      while (j < raw.length && !'\\*?%'.includes(raw[j]!)) j++;
      push(parts, raw.slice(i, j));
      i = j;
    }
  }
  return { parts, encoding: 'text' };
}

export function plainString(text: string, encoding: SigmaString['encoding'] = 'text'): SigmaString {
  return { parts: text === '' ? [] : [text], encoding };
}

export function hasWildcards(s: SigmaString): boolean {
  return s.parts.some((p) => typeof p !== 'string' && 'wild' in p);
}

export function hasPlaceholders(s: SigmaString): boolean {
  return s.parts.some((p) => typeof p !== 'string' && 'placeholder' in p);
}

/** The literal text, only valid when there is no wildcard or placeholder. */
export function literalText(s: SigmaString): string {
  return s.parts.map((p) => (typeof p === 'string' ? p : '')).join('');
}

/** Sigma-escaped text of the value, for explain output and messages. */
export function renderSigmaString(s: SigmaString): string {
  return s.parts
    .map((p) => (typeof p === 'string' ? p.replace(/[\\*?]/g, (m) => '\\' + m) : 'wild' in p ? p.wild : `%${p.placeholder}%`))
    .join('');
}

export function wrap(s: SigmaString, start: boolean, end: boolean): SigmaString {
  const parts = [...s.parts];
  if (start && !isStar(parts[0])) parts.unshift(STAR);
  if (end && !isStar(parts[parts.length - 1])) parts.push(STAR);
  return { parts, encoding: s.encoding };
}

export function mapLiterals(s: SigmaString, f: (text: string) => string): SigmaString {
  return { parts: s.parts.map((p) => (typeof p === 'string' ? f(p) : p)), encoding: s.encoding };
}
