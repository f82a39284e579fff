// Splunk's event segmentation (segmenters.conf defaults, [SEGCONF]/[SEGOV], spl.md §4): `_raw` is cut
// at MAJOR breakers into segments; "for each minor breaker found, Splunk indexes the token from the
// last major breaker to the current minor breaker and from the last minor breaker to the current
// minor breaker". Search terms are looked up in that token set, case-insensitively.
//
// CHOICE: the percent-encoded major breakers (%20, %2C, ...) are matched case-insensitively.
import type { RawTokens } from './row.ts';

const MAJOR_CHARS = '[]<>(){}|!;,\'"*\n\r \t&?+';
const MAJOR_SEQUENCES = ['%2526', '%2520', '%21', '%26', '%3b', '%7c', '%20', '%2b', '%3d', '%5d', '%5b', '%3a', '%0a', '%2c', '%28', '%29', '--'];
const MINOR_CHARS = '/:=@.-$#%\\_';

const isMajorChar = new Uint8Array(128);
for (const c of MAJOR_CHARS) isMajorChar[c.charCodeAt(0)] = 1;
const isMinorChar = new Uint8Array(128);
for (const c of MINOR_CHARS) isMinorChar[c.charCodeAt(0)] = 1;

/** Length of the major breaker starting at i (0 when there is none). Text is lower case. */
function majorAt(s: string, i: number): number {
  const code = s.charCodeAt(i);
  if (code < 128 && isMajorChar[code]) return 1;
  if (code === 37 /* % */) {
    for (const seq of MAJOR_SEQUENCES) if (seq.charCodeAt(0) === 37 && s.slice(i, i + seq.length).toLowerCase() === seq) return seq.length;
  } else if (code === 45 /* - */ && s.charCodeAt(i + 1) === 45) return 2;
  // other white space (e.g. non-breaking, vertical tab) breaks like \s
  if (code > 127 ? /\s/.test(s[i]!) : code === 11 || code === 12) return 1;
  return 0;
}

export function isMinor(code: number): boolean {
  return code < 128 && isMinorChar[code] === 1;
}

/** Major segments of a lower-case text, in order. */
export function majorSegments(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const len = majorAt(s, i);
    if (len > 0) {
      if (i > start) out.push(s.slice(start, i));
      i += len;
      start = i;
    } else i++;
  }
  if (i > start) out.push(s.slice(start, i));
  return out;
}

/** The token set of a lower-case `_raw`. */
export function tokenize(rawLower: string): RawTokens {
  const all = new Set<string>();
  const majors = new Set<string>();
  for (const seg of majorSegments(rawLower)) {
    majors.add(seg);
    all.add(seg);
    let last = 0;
    for (let j = 0; j < seg.length; j++) {
      if (!isMinor(seg.charCodeAt(j))) continue;
      if (j > 0) all.add(seg.slice(0, j));
      if (j > last) all.add(seg.slice(last, j));
      last = j + 1;
    }
    if (last > 0 && last < seg.length) all.add(seg.slice(last));
  }
  return { all, majors };
}

/** The smallest pieces of a term: split at every major and minor breaker (lower case). */
export function subTerms(termLower: string): string[] {
  const out: string[] = [];
  for (const seg of majorSegments(termLower)) {
    let last = 0;
    for (let j = 0; j <= seg.length; j++) {
      if (j === seg.length || isMinor(seg.charCodeAt(j))) {
        if (j > last) out.push(seg.slice(last, j));
        last = j + 1;
      }
    }
  }
  return out;
}

/** True when the term contains a major breaker. */
export function hasMajorBreaker(termLower: string): boolean {
  for (let i = 0; i < termLower.length; i++) if (majorAt(termLower, i) > 0) return true;
  return false;
}
