// Lint findings: defects of a query under LogScale's real semantics (cql.md §0). They work on the
// syntax tree, so a query LogScale rejects is still analysed.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { LintFinding } from '../types.ts';
import type { Arg, Call, Expr, FilterExpr, Pipeline, Step } from './ast.ts';
import type { Analysis } from './index.ts';
import type { RxNode } from './regex/ast.ts';
import { parseRegex } from './regex/parse.ts';

interface Schema {
  common: string[];
  events: Record<string, { fields: string[]; enriched: string[] }>;
}

const SCHEMA = parseYaml(readFileSync(new URL('./data/falcon-schema.yaml', import.meta.url), 'utf8')) as Schema;
const PROCESS_NAMES = (parseYaml(readFileSync(new URL('./data/process-names.yaml', import.meta.url), 'utf8')) as { names: string[] }).names;

const TYPE_FIELDS = new Set(['#event_simpleName', 'event_simpleName']);

type Scope = Set<string> | null;

interface RegexUse {
  field: string | undefined;
  pattern: string;
  flags: string;
  /** offset of the pattern's first character */
  offset: number;
}

export function lintQuery(analysis: Analysis): LintFinding[] {
  const out: LintFinding[] = [];
  const pos = (offset: number) => analysis.source.position(offset);
  const add = (code: string, severity: LintFinding['severity'], message: string, offset: number) =>
    out.push({ code, severity, message, position: pos(offset) });
  const text = analysis.source.text;
  const assigned = new Set<string>();
  const regexes: RegexUse[] = [];
  const seenIf = new Set<Call>();
  let syntheticReported = false;

  // ---- walk the pipeline with the event types in scope
  const walkPipeline = (p: Pipeline, scope: Scope): Scope => {
    for (const step of p.steps) scope = walkStep(step, scope);
    return scope;
  };
  const walkStep = (step: Step, scope: Scope): Scope => {
    switch (step.kind) {
      case 'filter': {
        const narrowed = intersect(scope, typesOf(step.expr));
        walkFilter(step.expr, narrowed, false);
        return narrowed;
      }
      case 'case': {
        let union: Set<string> | null = new Set();
        step.clauses.forEach((clause, i) => {
          const s = walkPipeline(clause, scope);
          union = union === null || s === null ? null : new Set([...union, ...s]);
          lintStarClause(clause, i === step.clauses.length - 1);
        });
        return union;
      }
      case 'assign':
        assigned.add(step.field);
        walkExpr(step.expr);
        return scope;
      case 'call':
        walkCall(step.call, scope);
        return scope;
    }
  };
  const walkFilter = (e: FilterExpr, scope: Scope, negated: boolean): void => {
    switch (e.kind) {
      case 'and':
      case 'or':
        e.items.forEach((i) => walkFilter(i, scope, negated));
        return;
      case 'not':
        walkFilter(e.item, scope, !negated);
        return;
      case 'compare': {
        if (e.value.kind === 'regex') regexes.push({ field: e.field, pattern: e.value.pattern, flags: e.value.flags, offset: e.value.patternStart });
        const neg = negated !== (e.op === '!=');
        if (neg) {
          add(
            'CQL_NEGATION_KEEPS_MISSING',
            'info',
            `${negated ? 'NOT ' : ''}${e.field}${e.op}… keeps events that have no ${e.field} at all: every comparison on a missing field fails except != (and NOT of a failed comparison is true) — cql.md §1.7`,
            e.start,
          );
        } else if (!TYPE_FIELDS.has(e.field)) checkField(e.field, scope, e.fieldSpan.start);
        if (TYPE_FIELDS.has(e.field) && e.value.kind === 'string' && e.value.text === 'ProcessRollup2' && e.op === '=' && !negated && !/SyntheticProcessRollup2/.test(text) && !syntheticReported) {
          syntheticReported = true;
          add(
            'CQL_SYNTHETIC_PR2_EXCLUDED',
            'info',
            `${e.field}=ProcessRollup2 does not select SyntheticProcessRollup2, the event Falcon sends for processes that started before the sensor (e.g. during a sensor install); add it if such processes matter — cql.md §0 item 11, §8.1`,
            e.start,
          );
        }
        return;
      }
      case 'call':
        walkCall(e.call, scope);
        return;
      default:
    }
  };
  const checkField = (field: string, scope: Scope, offset: number) => {
    if (scope === null || assigned.has(field) || SCHEMA.common.includes(field)) return;
    for (const t of scope) {
      const s = SCHEMA.events[t];
      if (!s) continue;
      if (s.fields.includes(field)) continue;
      if (s.enriched.includes(field)) {
        add(
          'CQL_FIELD_ENRICHED_ONLY',
          'info',
          `${field} is not in raw FDR ${t} events; only the enriched Falcon search view (or an FLTR enrichment) adds it. Over FDR-sourced data this filter never matches — cql.md §0 item 5, §8.1`,
          offset,
        );
        continue;
      }
      const hint = t.startsWith('NetworkConnect')
        ? '; the connecting process is found by joining aid + ContextProcessId to the TargetProcessId of its ProcessRollup2 (Windows sensors also send ContextBaseFileName)'
        : '';
      add(
        'CQL_FIELD_NOT_IN_SCHEMA',
        'warning',
        `${field} is not a field of ${t} events: a filter on a missing field always fails, so this never matches ${t}${hint} — cql.md §0 item 3, §1.7, §8`,
        offset,
      );
    }
  };
  const walkExpr = (e: Expr): void => {
    if (e.kind === 'call') walkCall(e.call, null);
    else if (e.kind === 'binary') {
      walkExpr(e.left);
      walkExpr(e.right);
    } else if (e.kind === 'unary') walkExpr(e.operand);
    else if (e.kind === 'array') e.items.forEach(walkExpr);
  };
  const walkCall = (call: Call, scope: Scope): void => {
    const name = call.name.toLowerCase();
    const argOf = (n: string, position?: number) => call.args.find((a) => a.name === n) ?? (position === undefined ? undefined : call.args.filter((a) => a.name === undefined)[position]);
    if (name === 'regex') {
      const r = argOf('regex', 0);
      const f = argOf('field');
      if (r?.value.kind === 'str') regexes.push({ field: f?.value.kind === 'field' ? f.value.name : '@rawstring', pattern: r.value.value, flags: 'm', offset: r.value.start + 1 });
    }
    if (name === 'groupby') lintGroupBy(call, scope);
    if (name === 'if' && !seenIf.has(call)) lintIfChain(call);
    const as = argOf('as');
    if (as?.value.kind === 'field') assigned.add(as.value.name);
    // fields a step makes present: join's include, default()'s fields
    const made = name === 'join' ? argOf('include') : name === 'default' ? argOf('field') : undefined;
    if (made) for (const e of made.value.kind === 'array' ? made.value.items : [made.value]) if (e.kind === 'field') assigned.add(e.name);
    for (const a of call.args) {
      if (a.value.kind === 'regex' && a.name !== undefined) {
        // the seed's `if(CommandLine=/…/, …)`: lint the regex it meant to test
        regexes.push({ field: a.name, pattern: a.value.pattern, flags: a.value.flags, offset: a.value.start + 1 });
      } else if (a.value.kind !== 'subquery') walkExpr(a.value);
    }
  };

  // ---- case { …; * | drop() }
  const lintStarClause = (clause: Pipeline, last: boolean) => {
    const [first, second] = clause.steps;
    if (!last || first?.kind !== 'filter' || first.expr.kind !== 'all') return;
    if (second?.kind === 'call' && second.call.name.toLowerCase() === 'drop') {
      add(
        'CQL_CASE_STAR_PASSES_THROUGH',
        'warning',
        'the * clause passes every event that matched no other clause through the case; drop() removes fields, never events. To drop unmatched events leave out the * clause (no match → dropped) or write * | dropEvent() — cql.md §0 item 2, §2, §3',
        first.start,
      );
    }
  };

  // ---- groupBy on fields some event types never have
  const lintGroupBy = (call: Call, scope: Scope) => {
    const fieldArg = call.args.find((a) => a.name === 'field') ?? call.args.find((a) => a.name === undefined);
    if (!fieldArg) return;
    const keys = (fieldArg.value.kind === 'array' ? fieldArg.value.items : [fieldArg.value]).flatMap((e) => (e.kind === 'field' ? [e.name] : e.kind === 'str' ? [e.value] : []));
    const limit = call.args.some((a) => a.name === 'limit');
    if (!limit && keys.some((k) => /CommandLine|RawString|@rawstring/i.test(k))) {
      add(
        'CQL_GROUPBY_LIMIT',
        'info',
        `groupBy keeps at most 20,000 groups by default; with ${keys.filter((k) => /CommandLine|@rawstring/i.test(k)).join(', ')} as a key it can be truncated silently before any sort (LogScale warns; counts become lower bounds) — cql.md §0 item 13, §5`,
        call.nameSpan.start,
      );
    }
    if (scope === null) return;
    const mode = analysis.settings.groupbyMissing;
    const lacking: string[] = [];
    let everyTypeLacks = true;
    for (const t of scope) {
      const s = SCHEMA.events[t];
      if (!s) {
        everyTypeLacks = false;
        continue;
      }
      const missing = keys.filter((k) => !assigned.has(k) && !SCHEMA.common.includes(k) && !s.fields.includes(k) && !s.enriched.includes(k));
      const enrichedOnly = keys.filter((k) => !assigned.has(k) && s.enriched.includes(k));
      if (missing.length) lacking.push(`${t} events never have ${missing.join(', ')}`);
      else everyTypeLacks = false;
      if (enrichedOnly.length) lacking.push(`raw FDR ${t} events lack ${enrichedOnly.join(', ')} (enriched view only)`);
    }
    if (lacking.length === 0) return;
    const verdict =
      mode === 'drop'
        ? everyTypeLacks
          ? 'so no event can produce a row'
          : 'so those events are lost'
        : 'with groupby-missing=keep they form groups without those fields';
    add(
      everyTypeLacks && mode === 'drop' ? 'CQL_GROUPBY_DROPS_ALL' : 'CQL_GROUPBY_MISSING_KEYS',
      everyTypeLacks && mode === 'drop' ? 'warning' : 'info',
      `groupBy([${keys.join(', ')}]) drops events that lack any group field (setting groupby-missing=${mode}; LIKELY, by analogy with top(): "An event is not counted if fields are not present"): ${lacking.join('; ')} — ${verdict} — cql.md §0 items 4-5, §5`,
      call.nameSpan.start,
    );
  };

  // ---- if() chains whose labels do not fit their conditions
  const lintIfChain = (call: Call) => {
    const pairs: Array<{ pattern: string; label: string; offset: number }> = [];
    let fallback: { label: string; offset: number } | null = null;
    let cur: Call | null = call;
    const seen = new Set<Call>();
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      seenIf.add(cur);
      const unnamed: Arg[] = cur.args.filter((a) => a.name === undefined);
      const cond: Arg | undefined = cur.args.find((a) => a.name === 'condition') ?? cur.args.find((a) => a.value.kind === 'regex') ?? unnamed[0];
      const positional: Arg[] = unnamed.filter((a) => a !== cond);
      const then = cur.args.find((a) => a.name === 'then') ?? positional[0];
      const otherwise: Arg | undefined = cur.args.find((a) => a.name === 'else') ?? positional[1];
      const pattern = cond ? conditionPattern(cond.value) : null;
      if (pattern && then?.value.kind === 'str') pairs.push({ pattern, label: then.value.value, offset: then.value.start });
      if (otherwise?.value.kind === 'call' && otherwise.value.call.name.toLowerCase() === 'if') cur = otherwise.value.call;
      else {
        if (otherwise?.value.kind === 'str') fallback = { label: otherwise.value.value, offset: otherwise.value.start };
        cur = null;
      }
    }
    for (const p of pairs) {
      const alts = alternatives(p.pattern);
      const encoded = alts.filter((a) => /enc|base64/i.test(a));
      const download = alts.filter((a) => /webrequest|download|webclient|urlcache|transfer|curl|wget|https?/i.test(a));
      if (/DOWNLOAD/i.test(p.label) && encoded.length) {
        add('CQL_LABEL_MISMATCH', 'warning', `${encoded.join(', ')} indicates encoded execution, not a download, yet it is labelled ${p.label} — cql.md §0 item 9 (intent UNSURE)`, p.offset);
      }
      if (/ENCODED/i.test(p.label) && download.length && !encoded.length) {
        add('CQL_LABEL_MISMATCH', 'warning', `${download.join(', ')} ${download.length > 1 ? 'are downloads' : 'is a download'}, not encoded execution, yet labelled ${p.label} — the labels look swapped; cql.md §0 item 9 (intent UNSURE)`, p.offset);
      }
    }
    if (fallback) {
      const tools = (alts: string[]) => alts.flatMap((a) => /^(curl|wget)/i.exec(a)?.[1]?.toLowerCase() ?? []);
      const labelled = new Set(tools(pairs.flatMap((p) => alternatives(p.pattern))));
      const candidates = tools(regexes.filter((r) => r.field === undefined || /CommandLine/i.test(r.field)).flatMap((r) => alternatives(r.pattern))).filter((t) => !labelled.has(t));
      if (candidates.length) {
        add(
          'CQL_LABEL_MISMATCH',
          'warning',
          `${[...new Set(candidates)].join(', ')} downloads match the filter but no labelled condition, so they fall through to ${fallback.label} — cql.md §0 item 9`,
          fallback.offset,
        );
      }
    }
  };

  if (analysis.ast) walkPipeline(analysis.ast, null);
  for (const r of regexes) lintRegex(r, add);
  return out;
}

function conditionPattern(e: Expr): string | null {
  if (e.kind === 'regex') return e.pattern;
  if (e.kind === 'call' && e.call.name.toLowerCase() === 'regex') {
    const r = e.call.args.find((a) => a.name === 'regex') ?? e.call.args.find((a) => a.name === undefined);
    return r?.value.kind === 'str' ? r.value.value : null;
  }
  return null;
}

function typesOf(e: FilterExpr): Scope {
  switch (e.kind) {
    case 'compare':
      if (TYPE_FIELDS.has(e.field) && e.op === '=') {
        if (e.value.kind === 'string' && !e.value.text.includes('*')) return new Set([e.value.text]);
        if (e.value.kind === 'regex') {
          const m = /^\^\(?([A-Za-z0-9|]+)\)?\$$/.exec(e.value.pattern);
          if (m) return new Set(m[1]!.split('|'));
        }
      }
      return null;
    case 'or': {
      const sets = e.items.map(typesOf);
      if (sets.some((s) => s === null)) return null;
      return new Set(sets.flatMap((s) => [...s!]));
    }
    case 'and': {
      let acc: Scope = null;
      for (const i of e.items) acc = intersect(acc, typesOf(i));
      return acc;
    }
    case 'call':
      if (e.call.name.toLowerCase() === 'in' && !e.call.negated) {
        const f = e.call.args.find((a) => a.name === 'field') ?? e.call.args.find((a) => a.name === undefined);
        const v = e.call.args.find((a) => a.name === 'values');
        if (f?.value.kind === 'field' && TYPE_FIELDS.has(f.value.name) && v?.value.kind === 'array') {
          return new Set(v.value.items.flatMap((i) => (i.kind === 'str' ? [i.value] : i.kind === 'field' ? [i.name] : [])));
        }
      }
      return null;
    default:
      return null;
  }
}

function intersect(a: Scope, b: Scope): Scope {
  if (a === null) return b;
  if (b === null) return a;
  return new Set([...a].filter((x) => b.has(x)));
}

// ---------------------------------------------------------------------------------------------
// regex lints

/** the literal alternatives of a pattern of the form (?i)(a|b|c) or a|b|c ('' for non-literals) */
export function alternatives(pattern: string): string[] {
  let root: RxNode;
  try {
    root = parseRegex(pattern, { i: false, m: false, d: false }, 'v2').root;
  } catch {
    return [];
  }
  return topAlternatives(root).map((n) => literalOf(n) ?? sourceLike(n));
}

function topAlternatives(n: RxNode): RxNode[] {
  if (n.type === 'alt') return n.branches;
  if (n.type === 'group') return topAlternatives(n.body);
  if (n.type === 'seq') {
    const inner = n.items.filter((i) => i.type !== 'empty');
    if (inner.length === 1) return topAlternatives(inner[0]!);
  }
  return [n];
}

function literalOf(n: RxNode): string | null {
  if (n.type === 'char') return String.fromCharCode(n.code);
  if (n.type === 'seq') {
    let s = '';
    for (const i of n.items) {
      const l = literalOf(i);
      if (l === null) return null;
      s += l;
    }
    return s;
  }
  return null;
}

function sourceLike(n: RxNode): string {
  // a readable rendering of a non-literal alternative, for messages
  if (n.type === 'seq') return n.items.map(sourceLike).join('');
  if (n.type === 'char') return String.fromCharCode(n.code);
  if (n.type === 'dot') return '.';
  if (n.type === 'repeat') return `${sourceLike(n.body)}{${n.min},${n.max === Infinity ? '' : n.max}}`;
  if (n.type === 'group') return `(${sourceLike(n.body)})`;
  if (n.type === 'alt') return n.branches.map(sourceLike).join('|');
  if (n.type === 'class') return '[…]';
  if (n.type === 'assert') return n.kind === 'start' || n.kind === 'lineStart' ? '^' : n.kind === 'end' || n.kind === 'lineEnd' ? '$' : '\\b';
  return '';
}

function anchored(pattern: string): boolean {
  return /^\^|^\(\?[a-z]+\)\^|\$\)?$|\\\\/.test(pattern);
}

type Add = (code: string, severity: LintFinding['severity'], message: string, offset: number) => void;

function lintRegex(r: RegexUse, add: Add): void {
  const ci = /^\(\?[a-z]*i/.test(r.pattern) || r.flags.includes('i');
  let root: RxNode | null = null;
  try {
    root = parseRegex(r.pattern, { i: r.flags.includes('i'), m: false, d: false }, 'v2').root;
  } catch {
    return; // the compiler reports invalid patterns
  }
  const alts = topAlternatives(root).map((n) => literalOf(n));
  // (?i)a|b: v1 applies the flag to the first branch only
  if (root.type === 'alt' && /^\(\?[a-z]+\)/.test(r.pattern)) {
    add(
      'CQL_INLINE_FLAG_FIRST_BRANCH',
      'warning',
      `the inline flag at the start covers only the first alternative in LogScale's v1 regex engine (default before 1.227) but all of them in v2: wrap the alternation in a group, e.g. ${r.pattern.replace(/^(\(\?[a-z]+\))(.*)$/, '$1($2)')} — cql.md §7, vector C19`,
      r.offset,
    );
  }
  const nameField = r.field !== undefined && /FileName|Image|ProcessName|Name$/i.test(r.field) && !/CommandLine/i.test(r.field);
  if (nameField && !anchored(r.pattern)) {
    for (const alt of alts) {
      if (alt === null || alt.length > 4) continue;
      const needle = ci ? alt.toLowerCase() : alt;
      const hits = PROCESS_NAMES.filter((name) => {
        const hay = ci ? name.toLowerCase() : name;
        return hay.includes(needle) && hay !== needle && hay !== `${needle}.exe` && !alts.some((o) => o !== null && (ci ? o.toLowerCase() : o) === hay);
      });
      if (hits.length === 0) continue;
      add(
        'CQL_UNANCHORED_SHORT_ALTERNATIVE',
        'warning',
        `alternative '${alt}' is unanchored: /…/ finds it anywhere in ${r.field}, so it also matches ${hits.slice(0, 5).join(', ')}${hits.length > 5 ? ` and ${hits.length - 5} more` : ''}; anchor it (^…$ or a \\\\ path boundary) — cql.md §0 item 6, vectors C21, C22`,
        r.offset,
      );
    }
  }
  if (/encodedcommand/i.test(r.pattern) && !/-e(nc?|c)\b|-e\[|-enc\b|\(\?:?n|e\(n/i.test(r.pattern)) {
    add(
      'CQL_LITERAL_ENCODEDCOMMAND',
      'warning',
      "'-encodedcommand' is matched literally: PowerShell also accepts -enc, -ec and -e, so `powershell -enc …` is not matched — cql.md §0 item 7",
      r.offset + r.pattern.toLowerCase().indexOf('encodedcommand'),
    );
  }
  for (const m of r.pattern.matchAll(/\.\{0,(\d+)\}/g)) {
    if (Number(m[1]) > 40) continue;
    add(
      'CQL_BOUNDED_GAP',
      'info',
      `the gap ${m[0]} allows at most ${m[1]} characters${r.flags.includes('d') ? '' : ' and never crosses a newline (no d flag)'}: longer argument lists (e.g. certutil -f -split -verifyctl -urlcache) are not matched — cql.md §0 item 8, vector C23`,
      r.offset + (m.index ?? 0),
    );
  }
  if (r.field !== undefined && /RemoteAddress|RemoteIP|DestinationIp/i.test(r.field) && /10\\\.|192\\\.168/.test(r.pattern)) {
    const missing = [
      ['169.254/16 (link-local)', /169\\\.254/],
      ['100.64/10 (CGNAT)', /100\\\.(\(|6)/],
      ['0.0.0.0', /\^0\\\.|0\\\.0\\\.0/],
      ['224/4 (multicast)', /22[4-9]|2\[2-3\]/],
    ].filter(([, re]) => !(re as RegExp).test(r.pattern)).map(([label]) => label as string);
    const v6 = /::1/.test(r.pattern) ? "; '::1' can never occur in an IPv4 field" : '';
    if (missing.length || v6) {
      add(
        'CQL_PRIVATE_RANGES_INCOMPLETE',
        'info',
        `the private-address list omits ${missing.join(', ')}${v6}; official CrowdStrike queries use !cidr(${r.field}, subnet=[…]) — cql.md §0 item 10`,
        r.offset,
      );
    }
  }
  if (r.field !== undefined && /Parent/i.test(r.field) && alts.some((a) => a !== null && /^(installer|pkgutil)$/i.test(a))) {
    add(
      'CQL_MACOS_PKG_PARENT',
      'info',
      'macOS .pkg scripts are probably not children of installer or pkgutil (PackageKit runs them from system services), so this parent test likely misses them — cql.md §0 item 12 (UNSURE)',
      r.offset,
    );
  }
}
