// PCRE (what Splunk runs, [REGEX]) on RE2 (linear time: no rule regex can hang a run).
//
// Translated: inline flags (?i) (?m) (?s) (?U) and scoped (?i:...); named groups (?<n>...),
// (?P<n>...), (?'n'...); \A, \z; \Z → \z; \h \H \v \V \R (PCRE's horizontal/vertical white space)
// outside character classes; \e; (?#comments); \Q...\E; POSIX classes; \p{..}.
// Rejected with a RuleError at the construct (they need backtracking, RE2 cannot run them):
// lookahead/lookbehind, atomic groups, possessive quantifiers, backreferences (\1, \g{1}, \k<n>),
// recursion and subroutine calls, conditionals, branch reset, callouts, \G \K \X \C \N \c, and the
// extended mode (?x).
// Known deviation: PCRE's `$` (without (?m)) also matches before a final newline; RE2's only at the
// very end.
import RE2 from 're2';

export class RegexError extends Error {
  constructor(
    message: string,
    /** index in the pattern */
    readonly index: number,
    readonly unsupported: boolean,
  ) {
    super(message);
  }
}

const H_CLASS = '\\t\\x20\\xA0\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}';
const V_CLASS = '\\n\\x0B\\f\\r\\x85\\x{2028}\\x{2029}';

/** PCRE pattern → RE2 pattern, or RegexError naming the first construct RE2 cannot run. */
export function translatePcre(p: string): string {
  let out = '';
  let inClass = false;
  const unsupported = (what: string, i: number): never => {
    throw new RegexError(`Unsupported regular expression construct ${what}: the lab runs regexes in linear time (RE2) and cannot run it.`, i, true);
  };
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const d = p[i + 1];
      if (d === undefined) throw new RegexError('Regex ends with a backslash.', i, false);
      if (d === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const stop = end < 0 ? p.length : end + 2;
        out += p.slice(i, stop);
        i = stop - 1;
        continue;
      }
      if (/[1-9]/.test(d) && !inClass) unsupported(`backreference \\${d}`, i);
      if ((d === 'g' || d === 'k') && /[{<']/.test(p[i + 2] ?? '') || (d === 'g' && /\d/.test(p[i + 2] ?? ''))) unsupported(`backreference \\${d}`, i);
      if ('GKXCNc'.includes(d)) unsupported(`\\${d}`, i);
      if (d === 'Z') {
        out += '\\z';
      } else if (d === 'e') {
        out += '\\x1B';
      } else if ('hHvVR'.includes(d)) {
        if (inClass) unsupported(`\\${d} inside a character class`, i);
        out += d === 'h' ? `[${H_CLASS}]` : d === 'H' ? `[^${H_CLASS}]` : d === 'v' ? `[${V_CLASS}]` : d === 'V' ? `[^${V_CLASS}]` : `(?:\\r\\n|[${V_CLASS}])`;
      } else out += c + d;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') {
        const end = p.indexOf(':]', i + 2);
        if (end > 0) {
          out += p.slice(i, end + 2);
          i = end + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i]!;
      if (p[i + 1] === ']') out += p[++i]!;
      continue;
    }
    if (c === '(' && p[i + 1] === '?') {
      const rest = p.slice(i + 2);
      if (rest.startsWith('=') || rest.startsWith('!')) unsupported(`lookahead (?${rest[0]}`, i);
      if (rest.startsWith('<=') || rest.startsWith('<!')) unsupported(`lookbehind (?${rest.slice(0, 2)}`, i);
      if (rest.startsWith('>')) unsupported('atomic group (?>', i);
      if (rest.startsWith('|')) unsupported('branch reset (?|', i);
      if (rest.startsWith('(')) unsupported('conditional (?(', i);
      if (rest.startsWith('C')) unsupported('callout (?C', i);
      if (/^(R|[+-]?\d|&|P>)/.test(rest)) unsupported('recursion or subroutine call', i);
      if (rest.startsWith('#')) {
        const end = p.indexOf(')', i);
        if (end < 0) throw new RegexError('Unterminated (?# comment.', i, false);
        i = end;
        continue;
      }
      const named = /^(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
      if (named) {
        out += `(?P<${named[1] ?? named[2]}>`;
        i += 1 + named[0].length;
        continue;
      }
      const flags = /^([A-Za-z]*)(?:-([A-Za-z]*))?[:)]/.exec(rest);
      if (flags) {
        const letters = (flags[1] ?? '') + (flags[2] ?? '');
        for (const f of letters) {
          if (f === 'x') unsupported('extended mode (?x)', i);
          if (!'imsU'.includes(f)) unsupported(`inline option (?${f})`, i);
        }
      }
      out += c;
      continue;
    }
    if ((c === '+' || c === '*' || c === '?') && p[i + 1] === '+' && i > 0) unsupported(`possessive quantifier ${c}+`, i);
    if (c === '}' && p[i + 1] === '+' && /\{\d+(,\d*)?$/.test(p.slice(0, i))) unsupported('possessive quantifier }+', i);
    out += c;
  }
  return out;
}

/** A compiled rule regex. `test` is what match()/regex use; the rest serve rex and replace. */
export class SplRegex {
  private readonly re: RE2;
  private global: RE2 | undefined;
  /** the literals of a pure literal alternation, for an indexOf fast path (same semantics) */
  private readonly literals: string[] | undefined;

  constructor(readonly pcre: string) {
    const translated = translatePcre(pcre);
    try {
      this.re = new RE2(translated, 'u');
    } catch (e) {
      throw new RegexError(`Invalid regular expression: ${(e as Error).message}.`, 0, false);
    }
    this.literals = literalAlternation(pcre);
  }

  test(s: string): boolean {
    const lits = this.literals;
    if (lits) {
      for (let i = 0; i < lits.length; i++) if (s.includes(lits[i]!)) return true;
      return false;
    }
    return this.re.test(s);
  }

  /** First match with its groups (numbered and named). */
  exec(s: string): RegExpExecArray | null {
    return this.re.exec(s);
  }

  /** All matches (for rex max_match and sed mode). */
  execAll(s: string, max: number): RegExpExecArray[] {
    const g = (this.global ??= new RE2(this.re.source, 'gu'));
    g.lastIndex = 0;
    const out: RegExpExecArray[] = [];
    let m: RegExpExecArray | null;
    while ((max <= 0 || out.length < max) && (m = g.exec(s)) !== null) {
      out.push(m);
      if (m[0] === '') g.lastIndex++;
    }
    return out;
  }

  /**
   * Replaces every match; in the replacement `\1`..`\9` are groups (PCRE style, [TEXT] replace) and
   * `\\` is a backslash.
   */
  replace(s: string, replacement: string, maxCount = 0): string {
    const g = (this.global ??= new RE2(this.re.source, 'gu'));
    let count = 0;
    return g.replace(s, (...args: unknown[]) => {
      const match = args[0] as string;
      if (maxCount > 0 && ++count > maxCount) return match;
      const groups: (string | undefined)[] = [];
      for (let k = 1; k < args.length && typeof args[k] !== 'number'; k++) groups.push(args[k] as string | undefined);
      return replacement.replace(/\\(\d|\\|&)/g, (_, d: string) => {
        if (d === '\\') return '\\';
        if (d === '&') return match;
        return d === '0' ? match : groups[Number(d) - 1] ?? '';
      });
    });
  }

  /** Named groups in pattern order. */
  groupNames(): string[] {
    const names: string[] = [];
    const re = /\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.pcre)) !== null) names.push((m[1] ?? m[2])!);
    return names;
  }
}

/**
 * `(abc|d\.e|f)` or `abc` (no flags, no metacharacters besides escaped punctuation): the literal
 * strings, for a substring test equivalent to the regex test.
 */
export function literalAlternation(pcre: string): string[] | undefined {
  let body = pcre;
  if (body.startsWith('(') && body.endsWith(')') && !body.startsWith('(?')) {
    body = body.slice(1, -1);
    if (/[()]/.test(body.replace(/\\./g, ''))) return undefined;
  }
  if (body.includes('\\|')) return undefined;
  const out: string[] = [];
  for (const alt of body.split('|')) {
    let lit = '';
    for (let i = 0; i < alt.length; i++) {
      const c = alt[i]!;
      if (c === '\\') {
        const d = alt[i + 1];
        if (d === undefined || /[A-Za-z0-9]/.test(d)) return undefined;
        lit += d;
        i++;
      } else if ('.^$*+?()[]{}|'.includes(c)) return undefined;
      else lit += c;
    }
    if (lit === '') return undefined;
    out.push(lit);
  }
  return out.length > 0 ? out : undefined;
}
