// The modifier chain of one detection item (`Field|mod1|mod2: values`): modifiers apply left to
// right (spec appendix: "modifiers can be chained ... applied in the given order"). Transformation
// modifiers rewrite values (contains, windash, base64 ...); type modifiers decide how values
// compare (re, cidr, exists, gt, fieldref ...). Each family lives in its own module.
import { parseSigmaString, hasPlaceholders, type SigmaString, type Part } from '../sigma-string.ts';
import { base64, base64offset, utf16 } from './encoding.ts';
import { cidrTest } from './cidr.ts';
import { fieldrefTest } from './fieldref.ts';
import { COMPARES, TIME_PARTS, numericTest, type Compare, type TimePart } from './numeric.ts';
import { REGEX_FLAGS, compileRegex } from './regex.ts';
import { regexRequiredLiterals } from './regex-literal.ts';
import { anyStringTest, describe, requiredLiteral, stringTest, windash, wrapValue } from './string.ts';
import type { Val, ValGroups, ValueTest } from './values.ts';

export const MODIFIERS = [
  'contains', 'startswith', 'endswith', 'all', 'exists', 'cased', 'neq',
  'windash', 're', 'i', 'ignorecase', 'm', 'multiline', 's', 'dotall',
  'base64', 'base64offset', 'utf16le', 'wide', 'utf16be', 'utf16',
  'lt', 'lte', 'gt', 'gte', 'minute', 'hour', 'day', 'week', 'month', 'year',
  'cidr', 'expand', 'fieldref',
] as const;
const KNOWN = new Set<string>(MODIFIERS);

export interface ChainInput {
  modifiers: string[];
  /** the written values: one for a scalar, several for a YAML list */
  values: Val[];
  isList: boolean;
  /** placeholder name → values, for `expand` */
  placeholders: ReadonlyMap<string, readonly string[]>;
}

export interface ChainResult {
  /** how the item compares, for explain: eq, contains, startswith, endswith, wildcard, re, cidr, ... */
  operator: string;
  linkAll: boolean;
  neq: boolean;
  exists?: boolean;
  /** `field: null` */
  isNull: boolean;
  /** values as the rule means them after transformation, for explain/indicators */
  rendered: string[];
  /** a test reads other fields of the event (fieldref) */
  needsLookup: boolean;
  /** per written value: its alternatives' tests (OR), linked by OR or AND (all) */
  tests: ValueTest[][];
  /**
   * Parallel to tests: texts one of which a lower-cased field value contains whenever that group
   * is true (rule-set prefilter, rule-set.ts); null when the group has no such list.
   */
  literals: (string[] | null)[];
}

export type ChainProblem = { kind: 'error' | 'unsupported'; reason: string };

function render(v: Val): string {
  switch (v.t) {
    case 'str':
      return v.s.parts.map((p: Part) => (typeof p === 'string' ? p : 'wild' in p ? p.wild : `%${p.placeholder}%`)).join('');
    case 'num':
      return String(v.n);
    case 'bool':
      return String(v.b);
    case 'null':
      return 'null';
    case 're':
      return `/${v.source}/${v.flags}`;
    case 'cidr':
      return v.text;
    case 'ref':
      return `field ${v.field}`;
  }
}

export function runChain(input: ChainInput): ChainResult | ChainProblem {
  const mods = input.modifiers;
  let groups: ValGroups = input.values.map((v) => [v]);
  let linkAll = false;
  let cased = false;
  let neq = false;
  let compare: Compare | undefined;
  let timePart: TimePart | undefined;
  let operator = 'eq';
  const err = (reason: string): ChainProblem => ({ kind: 'error', reason });

  const mapAll = (f: (v: Val) => Val | Val[] | string): string | undefined => {
    const next: ValGroups = [];
    for (const g of groups) {
      const alts: Val[] = [];
      for (const v of g) {
        const r = f(v);
        if (typeof r === 'string') return r;
        if (Array.isArray(r)) alts.push(...r);
        else alts.push(r);
      }
      next.push(alts);
    }
    groups = next;
    return undefined;
  };

  // pySigma: exists only on an unmodified boolean value
  if (mods.includes('exists') && mods.length !== 1) return err("modifier 'exists' cannot be combined with other modifiers");
  for (let i = 0; i < mods.length; i++) {
    const m = mods[i]!;
    if (!KNOWN.has(m)) return err(`unknown modifier '${m}' (Sigma v2.1 modifiers: ${MODIFIERS.join(', ')})`);
    const seen = mods.indexOf(m) !== i;
    if (seen) return err(`modifier '${m}' is given twice`);
    let problem: string | undefined;
    switch (m) {
      case 'all':
        // pySigma: "all modifier can only be applied to a list of values"
        if (!input.isList) return err("modifier 'all' needs a list of values; a single value is already AND-ed");
        linkAll = true;
        break;
      case 'contains':
      case 'startswith':
      case 'endswith':
        problem = mapAll((v) => wrapValue(v, m));
        if (operator === 'eq') operator = m;
        break;
      case 'windash':
        problem = mapAll(windash);
        break;
      case 'base64':
        problem = mapAll(base64);
        operator = 'base64';
        break;
      case 'base64offset':
        problem = mapAll(base64offset);
        operator = 'base64offset';
        break;
      case 'utf16le':
      case 'wide':
      case 'utf16be':
      case 'utf16':
        problem = mapAll((v) => utf16(v, m));
        break;
      case 're':
        problem = mapAll((v) =>
          v.t === 'str' && v.raw !== undefined ? { t: 're', source: v.raw, flags: '' } : `re applies to a written string, not to ${describe(v)}`,
        );
        operator = 're';
        break;
      case 'i':
      case 'ignorecase':
      case 'm':
      case 'multiline':
      case 's':
      case 'dotall':
        if (!mods.slice(0, i).includes('re')) return err(`regex flag '${m}' needs the 're' modifier before it`);
        problem = mapAll((v) => (v.t === 're' ? { ...v, flags: v.flags + REGEX_FLAGS[m]! } : `'${m}' applies to a regular expression`));
        break;
      case 'cidr':
        problem = mapAll((v) => (v.t === 'str' && v.raw !== undefined ? { t: 'cidr', text: v.raw } : `cidr applies to a written string, not to ${describe(v)}`));
        operator = 'cidr';
        break;
      case 'exists': {
        const v = input.values[0];
        if (input.isList || !v || v.t !== 'bool') return err("modifier 'exists' needs a single boolean value (true or false)");
        return { operator: 'exists', linkAll: false, neq: false, exists: v.b, isNull: false, needsLookup: false, rendered: [String(v.b)], tests: [], literals: [] };
      }
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        if (compare) return err(`only one numeric comparison per item ('${compare}' and '${m}')`);
        compare = m;
        operator = timePart ? `${timePart}|${m}` : m;
        problem = mapAll((v) => (v.t === 'num' ? v : `${m} compares numbers, not ${describe(v)}`));
        break;
      case 'minute':
      case 'hour':
      case 'day':
      case 'week':
      case 'month':
      case 'year':
        if (timePart || compare) return err(`time modifier '${m}' must come first and only once`);
        timePart = m;
        operator = m;
        problem = mapAll((v) => (v.t === 'num' ? v : `${m} compares with a number, not ${describe(v)}`));
        break;
      case 'fieldref':
        problem = mapAll((v) =>
          v.t === 'str' && v.raw !== undefined ? { t: 'ref', field: v.raw, mode: 'eq' } : `fieldref needs a field name, not ${describe(v)}`,
        );
        operator = 'fieldref';
        break;
      case 'expand': {
        let missing: string | undefined;
        problem = mapAll((v) => {
          if (v.t !== 'str' || v.raw === undefined) return `expand applies to a written string, not to ${describe(v)}`;
          const s = parseSigmaString(v.raw, true);
          if (!hasPlaceholders(s)) return v;
          const out = expandPlaceholders(s, input.placeholders);
          if (typeof out === 'string') {
            missing = out;
            return out;
          }
          return out.map((x) => ({ t: 'str' as const, s: x }));
        });
        if (missing) return { kind: 'unsupported', reason: `placeholder %${missing}% has no values (define it under placeholders: in detections/mappings/sigma/common.yml)` };
        break;
      }
      case 'cased':
        cased = true;
        problem = mapAll((v) => (v.t === 'str' || v.t === 'ref' ? v : `cased applies to strings, not to ${describe(v)}`));
        break;
      case 'neq':
        neq = true;
        break;
    }
    if (problem) return err(`modifier '${m}': ${problem}`);
  }

  const isNull = groups.length === 1 && groups[0]!.length === 1 && groups[0]![0]!.t === 'null';
  if (!isNull && groups.some((g) => g.some((v) => v.t === 'null'))) {
    return err('null cannot be combined with modifiers or appear inside a list of values (spec: use a separate identifier and negate it)');
  }
  if (isNull && mods.length > 0) return err('null cannot be combined with modifiers');

  // Plain values linked by OR (all of them, or the alternatives of one value under `all`) are
  // merged into one matcher (Set / substring buckets); other kinds keep one test each.
  const orGroups: Val[][] = linkAll ? groups : [groups.flat()];
  const tests: ValueTest[][] = [];
  const literals: (string[] | null)[] = [];
  for (const g of orGroups) {
    const alts: ValueTest[] = [];
    const plain: (Val & { t: 'str' | 'num' | 'bool' })[] = [];
    for (const v of g) {
      if (v.t === 'null') continue;
      if (!compare && !timePart && (v.t === 'str' || v.t === 'num' || v.t === 'bool')) {
        plain.push(v);
        continue;
      }
      const t = compileValue(v, { cased, compare, timePart });
      if ('error' in t) return { kind: t.unsupported ? 'unsupported' : 'error', reason: t.error };
      alts.push(t.test);
    }
    if (plain.length === 1) alts.unshift(stringTest(plain[0]!, cased).test);
    else if (plain.length > 1) alts.unshift(anyStringTest(plain, cased));
    tests.push(alts);
    literals.push(groupLiterals(g, cased, compare !== undefined || timePart !== undefined));
  }
  if (linkAll) operator += '|all';
  if (neq) operator = `not ${operator}`;
  const needsLookup = groups.some((g) => g.some((v) => v.t === 'ref'));
  return { operator, linkAll, neq, isNull, needsLookup, rendered: groups.flatMap((g) => g.map(render)), tests, literals };
}

/** The prefilter texts of one OR group: one of them is in every value the group matches. */
function groupLiterals(g: readonly Val[], cased: boolean, numeric: boolean): string[] | null {
  if (numeric) return null;
  const out: string[] = [];
  for (const v of g) {
    if (v.t === 'str' || v.t === 'num' || v.t === 'bool') {
      const lit = requiredLiteral(v, cased);
      if (lit === null) return null;
      out.push(lit);
    } else if (v.t === 're') {
      const lits = regexRequiredLiterals(v.source, v.flags);
      if (!lits) return null;
      out.push(...lits);
    } else return null;
  }
  return out;
}

function compileValue(
  v: Val,
  o: { cased: boolean; compare: Compare | undefined; timePart: TimePart | undefined },
): { test: ValueTest } | { error: string; unsupported?: boolean } {
  if (o.compare || o.timePart) {
    if (v.t !== 'num') return { error: `numeric comparison with ${describe(v)}` };
    return { test: numericTest(o.compare ?? 'eq', v.n, o.timePart) };
  }
  switch (v.t) {
    case 'str':
    case 'num':
    case 'bool':
      return { test: stringTest(v, o.cased).test };
    case 're': {
      const r = compileRegex(v.source, v.flags);
      return 'error' in r ? { error: r.error, unsupported: true } : { test: r.test };
    }
    case 'cidr':
      return cidrTest(v.text);
    case 'ref':
      return { test: fieldrefTest(v, o.cased) };
    case 'null':
      return { error: 'null' };
  }
}

function expandPlaceholders(s: SigmaString, table: ReadonlyMap<string, readonly string[]>): SigmaString[] | string {
  let out: SigmaString[] = [{ parts: [], encoding: s.encoding }];
  for (const p of s.parts) {
    if (typeof p === 'object' && 'placeholder' in p) {
      const vals = table.get(p.placeholder);
      if (!vals || vals.length === 0) return p.placeholder;
      out = out.flatMap((x) => vals.map((val) => ({ parts: [...x.parts, ...parseSigmaString(val).parts], encoding: x.encoding })));
    } else out = out.map((x) => ({ parts: [...x.parts, p], encoding: x.encoding }));
  }
  return out;
}
