// eval: one or more comma-separated assignments, evaluated left to right (a later one sees the
// earlier ones). A NULL result removes the field ("eval erases the value in the result field",
// spl.md §1); a Boolean result is rejected before the search runs ([EVAL]: "The result of an eval
// expression cannot be a Boolean"). Booleans never reach a field.
import { compileExpr, typeOf } from '../expr/compile.ts';
import { ExprParser } from '../expr/parse.ts';
import type { Expr } from '../expr/ast.ts';
import { SPL_ERRORS } from '../source.ts';
import type { Value } from '../values.ts';
import type { CommandCompiler } from './types.ts';

export const evalCommand: CommandCompiler = (cmd, ctx) => {
  const p = ExprParser.over(ctx.src, cmd.bodyOffset, cmd.end);
  const assignments: { target: string; offset: number; expr: Expr }[] = [];
  if (p.atEnd()) throw ctx.src.error(SPL_ERRORS.syntax, "Error in 'eval' command: The expression is malformed. Expected a field name and an expression.", cmd.offset);
  for (;;) {
    const first = p.peek();
    // the target: tokens up to the top-level `=` with no white space between them
    let target = '';
    if (first.t === 'qfield' || first.t === 'str') {
      target = first.v;
      p.next();
    } else {
      while (!p.atEnd() && !(p.peek().t === 'op' && p.peek().v === '=')) {
        const t = p.next();
        if (target !== '' && t.spaceBefore) p.fail(`Error in 'eval' command: The expression is malformed. Expected =.`, t);
        target += ctx.src.text.slice(t.offset, t.end);
      }
    }
    if (target === '' || !/^[^\s=,()]+$/.test(target)) p.fail("Error in 'eval' command: The expression is malformed. Expected a field name before =.", first);
    const eq = p.peek();
    if (!(eq.t === 'op' && eq.v === '=')) p.fail("Error in 'eval' command: The expression is malformed. Expected =.", eq);
    p.next();
    if (p.atEnd() || p.peek().t === ',') p.fail("Error in 'eval' command: The expression is malformed. Expected an expression after =.", p.peek());
    const expr = p.parseExpression();
    if (typeOf(expr) === 'bool') {
      throw ctx.src.error(SPL_ERRORS.typecheck, "Error in 'eval' command: Fields cannot be assigned a boolean result. Instead, try if([bool expr], [expr], [expr]).", expr.offset);
    }
    assignments.push({ target, offset: first.offset, expr });
    if (p.peek().t === ',') {
      p.next();
      continue;
    }
    if (!p.atEnd()) p.unexpected();
    break;
  }
  const compiled = assignments.map((a) => ({ target: a.target, f: compileExpr(a.expr, ctx.expr) }));
  return {
    name: 'eval',
    text: cmd,
    ast: { k: 'eval', assignments },
    stream: (row) => {
      for (const a of compiled) {
        const v = a.f(row);
        // a Boolean can only come from a field-typed branch at run time; it is not stored
        row.set(a.target, typeof v === 'boolean' ? null : (v as Value));
      }
      return row;
    },
  };
};
