// Tokens of eval/where expressions.
//
// [WHERE]/[EVAL]: "If the string is not quoted, it is treated as a field name"; double quotes make
// a literal string; single quotes delimit field names with special characters ('server-1'); names
// starting with a digit need single quotes. String escapes: \" and \\ are expanded, and \t is a
// tab ("The \t in the path is interpreted as a tab", Search Manual 10.0 "Types of expressions");
// other backslash sequences pass through unchanged, so \s \. \w reach PCRE intact (spl.md §2).
// Logical keywords are accepted upper or lower case (`and`/`or`/`not` appear in Splunk's own
// detections, spl.md §3).
import { SPL_ERRORS, type SplSource } from '../source.ts';

export type TokenType = 'num' | 'str' | 'ident' | 'qfield' | 'op' | 'kw' | '(' | ')' | ',' | 'eof';

export interface Token {
  t: TokenType;
  /** text for ident/op/kw (keywords upper-cased); decoded value for str/qfield */
  v: string;
  offset: number;
  end: number;
  /** for str: expanded offset of each decoded character */
  charOffsets?: number[];
  /** whitespace (or start of input) directly before the token */
  spaceBefore: boolean;
}

const KEYWORDS = new Set(['AND', 'OR', 'XOR', 'NOT', 'LIKE', 'IN']);
const OPERATORS = ['==', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '%', '.'];

export function lexExpression(src: SplSource, start: number, end: number): Token[] {
  const text = src.text;
  const out: Token[] = [];
  let i = start;
  let space = true;
  while (i < end) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      space = true;
      continue;
    }
    const tokStart = i;
    const push = (t: TokenType, v: string, extra: Partial<Token> = {}) => {
      out.push({ t, v, offset: tokStart, end: i, spaceBefore: space, ...extra });
      space = false;
    };
    if (c === '"' || c === "'") {
      let value = '';
      const offsets: number[] = [];
      i++;
      let closed = false;
      while (i < end) {
        const d = text[i]!;
        if (d === '\\' && i + 1 < end) {
          const e = text[i + 1]!;
          if (e === c || e === '\\') {
            value += e;
            offsets.push(i);
          } else if (e === 't' && c === '"') {
            value += '\t';
            offsets.push(i);
          } else {
            value += d + e;
            offsets.push(i, i + 1);
          }
          i += 2;
          continue;
        }
        if (d === c) {
          closed = true;
          i++;
          break;
        }
        value += d;
        offsets.push(i);
        i++;
      }
      if (!closed) throw src.error(SPL_ERRORS.syntax, c === '"' ? 'Unbalanced quotes.' : 'Unbalanced single quotes around a field name.', tokStart);
      if (c === '"') push('str', value, { charOffsets: offsets });
      else push('qfield', value);
      continue;
    }
    const num = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
    num.lastIndex = i;
    const nm = num.exec(text);
    if (nm && nm.index === i && !(c === '.' && !/\d/.test(text[i + 1] ?? ''))) {
      i += nm[0].length;
      if (/[A-Za-z_]/.test(text[i] ?? '')) {
        throw src.error(SPL_ERRORS.syntax, `The field name '${nm[0]}${/^[A-Za-z0-9_]*/.exec(text.slice(i))![0]}' starts with a digit; put it in single quotes.`, tokStart);
      }
      push('num', nm[0]);
      continue;
    }
    const id = /[A-Za-z_][A-Za-z0-9_]*/y;
    id.lastIndex = i;
    const im = id.exec(text);
    if (im && im.index === i) {
      i += im[0].length;
      const word = im[0];
      if ((word === word.toUpperCase() || word === word.toLowerCase()) && KEYWORDS.has(word.toUpperCase())) push('kw', word.toUpperCase());
      else push('ident', word);
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      i++;
      push(c, c);
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      i += op.length;
      push('op', op);
      continue;
    }
    throw src.error(SPL_ERRORS.syntax, `The expression is malformed. Unexpected character '${c}'.`, i);
  }
  out.push({ t: 'eof', v: '', offset: end, end, spaceBefore: true });
  return out;
}
