// Filtering commands: `search` (also the implicit first command), `where` ("returns only the
// results for which the eval expression returns true", [WHERE]) and `regex`.
import { compileExpr, compileRegexLiteral, typeOf } from '../expr/compile.ts';
import { parseExpression } from '../expr/parse.ts';
import { lexExpression } from '../expr/lexer.ts';
import { isTrue } from '../expr/semantics.ts';
import { parseSearch } from '../search/parse.ts';
import { compileSearch } from '../search/match.ts';
import { SPL_ERRORS } from '../source.ts';
import { valuesOf, scalarText } from '../values.ts';
import type { CommandCompiler } from './types.ts';

export const searchCommand: CommandCompiler = (cmd, ctx) => {
  const node = parseSearch(ctx.src, cmd.bodyOffset, cmd.end);
  const test = node ? compileSearch(node, ctx.search) : () => true;
  return { name: 'search', text: cmd, ast: { k: 'search', node }, stream: (row) => (test(row) ? row : null) };
};

export const whereCommand: CommandCompiler = (cmd, ctx) => {
  const expr = parseExpression(ctx.src, cmd.bodyOffset, cmd.end);
  const t = typeOf(expr);
  if (t === 'num' || t === 'str') {
    throw ctx.src.error(SPL_ERRORS.typecheck, "Error in 'where' command: Typechecking failed. The expression must be Boolean.", expr.offset);
  }
  const f = compileExpr(expr, ctx.expr);
  return { name: 'where', text: cmd, ast: { k: 'where', expr }, stream: (row) => (isTrue(f(row)) ? row : null) };
};

/** regex [field=]<field>(=|!=)"<regex>" — keeps results whose field matches (or does not). */
export const regexCommand: CommandCompiler = (cmd, ctx) => {
  const tokens = lexExpression(ctx.src, cmd.bodyOffset, cmd.end);
  let field = '_raw';
  let negated = false;
  let k = 0;
  if (tokens[k]?.t === 'ident' && tokens[k + 1]?.t === 'op' && (tokens[k + 1]!.v === '=' || tokens[k + 1]!.v === '!=')) {
    field = tokens[k]!.v;
    negated = tokens[k + 1]!.v === '!=';
    k += 2;
  }
  const lit = tokens[k];
  if (lit?.t !== 'str' || tokens[k + 1]?.t !== 'eof') {
    throw ctx.src.error(SPL_ERRORS.syntax, "Error in 'regex' command: Usage: regex <field>=\"<regex>\" or regex <field>!=\"<regex>\".", lit?.offset ?? cmd.bodyOffset);
  }
  const regex = { k: 'str' as const, value: lit.v, charOffsets: lit.charOffsets ?? [], offset: lit.offset, end: lit.end };
  const re = compileRegexLiteral(ctx.expr, regex);
  return {
    name: 'regex',
    text: cmd,
    ast: { k: 'regex', field, negated, regex },
    stream: (row) => {
      const v = row.get(field);
      if (v === null) return null;
      return valuesOf(v).some((x) => re.test(scalarText(x))) !== negated ? row : null;
    },
  };
};
