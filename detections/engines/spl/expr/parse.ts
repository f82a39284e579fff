// eval/where expression parser. Precedence ([BOOL], spl.md §4: "eval and where: parentheses, NOT,
// AND, OR, XOR"): * / % above + - . above comparisons (= == != < > <= >= LIKE IN) above NOT above
// AND above OR above XOR.
import { SPL_ERRORS, type SplSource } from '../source.ts';
import type { BinaryOp, Expr } from './ast.ts';
import { type Token, lexExpression } from './lexer.ts';

const PREC: Record<string, number> = {
  XOR: 1, OR: 2, AND: 3,
  '=': 5, '==': 5, '!=': 5, '<': 5, '>': 5, '<=': 5, '>=': 5, LIKE: 5, IN: 5,
  '+': 6, '-': 6, '.': 6,
  '*': 7, '/': 7, '%': 7,
};
const NOT_PREC = 4;
const NEG_PREC = 8;

export class ExprParser {
  private i = 0;

  constructor(
    private readonly src: SplSource,
    private readonly tokens: Token[],
  ) {}

  static over(src: SplSource, start: number, end: number): ExprParser {
    return new ExprParser(src, lexExpression(src, start, end));
  }

  peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  atEnd(): boolean {
    return this.peek().t === 'eof';
  }

  fail(message: string, tok: Token = this.peek()): never {
    throw this.src.error(SPL_ERRORS.syntax, message, tok.offset);
  }

  unexpected(tok: Token = this.peek()): never {
    if (tok.t === 'eof') this.fail('The expression is malformed. An unexpected end of the expression is reached.', tok);
    this.fail(`The expression is malformed. An unexpected character is reached at '${this.src.text.slice(tok.offset, tok.end)}'.`, tok);
  }

  expect(t: Token['t'], what: string): Token {
    const tok = this.peek();
    if (tok.t !== t) this.fail(`The expression is malformed. Expected ${what}.`, tok);
    return this.next();
  }

  /** A whole expression; stops before a top-level `,` or the end. */
  parseExpression(min = 1): Expr {
    let left = this.parsePrefix();
    for (;;) {
      const tok = this.peek();
      const op = tok.t === 'op' || tok.t === 'kw' ? tok.v : undefined;
      if (op === undefined || op === 'NOT') break;
      const prec = PREC[op];
      if (prec === undefined || prec < min) break;
      this.next();
      if (op === 'IN') {
        this.expect('(', '( after IN');
        const list = this.parseList();
        const close = this.expect(')', ')');
        left = { k: 'in', operand: left, list, offset: left.offset, end: close.end };
        continue;
      }
      const right = this.parseExpression(prec + 1);
      left = { k: 'bin', op: op as BinaryOp, left, right, opOffset: tok.offset, offset: left.offset, end: right.end };
    }
    return left;
  }

  /** Comma-separated expressions up to (not including) a `)`. */
  private parseList(): Expr[] {
    const list: Expr[] = [];
    if (this.peek().t === ')') return list;
    list.push(this.parseExpression());
    while (this.peek().t === ',') {
      this.next();
      list.push(this.parseExpression());
    }
    return list;
  }

  private call(name: Token): Expr {
    this.next();
    const args = this.parseList();
    const close = this.expect(')', `) to close ${name.v.toLowerCase()}(`);
    return { k: 'call', name: name.v.toLowerCase(), args, offset: name.offset, end: close.end };
  }

  private parsePrefix(): Expr {
    const tok = this.next();
    switch (tok.t) {
      case 'num':
        return { k: 'num', value: Number(tok.v), offset: tok.offset, end: tok.end };
      case 'str':
        return { k: 'str', value: tok.v, charOffsets: tok.charOffsets ?? [], offset: tok.offset, end: tok.end };
      case 'qfield':
        return { k: 'field', name: tok.v, quoted: true, offset: tok.offset, end: tok.end };
      case 'kw':
        if (tok.v === 'NOT') {
          const operand = this.parseExpression(NOT_PREC + 1);
          return { k: 'not', operand, offset: tok.offset, end: operand.end };
        }
        // like(...) and in(...) in operand position are the functions
        if ((tok.v === 'LIKE' || tok.v === 'IN') && this.peek().t === '(') return this.call(tok);
        return this.unexpected(tok);
      case 'ident': {
        if (this.peek().t === '(') return this.call(tok);
        return { k: 'field', name: tok.v, quoted: false, offset: tok.offset, end: tok.end };
      }
      case '(': {
        const inner = this.parseExpression();
        const close = this.expect(')', ')');
        return { k: 'paren', inner, offset: tok.offset, end: close.end };
      }
      case 'op':
        if (tok.v === '-') {
          const operand = this.parseExpression(NEG_PREC);
          if (operand.k === 'num') return { ...operand, value: -operand.value, offset: tok.offset };
          return { k: 'neg', operand, offset: tok.offset, end: operand.end };
        }
        if (tok.v === '+') return this.parseExpression(NEG_PREC);
        return this.unexpected(tok);
      default:
        return this.unexpected(tok);
    }
  }
}

/** Parses a complete expression over [start, end) of the expanded text. */
export function parseExpression(src: SplSource, start: number, end: number): Expr {
  const p = ExprParser.over(src, start, end);
  if (p.atEnd()) p.fail('The expression is malformed. Expected an expression.');
  const e = p.parseExpression();
  if (!p.atEnd()) p.unexpected();
  return e;
}
