// Static typing of eval expressions: Splunk checks expression types before it runs the search
// ([WHERE]: "The syntax of the eval expression is checked before running the search, and an
// exception is thrown for an invalid expression") and refuses Boolean results in eval ([EVAL]:
// "The result of an eval expression cannot be a Boolean"). A field's type is unknown ('any') until
// run time, so only literals, operators and function results can fail the check.
import type { Expr } from './ast.ts';
import { COMPARISONS, LOGICAL } from './ast.ts';

export type StaticType = 'bool' | 'num' | 'str' | 'any';

export interface TypeEnv {
  /** return type of a function given its argument types */
  returnType(name: string, args: StaticType[]): StaticType;
}

export function staticType(e: Expr, env: TypeEnv): StaticType {
  switch (e.k) {
    case 'num':
      return 'num';
    case 'str':
      return 'str';
    case 'field':
      return 'any';
    case 'paren':
      return staticType(e.inner, env);
    case 'not':
    case 'in':
      return 'bool';
    case 'neg':
      return 'num';
    case 'call':
      return env.returnType(e.name, e.args.map((a) => staticType(a, env)));
    case 'bin':
      if (LOGICAL.has(e.op) || COMPARISONS.has(e.op) || e.op === 'LIKE') return 'bool';
      if (e.op === '.') return 'str';
      if (e.op === '+') {
        const l = staticType(e.left, env);
        const r = staticType(e.right, env);
        if (l === 'num' && r === 'num') return 'num';
        if (l === 'str' || r === 'str') return 'str';
        return 'any';
      }
      return 'num';
  }
}
