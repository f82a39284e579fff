// Parser for LogScale regular expressions (v1 "JitRex" syntax and v2 where they agree).
//
// Supported (cql.md §7, [RXSYN]): escapes \t \n \r \f \a \e \cK \xhh \uhhhh \0n; classes
// [abc] [^abc] [a-z] . \d \D \s \S \w \W; anchors ^ $ \b \B \A \Z \z; quantifiers ? * + {n} {n,}
// {n,m} and their lazy forms except X+? (v1); groups (X) (?<name>X) (?P<name>X) (?:X) (?flags)
// (?flags:X) (?=X) (?!X); \Q…\E. Group names may contain # and @.
// Rejected with the reason (cql.md §7, [RXUNS], [JitRex]): \p{…}, POSIX [[:alpha:]], \R \X \G,
// possessive quantifiers, \k<name>, back-references, lookbehind, class intersection, X+? in v1.
//
// Inline flags in v1 apply to the first branch of the alternation they start, not to the whole
// implicit group ([RXENG]: `(?i)Huck[a-z]+|Saw[a-z]+` acts like `(?:(?i)Huck[a-z]+)|Saw[a-z]+`);
// v2 applies them to the rest of the enclosing group, as PCRE, Java and JS do.
import type { ClassItem, ParsedRegex, RxFlags, RxNode } from './ast.ts';

export type RegexEngineVersion = 'v1' | 'v2';

export class RegexSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the pattern */
    readonly offset: number,
  ) {
    super(message);
  }
}

const HEX = /^[0-9a-fA-F]+$/;

interface Scope {
  flags: RxFlags;
}

export function parseRegex(pattern: string, flags: RxFlags, engine: RegexEngineVersion): ParsedRegex {
  return new RxParser(pattern, engine).parse(flags);
}

class RxParser {
  private pos = 0;
  private groupCount = 0;
  private readonly groups: Array<{ index: number; name?: string }> = [];
  private hasLookaround = false;

  constructor(
    private readonly src: string,
    private readonly engine: RegexEngineVersion,
  ) {}

  parse(flags: RxFlags): ParsedRegex {
    const root = this.alternation({ flags: { ...flags } });
    if (this.pos < this.src.length) {
      throw new RegexSyntaxError(`unmatched ')' in regular expression`, this.pos);
    }
    return { root, groups: this.groups, hasLookaround: this.hasLookaround };
  }

  private fail(message: string, at = this.pos): never {
    throw new RegexSyntaxError(message, at);
  }

  private alternation(scope: Scope): RxNode {
    const branches: RxNode[] = [];
    // flags in force at the start of the group: v1 resets to them for each later branch
    const groupStart = { ...scope.flags };
    const branchScope: Scope = { flags: { ...scope.flags } };
    for (;;) {
      branches.push(this.sequence(branchScope));
      if (this.src[this.pos] !== '|') break;
      this.pos++;
      // v1: an inline flag covers only the branch it was written in ([RXENG]); v2: the rest of the group
      if (this.engine === 'v1') branchScope.flags = { ...groupStart };
    }
    scope.flags = branchScope.flags;
    return branches.length === 1 ? branches[0]! : { type: 'alt', branches };
  }

  private sequence(scope: Scope): RxNode {
    const items: RxNode[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (c === '|' || c === ')') break;
      const atom = this.atom(scope, items);
      if (atom === null) continue;
      items.push(this.quantified(atom));
    }
    if (items.length === 0) return { type: 'empty' };
    return items.length === 1 ? items[0]! : { type: 'seq', items };
  }

  private quantified(atom: RxNode): RxNode {
    const start = this.pos;
    const c = this.src[this.pos];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return atom; // a literal '{' (as in Java and JS without u)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) this.fail(`numbers out of order in {} quantifier`, start);
      this.pos += m[0].length - 1;
    } else return atom;
    this.pos++;
    if (atom.type === 'assert' || atom.type === 'empty') this.fail(`nothing to repeat`, start);
    let lazy = false;
    const next = this.src[this.pos];
    if (next === '?') {
      if (c === '+' && this.engine === 'v1') {
        this.fail(`the lazy quantifier X+? is not supported by the LogScale regex engine (v1); write X{1,}? or XX*?`, start);
      }
      lazy = true;
      this.pos++;
    } else if (next === '+') {
      this.fail(`possessive quantifiers are not supported by LogScale regular expressions`, start);
    }
    if (this.src[this.pos] === '*' || this.src[this.pos] === '+' || (this.src[this.pos] === '?' && !lazy)) {
      this.fail(`nothing to repeat`, this.pos);
    }
    return { type: 'repeat', min, max, lazy, body: atom };
  }

  /** one atom, or null for a construct that produced no node (inline flag group, \Q\E) */
  private atom(scope: Scope, seq: RxNode[]): RxNode | null {
    const start = this.pos;
    const c = this.src[this.pos++]!;
    switch (c) {
      case '.':
        return { type: 'dot', dotAll: scope.flags.d };
      case '^':
        return { type: 'assert', kind: scope.flags.m ? 'lineStart' : 'start' };
      case '$':
        return { type: 'assert', kind: scope.flags.m ? 'lineEnd' : 'end' };
      case '[':
        return this.charClass(scope, start);
      case '(':
        return this.group(scope, start);
      case '\\':
        return this.escape(scope, start, seq);
      case '*':
      case '+':
      case '?':
        return this.fail(`nothing to repeat`, start);
      default:
        return this.char(c.charCodeAt(0), scope);
    }
  }

  private char(code: number, scope: Scope): RxNode {
    return { type: 'char', code, fold: scope.flags.i && hasCaseVariant(code) };
  }

  private group(scope: Scope, start: number): RxNode | null {
    const rest = this.src.slice(this.pos);
    if (rest.startsWith('?')) {
      this.pos++;
      const k = this.src[this.pos];
      if (k === ':') {
        this.pos++;
        return this.closeGroup({ type: 'group', capture: false, body: this.alternation({ flags: { ...scope.flags } }) }, start);
      }
      if (k === '=' || k === '!') {
        this.pos++;
        this.hasLookaround = true;
        const body = this.alternation({ flags: { ...scope.flags } });
        return this.closeGroup({ type: 'look', ahead: true, negative: k === '!', body }, start);
      }
      if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
        this.fail(`lookbehind is not supported by LogScale regular expressions`, start);
      }
      const named = /^\?P?<([A-Za-z_#@][A-Za-z0-9_#@.]*)>/.exec(rest);
      if (named) {
        this.pos = start + 1 + named[0].length;
        const index = ++this.groupCount;
        this.groups.push({ index, name: named[1]! });
        const body = this.alternation({ flags: { ...scope.flags } });
        return this.closeGroup({ type: 'group', capture: true, name: named[1]!, index, body }, start);
      }
      const fl = /^\?([a-zA-Z]*)(?:-([a-zA-Z]*))?(:|\))/.exec(rest);
      if (fl) {
        const on = fl[1] ?? '';
        const off = fl[2] ?? '';
        const flags = { ...scope.flags };
        for (const [letters, value] of [[on, true], [off, false]] as const) {
          for (const f of letters) {
            if (f === 'i') flags.i = value;
            else if (f === 'm') flags.m = value;
            else if (f === 's' || f === 'd') flags.d = value;
            else this.fail(`unknown inline flag '${f}' in regular expression (supported: i, m, s)`, start + 2);
          }
        }
        this.pos = start + 1 + fl[0].length;
        if (fl[3] === ')') {
          // (?flags): applies from here to the end of the enclosing group (v2) or branch (v1)
          scope.flags = flags;
          return null;
        }
        return this.closeGroup({ type: 'group', capture: false, body: this.alternation({ flags }) }, start);
      }
      return this.fail(`unsupported group construct '(?${k ?? ''}' in regular expression`, start);
    }
    const index = ++this.groupCount;
    this.groups.push({ index });
    const body = this.alternation({ flags: { ...scope.flags } });
    return this.closeGroup({ type: 'group', capture: true, index, body }, start);
  }

  private closeGroup(node: RxNode, start: number): RxNode {
    if (this.src[this.pos] !== ')') this.fail(`missing ')' for the group opened here`, start);
    this.pos++;
    return node;
  }

  private escape(scope: Scope, start: number, seq: RxNode[]): RxNode | null {
    const c = this.src[this.pos++];
    if (c === undefined) return this.fail(`trailing backslash in regular expression`, start);
    switch (c) {
      case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
        return { type: 'class', negated: false, items: [{ kind: 'shorthand', shorthand: c }], fold: false };
      case 'b': return { type: 'assert', kind: 'wordB' };
      case 'B': return { type: 'assert', kind: 'notWordB' };
      case 'A': return { type: 'assert', kind: 'start' };
      case 'Z': return { type: 'assert', kind: 'textEndNl' };
      case 'z': return { type: 'assert', kind: 'textEnd' };
      case 'Q': {
        const end = this.src.indexOf('\\E', this.pos);
        const text = end < 0 ? this.src.slice(this.pos) : this.src.slice(this.pos, end);
        this.pos = end < 0 ? this.src.length : end + 2;
        const chars = [...text].map((ch) => this.char(ch.codePointAt(0)!, scope));
        // a quantifier after \Q…\E applies to its last character only, as in Java
        if (chars.length === 0) return null;
        seq.push(...chars.slice(0, -1));
        return chars[chars.length - 1]!;
      }
      case 'E':
        return null;
      case 'p': case 'P':
        return this.fail(`Unicode property classes (\\${c}{…}) are not supported by LogScale regular expressions`, start);
      case 'R': case 'X': case 'G':
        return this.fail(`\\${c} is not supported by LogScale regular expressions`, start);
      case 'k':
        return this.fail(`named back-references (\\k<name>) are not supported by LogScale regular expressions`, start);
      default: {
        if (c >= '1' && c <= '9') {
          return this.fail(`back-references (\\${c}) are not supported by LogScale regular expressions`, start);
        }
        const code = this.escapeCode(c, start);
        return this.char(code, scope);
      }
    }
  }

  /** the code of a character escape (outside or inside a class) */
  private escapeCode(c: string, start: number): number {
    switch (c) {
      case 't': return 9;
      case 'n': return 10;
      case 'r': return 13;
      case 'f': return 12;
      case 'a': return 7;
      case 'e': return 27;
      case 'v': return this.engine === 'v1' ? 'v'.charCodeAt(0) : 11; // v1: \v and \h are literal letters ([RXENG])
      case 'h': if (this.engine === 'v1') return 'h'.charCodeAt(0);
        return this.fail(`\\h is not supported by LogScale regular expressions`, start);
      case 'c': {
        const l = this.src[this.pos++];
        if (!l || !/[A-Za-z]/.test(l)) this.fail(`\\c must be followed by a letter`, start);
        return l!.toUpperCase().charCodeAt(0) % 32;
      }
      case 'x': {
        const h = this.src.slice(this.pos, this.pos + 2);
        if (h.length !== 2 || !HEX.test(h)) this.fail(`\\x must be followed by two hex digits`, start);
        this.pos += 2;
        return parseInt(h, 16);
      }
      case 'u': {
        const h = this.src.slice(this.pos, this.pos + 4);
        if (h.length !== 4 || !HEX.test(h)) this.fail(`\\u must be followed by four hex digits`, start);
        this.pos += 4;
        return parseInt(h, 16);
      }
      case '0': {
        const m = /^[0-7]{0,3}/.exec(this.src.slice(this.pos))![0];
        this.pos += m.length;
        return m ? parseInt(m, 8) : 0;
      }
      default:
        if (/[A-Za-z]/.test(c)) this.fail(`unknown escape \\${c} in regular expression`, start);
        return c.codePointAt(0)!;
    }
  }

  private charClass(scope: Scope, start: number): RxNode {
    let negated = false;
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const items: ClassItem[] = [];
    let first = true;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail(`missing ']' for the character class opened here`, start);
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[') {
        if (this.src[this.pos + 1] === ':') this.fail(`POSIX character classes ([[:name:]]) are not supported by LogScale regular expressions`, this.pos);
        if (this.src.startsWith('&&', this.pos + 1) || this.src.startsWith('&&', this.pos - 2)) {
          this.fail(`character class intersection is not supported by LogScale regular expressions`, this.pos);
        }
      }
      if (c === '&' && this.src[this.pos + 1] === '&') {
        this.fail(`character class intersection is not supported by LogScale regular expressions`, this.pos);
      }
      const lo = this.classAtom();
      if (typeof lo === 'string') {
        items.push({ kind: 'shorthand', shorthand: lo });
        continue;
      }
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.src[this.pos + 1] !== undefined) {
        const dash = this.pos;
        this.pos++;
        const hi = this.classAtom();
        if (typeof hi === 'string') this.fail(`invalid range in character class`, dash);
        if (hi < lo) this.fail(`range out of order in character class`, dash);
        items.push({ kind: 'range', from: lo, to: hi });
      } else {
        items.push({ kind: 'range', from: lo, to: lo });
      }
    }
    return { type: 'class', negated, items, fold: scope.flags.i };
  }

  /** a code, or a shorthand letter (d, s, w, ...) */
  private classAtom(): number | string {
    const start = this.pos;
    const c = this.src[this.pos++]!;
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.src[this.pos++];
    if (e === undefined) return this.fail(`trailing backslash in regular expression`, start);
    if ('dDsSwW'.includes(e)) return e;
    if (e === 'b') return 8;
    if (e === 'p' || e === 'P') return this.fail(`Unicode property classes (\\${e}{…}) are not supported by LogScale regular expressions`, start);
    return this.escapeCode(e, start);
  }
}

/** true when the character has another case form (so the i flag changes what it matches) */
export function hasCaseVariant(code: number): boolean {
  const ch = String.fromCharCode(code);
  return ch.toLowerCase() !== ch.toUpperCase();
}
