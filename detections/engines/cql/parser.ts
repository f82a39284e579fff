// Recursive-descent parser for LogScale queries, with offsets on every node.
//
// Grammar followed (cql.md §1, [GRAMMAR], [SUBSET], [APPA]):
//   Query        ::= Step ('|' Step)*
//   Step         ::= 'case' '{' Pipeline (';' Pipeline)* ';'? '}' | Field ':=' Expr | Filter
//   Filter       ::= LogicalOr ('AND'? LogicalOr)*        — implicit AND is AND
//   LogicalOr    ::= Unary ('OR' Unary)*                  — so OR binds tighter than AND
//   Unary        ::= ('NOT' | '!')* Primary               — NOT binds tightest
//   Primary      ::= '(' Filter ')' | Field op Value | FunctionCall | /regex/flags | free text | '*'
// The left side of `=` is always a field, the right side never is ([APPA] "Irregularity of
// Comparison"). `x := f(...)` is `f(..., as=x)` ([FIELDS]). Operators are case-insensitive.
// Comments: `// …` to end of line and `/* … */`. A regex literal cannot be an expression
// (`a:=/fisk/i` is a syntax error, [APPA]); it is parsed and reported by the compiler so that
// every error of a query is listed together.
import type { Arg, Call, CompareOp, Expr, FilterExpr, Pattern, Pipeline, Span, Step } from './ast.ts';
import type { Diagnostic } from './source.ts';

export class SyntaxFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

const WORD_STOP = new Set([' ', '\t', '\r', '\n', '|', '(', ')', '{', '}', ';', ',', '"', '[', ']']);
const FIELD_CHAR = /[A-Za-z0-9_.@#]/;
const IDENT_START = /[A-Za-z_@#]/;

export function parseQuery(text: string): Pipeline {
  const p = new Parser(text);
  const pipeline = p.pipeline(['']);
  p.expectEnd();
  return pipeline;
}

class Parser {
  private pos = 0;

  constructor(private readonly s: string) {}

  // ---------------------------------------------------------------------------- scanning

  private fail(message: string, offset = this.pos, code = 'CQL_SYNTAX'): never {
    throw new SyntaxFailure({ code, message, offset });
  }

  /** skip whitespace and comments */
  private ws(): void {
    for (;;) {
      const c = this.s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        this.pos++;
      } else if (c === '/' && this.s[this.pos + 1] === '/') {
        const nl = this.s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.s.length : nl + 1;
      } else if (c === '/' && this.s[this.pos + 1] === '*') {
        const end = this.s.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment /* … */');
        this.pos = end + 2;
      } else return;
    }
  }

  private peek(): string | undefined {
    this.ws();
    return this.s[this.pos];
  }

  private at(text: string): boolean {
    this.ws();
    return this.s.startsWith(text, this.pos);
  }

  private eat(text: string): boolean {
    if (!this.at(text)) return false;
    this.pos += text.length;
    return true;
  }

  private expect(text: string, what = `'${text}'`): void {
    if (!this.eat(text)) this.fail(`expected ${what}${this.found()}`);
  }

  private found(): string {
    const c = this.s[this.pos];
    if (c === undefined) return ' but the query ended';
    return ` but found '${this.s.slice(this.pos, this.pos + 12).split('\n')[0]}'`;
  }

  /** a keyword (case-insensitive) as a whole word */
  private keyword(word: string): boolean {
    this.ws();
    const w = this.s.slice(this.pos, this.pos + word.length);
    if (w.toLowerCase() !== word) return false;
    const next = this.s[this.pos + word.length];
    return next === undefined || !/[A-Za-z0-9_.@#:]/.test(next) ;
  }

  private identAt(): string | null {
    this.ws();
    if (!IDENT_START.test(this.s[this.pos] ?? '')) return null;
    let end = this.pos;
    for (;;) {
      const ch = this.s[end];
      if (ch === undefined) break;
      // ':' belongs to namespaced names such as text:contains, never to `x:=`
      if (ch === ':' && /[A-Za-z]/.test(this.s[end + 1] ?? '')) {
        end++;
        continue;
      }
      if (!FIELD_CHAR.test(ch)) break;
      end++;
    }
    return this.s.slice(this.pos, end);
  }

  expectEnd(): void {
    this.ws();
    if (this.pos < this.s.length) this.fail(`unexpected '${this.s[this.pos]}'`);
  }

  // ---------------------------------------------------------------------------- pipelines

  /** steps separated by '|', up to one of the terminators (or end of text for '') */
  pipeline(terminators: string[]): Pipeline {
    const start = (this.ws(), this.pos);
    const steps: Step[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || terminators.includes(c)) {
        if (steps.length > 0) this.fail('expected a query step after |');
        this.fail(terminators.includes('}') ? 'empty clause: write * for a clause that matches every event' : 'the query is empty');
      }
      steps.push(this.step(terminators));
      if (!this.eat('|')) break;
    }
    return { kind: 'pipeline', steps, start, end: this.pos };
  }

  private step(terminators: string[]): Step {
    this.ws();
    const start = this.pos;
    if (this.keyword('case') && this.lookAfterWord('case') === '{') {
      this.pos += 4;
      this.expect('{');
      const clauses: Pipeline[] = [];
      for (;;) {
        if (this.eat('}')) break;
        clauses.push(this.pipeline([';', '}']));
        if (this.eat(';')) continue;
        this.expect('}', "';' or '}'");
        break;
      }
      if (clauses.length === 0) this.fail('case needs at least one clause', start);
      return { kind: 'case', clauses, start, end: this.pos };
    }
    if (this.keyword('match') && this.lookAfterWord('match') === '{') {
      this.fail('match statements are not supported by this engine (unsupported feature)', start, 'CQL_UNSUPPORTED');
    }
    const id = this.identAt();
    if (id !== null) {
      const after = this.pos + id.length;
      const rest = this.s.slice(after).replace(/^[ \t\r\n]*/, '');
      if (rest.startsWith(':=')) {
        const fieldSpan = { start: this.pos, end: after };
        this.pos = this.s.indexOf(':=', after) + 2;
        const expr = this.expr();
        if (expr.kind === 'call' && !expr.call.negated) {
          // `x := f(...)` is `f(..., as=x)` ([FIELDS])
          const asArg: Arg = { name: 'as', nameSpan: fieldSpan, value: { kind: 'field', name: id, ...fieldSpan }, ...fieldSpan };
          return { kind: 'call', call: { ...expr.call, args: [...expr.call.args, asArg] }, start, end: this.pos };
        }
        return { kind: 'assign', field: id, fieldSpan, expr, start, end: this.pos };
      }
      if (rest.startsWith('=~')) {
        // `field =~ f(...)` is `f(..., field=field)` ([FIELDS])
        const fieldSpan = { start: this.pos, end: after };
        this.pos = this.s.indexOf('=~', after) + 2;
        const expr = this.expr();
        if (expr.kind !== 'call') this.fail('expected a function call after =~', expr.start);
        const fieldArg: Arg = { name: 'field', nameSpan: fieldSpan, value: { kind: 'field', name: id, ...fieldSpan }, ...fieldSpan };
        return { kind: 'call', call: { ...expr.call, args: [...expr.call.args, fieldArg] }, start, end: this.pos };
      }
    }
    const expr = this.filterAnd(terminators);
    if (expr.kind === 'call') return { kind: 'call', call: expr.call, start, end: this.pos };
    return { kind: 'filter', expr, start, end: this.pos };
  }

  private lookAfterWord(word: string): string | undefined {
    let i = this.pos + word.length;
    while (/[ \t\r\n]/.test(this.s[i] ?? '')) i++;
    return this.s[i];
  }

  // ---------------------------------------------------------------------------- filters

  private filterEnds(terminators: string[]): boolean {
    const c = this.peek();
    return c === undefined || c === '|' || c === ')' || terminators.includes(c);
  }

  /** implicit or explicit AND of OR-groups (AND binds loosest, [GRAMMAR]) */
  private filterAnd(terminators: string[]): FilterExpr {
    const start = (this.ws(), this.pos);
    const items: FilterExpr[] = [this.filterOr(terminators)];
    for (;;) {
      if (this.filterEnds(terminators)) break;
      if (this.keyword('and')) this.pos += 3;
      items.push(this.filterOr(terminators));
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items, start, end: this.pos };
  }

  private filterOr(terminators: string[]): FilterExpr {
    const start = (this.ws(), this.pos);
    const items: FilterExpr[] = [this.filterUnary(terminators)];
    while (this.keyword('or')) {
      this.pos += 2;
      items.push(this.filterUnary(terminators));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items, start, end: this.pos };
  }

  private filterUnary(terminators: string[]): FilterExpr {
    this.ws();
    const start = this.pos;
    if (this.keyword('not')) {
      this.pos += 3;
      return this.negate(this.filterUnary(terminators), start);
    }
    if (this.s[this.pos] === '!' && this.s[this.pos + 1] !== '=') {
      this.pos++;
      return this.negate(this.filterUnary(terminators), start);
    }
    return this.filterPrimary(terminators);
  }

  private negate(item: FilterExpr, start: number): FilterExpr {
    if (item.kind === 'call' && !item.call.negated) {
      return { kind: 'call', call: { ...item.call, negated: true, start }, start, end: item.end };
    }
    return { kind: 'not', item, start, end: item.end };
  }

  private filterPrimary(terminators: string[]): FilterExpr {
    this.ws();
    const start = this.pos;
    const c = this.s[this.pos];
    if (c === undefined || this.filterEnds(terminators)) this.fail(`expected a filter${this.found()}`);
    if (c === '(') {
      this.pos++;
      const inner = this.filterAnd([]);
      this.expect(')');
      return { ...inner, start, end: this.pos };
    }
    if (c === '*' && /^\*([ \t\r\n|;})]|$)/.test(this.s.slice(this.pos, this.pos + 2))) {
      this.pos++;
      return { kind: 'all', start, end: this.pos };
    }
    if (c === '/') {
      const value = this.regexLiteral();
      return { kind: 'freetext', value, start, end: this.pos };
    }
    if (c === '"') {
      const value = this.quoted();
      if (this.compareOpAhead()) this.fail('a quoted string cannot be a field name on the left of a comparison', start);
      return { kind: 'freetext', value, start, end: this.pos };
    }
    if (c === '$') this.fail('saved searches ($name()) are not supported by this engine (unsupported feature)', start, 'CQL_UNSUPPORTED');
    const id = this.identAt();
    if (id !== null) {
      const after = this.pos + id.length;
      if (this.s[after] === '(') {
        this.pos = after;
        const call = this.callArgs(id, { start, end: after });
        return { kind: 'call', call, start, end: this.pos };
      }
      const save = this.pos;
      this.pos = after;
      const op = this.compareOp();
      if (op) {
        const value = this.filterValue();
        return { kind: 'compare', field: id, fieldSpan: { start, end: after }, op, value, start, end: this.pos };
      }
      this.pos = save;
    }
    // free text: a bare word, searched as *word* in every non-tag field ([FILTERS])
    const word = this.bareWord();
    if (word.text === '') this.fail(`unexpected '${c}'`);
    if (this.compareOpAhead()) this.fail(`'${word.text}' is not a valid field name`, start);
    return { kind: 'freetext', value: word, start, end: this.pos };
  }

  private compareOpAhead(): boolean {
    const save = this.pos;
    const op = this.compareOp();
    this.pos = save;
    return op !== null;
  }

  private compareOp(): CompareOp | null {
    this.ws();
    const two = this.s.slice(this.pos, this.pos + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      this.pos += 2;
      return two as CompareOp;
    }
    if (two === '==') this.fail("'==' is not a filter operator: write field=value, or test(a == b) to compare fields");
    const one = this.s[this.pos];
    if (one === '=' || one === '<' || one === '>') {
      this.pos++;
      return one as CompareOp;
    }
    if (this.keyword('like')) {
      this.pos += 4;
      return 'like';
    }
    return null;
  }

  /** right side of a field filter: a regex, a quoted string or an unquoted pattern (never a field) */
  private filterValue(): Pattern {
    const c = this.peekNoComment();
    if (c === '/') return this.regexLiteral();
    if (c === '"') return this.quoted();
    const w = this.bareWord();
    if (w.text === '') this.fail(`expected a value after the operator${this.found()}`);
    return w;
  }

  /** like peek() but a '/' directly after an operator starts a regex, not a comment */
  private peekNoComment(): string | undefined {
    while (/[ \t\r\n]/.test(this.s[this.pos] ?? '')) this.pos++;
    return this.s[this.pos];
  }

  private bareWord(): Pattern & { kind: 'string' } {
    this.ws();
    const start = this.pos;
    let end = this.pos;
    while (end < this.s.length && !WORD_STOP.has(this.s[end]!)) {
      if (this.s[end] === '/' && (this.s[end + 1] === '/' || this.s[end + 1] === '*')) {
        if (end > start && this.s[end + 1] === '/' && this.s[end - 1] === ':') {
          this.fail("'//' directly after ':' starts a comment inside a value; quote the value (e.g. \"https://…\")", end);
        }
        break;
      }
      end++;
    }
    this.pos = end;
    return { kind: 'string', text: this.s.slice(start, end), quoted: false, start, end };
  }

  private quoted(): Pattern & { kind: 'string' } {
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined) this.fail('unterminated string', start);
      this.pos++;
      if (c === '"') break;
      if (c === '\\') {
        const e = this.s[this.pos++];
        if (e === undefined) this.fail('unterminated string', start);
        // \" \\ \n \t are escapes; any other \x is kept as written (cql.md §4: UNSURE, chosen so
        // that official queries such as regex("(?<FileName>[^\\\]+)$") mean what they say)
        if (e === '"' || e === '\\') out += e;
        else if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else out += '\\' + e;
      } else out += c;
    }
    return { kind: 'string', text: out, quoted: true, start, end: this.pos };
  }

  private regexLiteral(): Pattern & { kind: 'regex' } {
    const start = this.pos;
    this.pos++;
    let pattern = '';
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined || c === '\n') this.fail('unterminated regular expression /…/', start);
      this.pos++;
      if (c === '/') break;
      if (c === '\\' && this.s[this.pos] === '/') {
        // `\/` puts a slash into the pattern ([SUBSET])
        pattern += '/';
        this.pos++;
      } else if (c === '\\') {
        pattern += c + (this.s[this.pos] ?? '');
        this.pos++;
      } else pattern += c;
    }
    if (pattern === '') this.fail('empty regular expression', start);
    const flagStart = this.pos;
    while (/[A-Za-z]/.test(this.s[this.pos] ?? '')) this.pos++;
    return { kind: 'regex', pattern, flags: this.s.slice(flagStart, this.pos), patternStart: start + 1, start, end: this.pos };
  }

  // ---------------------------------------------------------------------------- function calls

  private callArgs(name: string, nameSpan: Span): Call {
    const start = nameSpan.start;
    this.expect('(');
    const args: Arg[] = [];
    if (!this.eat(')')) {
      for (;;) {
        args.push(this.arg());
        if (this.eat(')')) break;
        this.expect(',', "',' or ')'");
      }
    }
    return { name, nameSpan, args, negated: false, start, end: this.pos };
  }

  private arg(): Arg {
    this.ws();
    const start = this.pos;
    const id = this.identAt();
    if (id !== null) {
      const after = this.pos + id.length;
      let i = after;
      while (/[ \t\r\n]/.test(this.s[i] ?? '')) i++;
      if (this.s[i] === '=' && this.s[i + 1] !== '=' && this.s[i + 1] !== '~') {
        this.pos = i + 1;
        const value = this.argValue();
        return { name: id, nameSpan: { start, end: after }, value, start, end: this.pos };
      }
    }
    const value = this.argValue();
    return { value, start, end: this.pos };
  }

  private argValue(): Expr {
    const c = this.peekNoComment();
    const start = this.pos;
    if (c === '{') {
      this.pos++;
      const pipeline = this.pipeline(['}']);
      this.expect('}');
      return { kind: 'subquery', pipeline, start, end: this.pos };
    }
    if (c === '/') {
      const r = this.regexLiteral();
      return { kind: 'regex', pattern: r.pattern, flags: r.flags, start, end: this.pos };
    }
    return this.expr();
  }

  // ---------------------------------------------------------------------------- expressions

  expr(): Expr {
    const left = this.additive();
    this.ws();
    for (const op of ['==', '!=', '<=', '>=', '<', '>'] as const) {
      if (this.s.startsWith(op, this.pos)) {
        this.pos += op.length;
        const right = this.additive();
        return { kind: 'binary', op, left, right, start: left.start, end: right.end };
      }
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      this.ws();
      const c = this.s[this.pos];
      if (c !== '+' && c !== '-') return left;
      this.pos++;
      const right = this.multiplicative();
      left = { kind: 'binary', op: c, left, right, start: left.start, end: right.end };
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      this.ws();
      const c = this.s[this.pos];
      if (c !== '*' && c !== '/' && c !== '%') return left;
      this.pos++;
      const right = this.unary();
      left = { kind: 'binary', op: c, left, right, start: left.start, end: right.end };
    }
  }

  private unary(): Expr {
    const c = this.peekNoComment();
    const start = this.pos;
    if (c === '-' && !/[0-9]/.test(this.s[this.pos + 1] ?? '')) {
      this.pos++;
      const operand = this.unary();
      return { kind: 'unary', op: '-', operand, start, end: operand.end };
    }
    if (c === '!') {
      this.pos++;
      const operand = this.unary();
      if (operand.kind === 'call') return { ...operand, call: { ...operand.call, negated: !operand.call.negated, start } , start };
      return { kind: 'unary', op: '!', operand, start, end: operand.end };
    }
    return this.primary();
  }

  private primary(): Expr {
    const c = this.peekNoComment();
    const start = this.pos;
    if (c === undefined) this.fail('expected an expression but the query ended');
    if (c === '(') {
      this.pos++;
      const e = this.expr();
      this.expect(')');
      return { ...e, start, end: this.pos };
    }
    if (c === '"') {
      const q = this.quoted();
      return { kind: 'str', value: q.text, start, end: this.pos };
    }
    if (c === '[') {
      this.pos++;
      const items: Expr[] = [];
      if (!this.eat(']')) {
        for (;;) {
          items.push(this.argValue());
          if (this.eat(']')) break;
          this.expect(',', "',' or ']'");
        }
      }
      return { kind: 'array', items, start, end: this.pos };
    }
    if (c === '/') {
      const r = this.regexLiteral();
      return { kind: 'regex', pattern: r.pattern, flags: r.flags, start, end: this.pos };
    }
    const num = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(this.s.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      // a number directly followed by letters is a unit value such as 1min or 5h: keep it as text
      const unit = /^[A-Za-z]+/.exec(this.s.slice(this.pos));
      if (unit) {
        this.pos += unit[0].length;
        return { kind: 'str', value: num[0] + unit[0], start, end: this.pos };
      }
      return { kind: 'num', value: num[0], start, end: this.pos };
    }
    if (c === '*') {
      this.pos++;
      return { kind: 'str', value: '*', start, end: this.pos };
    }
    const id = this.identAt();
    if (id === null) this.fail(`expected an expression${this.found()}`);
    const after = this.pos + id.length;
    if (this.s[after] === '(') {
      this.pos = after;
      const call = this.callArgs(id, { start, end: after });
      return { kind: 'call', call, start, end: this.pos };
    }
    this.pos = after;
    return { kind: 'field', name: id, start, end: after };
  }
}
