// A text every value matched by a regular expression contains, lower-cased (the rule-set
// prefilter): the longest run of literal characters the pattern requires. Only a small,
// well-understood subset of RE2 syntax is read; anything else (other escapes, POSIX classes,
// \Q…\E, a `{` that is no repetition) gives null, so the prefilter never skips a rule wrongly.
//
// Why lower-casing is sound: runs hold ASCII characters only, and String.prototype.toLowerCase maps
// each ASCII character on its own, so a value containing the run contains it lower-cased after
// folding the value. Case-insensitive patterns (flag i or an inline `(?i`) also match the non-ASCII
// case variants RE2 folds with ASCII letters (Unicode simple case folding): U+212A KELVIN SIGN
// lower-cases to `k`, but U+017F LATIN SMALL LETTER LONG S stays itself, so runs are cut at `s`
// there (test/…/regex-literal.test.ts checks this set against RE2 for every code point).

const META = new Set([...'\\^$.|?*+()[]{}']);
const CLASS_ESCAPES = new Set([...'dDwWsS']);
const ZERO_WIDTH_ESCAPES = new Set([...'bBAz']);
/** ASCII letters that RE2 folds with a code point whose toLowerCase is not that letter */
export const UNSAFE_FOLDED = ['s'];
const UNSAFE_SPLIT = new RegExp(`[${UNSAFE_FOLDED.join('')}]`);

interface Scan {
  /** literal runs of each top-level alternative */
  alternatives: string[][];
  caseless: boolean;
}

/** Index just past the class that starts at i ('['), or -1 for syntax outside the subset. */
function skipClass(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  for (; j < src.length; j++) {
    const c = src[j]!;
    if (c === '\\') j++;
    else if (c === '[') return -1; // [:alpha:] and friends
    else if (c === ']') return j + 1;
  }
  return -1;
}

/** Index just past the group that starts at i ('('), or -1. */
function skipGroup(src: string, i: number): number {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j]!;
    if (c === '\\') j++;
    else if (c === '[') {
      const e = skipClass(src, j);
      if (e < 0) return -1;
      j = e - 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

function scan(src: string, flags: string): Scan | null {
  const alternatives: string[][] = [];
  let runs: string[] = [];
  let run = '';
  let caseless = flags.includes('i');
  /** the atom just read was a literal character (ended the run) */
  let lastLiteral = false;
  const end = (): void => {
    if (run) runs.push(run);
    run = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const code = c.charCodeAt(0);
    if (c === '|') {
      end();
      alternatives.push(runs);
      runs = [];
      lastLiteral = false;
      i++;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      let min: number;
      let next = i + 1;
      if (c === '{') {
        const m = /^\{(\d+)(,\d*)?\}/.exec(src.slice(i));
        if (!m) return null;
        min = Number(m[1]);
        next = i + m[0].length;
      } else min = c === '+' ? 1 : 0;
      if (src[next] === '?') next++; // lazy
      if (lastLiteral && min === 0) run = run.slice(0, -1);
      end();
      lastLiteral = false;
      i = next;
    } else if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return null;
      if (!/[A-Za-z0-9]/.test(n) && n.charCodeAt(0) < 0x80) {
        run += n;
        lastLiteral = true;
      } else if (CLASS_ESCAPES.has(n) || ZERO_WIDTH_ESCAPES.has(n)) {
        end();
        lastLiteral = false;
      } else return null;
      i += 2;
    } else if (c === '[') {
      const e = skipClass(src, i);
      if (e < 0) return null;
      end();
      lastLiteral = false;
      i = e;
    } else if (c === '(') {
      const e = skipGroup(src, i);
      if (e < 0) return null;
      const head = /^\(\?([A-Za-z-]*)[:)]/.exec(src.slice(i));
      if (head && head[1]!.includes('i')) caseless = true;
      end();
      lastLiteral = false;
      i = e;
    } else if (META.has(c) || code >= 0x80 || code < 0x20) {
      // ^ $ . ) ] }, non-ASCII or control characters: not part of a run
      end();
      lastLiteral = false;
      i++;
    } else {
      run += c;
      lastLiteral = true;
      i++;
    }
  }
  end();
  alternatives.push(runs);
  return { alternatives, caseless };
}

/**
 * Texts one of which every value the pattern matches contains, lower-cased (one per top-level
 * alternative); null when some alternative requires no text this reading can prove.
 */
export function regexRequiredLiterals(source: string, flags: string): string[] | null {
  const s = scan(source, flags);
  if (!s) return null;
  const out: string[] = [];
  for (const runs of s.alternatives) {
    let best = '';
    for (const r of runs) {
      const text = r.toLowerCase();
      for (const p of s.caseless ? text.split(UNSAFE_SPLIT) : [text]) if (p.length > best.length) best = p;
    }
    if (!best) return null;
    out.push(best);
  }
  return out;
}
