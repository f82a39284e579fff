// Necessary conditions of a rule, for the rule-set prefilter (rule-set.ts): from a loaded detection,
// a conjunction of clauses, each a disjunction of atoms "this field's lower-cased value contains
// this text". Whenever the detection is true on an event, every clause holds; a rule whose clauses
// do not all hold is skipped without evaluating it. The prefilter only ever skips rules that
// cannot be true, so results are those of evaluating every rule (the rule-set corpus test checks
// it against the single-rule path).
//
// Derivation (Kleene logic: only a true item can make a rule true):
//   item      plain case-insensitive values linked by OR → one clause (a literal per value);
//             `all` → one clause per value; anything else (re, cidr, numeric, cased, neq, null,
//             exists, fieldref, values that require no text such as `*`) → no clause
//   and       the clauses of every part
//   or        a clause from each part, combined (cross product while small, else each part's most
//             selective clause merged into one); a part without clauses makes the whole free
//   not x     no clause (x false or unknown tells nothing about a literal)
import type { Cond } from './condition.ts';
import type { DetNode, Detection, Item } from './rule.ts';

export interface Atom {
  /** taxonomy field name; null = any value of the event (keywords) */
  field: string | null;
  /** lower-cased text the value contains */
  text: string;
}
/** atoms linked by OR */
export type Clause = readonly Atom[];
/** clauses linked by AND; [] = nothing required */
export type Cnf = readonly Clause[];

/** Above this many clauses an `or` keeps one merged clause instead of the cross product. */
const CROSS_LIMIT = 16;

function itemCnf(item: Item): Cnf {
  const c = item.chain;
  if (c.neq || c.isNull || c.exists !== undefined || c.needsLookup) return [];
  // one group of values without `all`; with `all` every group must be true
  const out: Clause[] = [];
  for (const lits of c.literals) if (lits) out.push(lits.map((text) => ({ field: item.field, text })));
  return out;
}

/** Lower is more selective: short literals are found in more values. */
function cost(cl: Clause): number {
  let s = 0;
  for (const a of cl) s += 1 / (a.text.length * a.text.length);
  return s;
}

export function mostSelective(cnf: Cnf): Clause {
  let best = cnf[0]!;
  for (const cl of cnf) if (cost(cl) < cost(best)) best = cl;
  return best;
}

function union(a: Clause, b: Clause): Clause {
  const seen = new Set(a.map((x) => `${x.field ?? ''}\0${x.text}`));
  return [...a, ...b.filter((x) => !seen.has(`${x.field ?? ''}\0${x.text}`))];
}

function or2(a: Cnf, b: Cnf): Cnf {
  if (a.length === 0 || b.length === 0) return [];
  if (a.length * b.length <= CROSS_LIMIT) return a.flatMap((x) => b.map((y) => union(x, y)));
  return [union(mostSelective(a), mostSelective(b))];
}

function anyCnf(parts: Cnf[]): Cnf {
  if (parts.length === 0) return [];
  return parts.reduce(or2);
}

function allCnf(parts: Cnf[]): Cnf {
  return parts.flat();
}

function nodeCnf(n: DetNode): Cnf {
  if (n.k === 'item') return itemCnf(n.item);
  const parts = n.items.map(nodeCnf);
  return n.k === 'and' ? allCnf(parts) : anyCnf(parts);
}

function condCnf(c: Cond, det: Detection): Cnf {
  switch (c.k) {
    case 'id':
      return nodeCnf(det.selections.get(c.name)!.node);
    case 'not':
      return [];
    case 'of': {
      const parts = c.names.map((name) => nodeCnf(det.selections.get(name)!.node));
      return c.quant === 'all' ? allCnf(parts) : anyCnf(parts);
    }
    case 'and':
    case 'or': {
      const parts = c.items.map((i) => condCnf(i, det));
      return c.k === 'and' ? allCnf(parts) : anyCnf(parts);
    }
  }
}

/** Clauses that hold on every event the detection is true on (its condition list is OR-ed). */
export function detectionCnf(det: Detection): Cnf {
  return anyCnf(det.conditions.map((c) => condCnf(c.tree, det)));
}
