// Lints: defects of a rule under real Splunk semantics (spl.md §0, §10, §11), each with the
// user's line:column. Add-on facts are data (splunk-addons.yml).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { LintFinding } from '../../types.ts';
import { boolLeaves, computedFields } from '../analysis.ts';
import type { CompiledCommand } from '../commands/types.ts';
import { type Expr, COMPARISONS, unparen, walk } from '../expr/ast.ts';
import { globMatch, hasWildcard, selectFields } from '../glob.ts';
import type { CompiledPipeline } from '../runtime.ts';
import { type SearchNode, searchLeaves, searchNodes } from '../search/ast.ts';

interface AddonFacts {
  legacy_sourcetypes: { pattern: string; now: string }[];
  not_produced: Record<string, string>;
  impossible_values: { field: string; value: string; note: string }[];
  known_fields: string[];
  ip_fields: string[];
  classic_event_ids: Record<string, number[]>;
}

const FACTS = parse(readFileSync(new URL('./splunk-addons.yml', import.meta.url), 'utf8')) as AddonFacts;
const KNOWN_BY_LOWER = new Map(FACTS.known_fields.map((f) => [f.toLowerCase(), f]));
const IP_FIELDS = new Set(FACTS.ip_fields);
const CLASSIC_IDS = new Map<number, string>();
for (const [provider, ids] of Object.entries(FACTS.classic_event_ids)) for (const id of ids) CLASSIC_IDS.set(id, provider);

type Severity = LintFinding['severity'];

class Findings {
  readonly list: { code: string; severity: Severity; message: string; offset: number }[] = [];
  add(code: string, severity: Severity, message: string, offset: number): void {
    this.list.push({ code, severity, message, offset });
  }
}

const short = (s: string, n = 60) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

/** Every expression of the pipeline with the index of its command. */
function expressions(commands: readonly CompiledCommand[]): { e: Expr; cmd: number }[] {
  const out: { e: Expr; cmd: number }[] = [];
  commands.forEach((c, i) => {
    if (c.ast.k === 'where') out.push({ e: c.ast.expr, cmd: i });
    if (c.ast.k === 'eval') for (const a of c.ast.assignments) out.push({ e: a.expr, cmd: i });
  });
  return out;
}

function literalValue(e: Expr): string | undefined {
  const u = unparen(e);
  return u.k === 'str' ? u.value : undefined;
}

export function lint(p: CompiledPipeline): LintFinding[] {
  const f = new Findings();
  const { src, commands } = p;
  const text = (a: number, b: number) => short(src.text.slice(a, b));
  const exprs = expressions(commands);

  // --- search command ------------------------------------------------------------------------
  commands.forEach((c) => {
    if (c.ast.k !== 'search' || !c.ast.node) return;
    const root = c.ast.node;
    lintSearchPrecedence(root, f, src.text, (o) => src.macroAt(o)?.name);
    for (const leaf of searchLeaves(root)) {
      // a wildcard value ("XmlWinEventLog:*") covers the legacy names on purpose
      if (leaf.k === 'cmp' && leaf.field === 'sourcetype' && (leaf.op === '=' || leaf.op === '!=') && !hasWildcard(leaf.value)) {
        const legacy = FACTS.legacy_sourcetypes.find((l) => globMatch(l.pattern.toLowerCase(), leaf.value.toLowerCase()));
        if (legacy) {
          f.add('SPL_LEGACY_SOURCETYPE', 'warning', `sourcetype "${leaf.value}" is a legacy per-channel name, defunct since Splunk Add-on for Windows 5.0: current add-ons index ${legacy.now}, so this matches nothing there (spl.md §0.3, §7).`, leaf.offset);
        }
      }
      if (leaf.k === 'cmp' && leaf.op === '=') {
        const bad = FACTS.impossible_values.find((v) => v.field === leaf.field && v.value.toLowerCase() === leaf.value.toLowerCase());
        if (bad) f.add('SPL_IMPOSSIBLE_VALUE', 'warning', `${leaf.field}=${leaf.value}: ${bad.note}.`, leaf.offset);
      }
      if (leaf.k === 'TERM' && /^[A-Za-z_][\w.]*=/.test(leaf.value)) {
        f.add('SPL_TERM_CLASSIC_ONLY', 'warning', `TERM(${leaf.value}) needs "${leaf.value}" as one token between major breakers: it matches classic WinEventLog text (a line "${leaf.value}"), never XmlWinEventLog _raw, where the value sits in an element such as <EventID>…</EventID> (spl.md §4, S19).`, leaf.offset);
      }
      if (leaf.k === 'term' && leaf.quoted) {
        const m = /^<EventID>(\d+)<$/i.exec(leaf.value);
        const provider = m ? CLASSIC_IDS.get(Number(m[1])) : undefined;
        if (m && provider) {
          f.add('SPL_EVENTID_PHRASE_QUALIFIERS', 'warning', `"<EventID>${m[1]}<" never matches ${provider} events: classic providers render <EventID Qualifiers='0'>${m[1]}</EventID> in XmlWinEventLog _raw (spl.md §0.4, S19).`, leaf.offset);
        }
      }
      if (leaf.k === 'term' && !leaf.quoted && /^(or|and|not)$/i.test(leaf.value) && leaf.value !== leaf.value.toUpperCase()) {
        f.add('SPL_LOWERCASE_BOOLEAN', 'warning', `"${leaf.value}" is searched as a literal term: Boolean operators must be upper case in the search command ([BOOL]).`, leaf.offset);
      }
    }
  });

  // --- eval / where expressions --------------------------------------------------------------
  for (const { e } of exprs) {
    for (const n of walk(e)) {
      if (n.k === 'call' && n.name === 'coalesce') {
        const lastIndex = n.args.length - 1;
        const at = n.args.findIndex((a, i) => i < lastIndex && (unparen(a).k === 'str' || unparen(a).k === 'num'));
        if (at >= 0) {
          const lit = n.args[at]!;
          const before = n.args.slice(0, at).map((a) => text(a.offset, a.end)).join(', ');
          const after = n.args.slice(at + 1).map((a) => text(a.offset, a.end)).join(', ');
          f.add('SPL_COALESCE_EMPTY_STRING', 'warning', `coalesce() returns its first non-NULL argument and ${text(lit.offset, lit.end)} is a value, not NULL: ${after} ${at + 1 < lastIndex ? 'are' : 'is'} never reached, so an event without ${before || 'the earlier fields'} gets ${text(lit.offset, lit.end)} (spl.md §0.1, S2).`, lit.offset);
        }
      }
      if (n.k === 'call' && n.name === 'match' && n.args.length === 2) {
        const pattern = literalValue(n.args[1]!);
        if (pattern !== undefined) lintMatch(n, pattern, f, text);
      }
      if (n.k === 'bin' && (n.op === '=' || n.op === '==' || n.op === '!=')) {
        const lit = literalValue(n.right) ?? literalValue(n.left);
        if (lit !== undefined && lit.includes('*')) {
          f.add('SPL_EVAL_WILDCARD', 'warning', `"${lit}": ${n.op} in eval/where compares literally, * is not a wildcard there; use like() with % or match() (spl.md §4 [WILD]).`, n.opOffset);
        }
      }
      if (n.k === 'bin' && n.op === 'OR') {
        for (const side of [n.left, n.right]) {
          if (side.k === 'bin' && side.op === 'AND') {
            f.add('SPL_AND_BEFORE_OR', 'info', `AND binds tighter than OR in eval/where: ${text(side.offset, side.end)} is one operand of this OR; add parentheses if that is not meant ([BOOL]).`, n.opOffset);
          }
        }
      }
      if (n.k === 'not') {
        const inner = unparen(n.operand);
        if ((inner.k === 'call' && inner.name === 'match') || (inner.k === 'bin' && COMPARISONS.has(inner.op))) {
          const fields = [...walk(inner)].filter((x) => x.k === 'field').map((x) => (x as { name: string }).name);
          if (fields.length > 0) {
            f.add('SPL_NOT_NULL', 'info', `For an event without ${fields.join(', ')}, ${text(inner.offset, inner.end)} is NULL and NOT of NULL is TRUE (one experiment, spl.md §1 — UNSURE): events lacking the field pass this condition.`, n.offset);
          }
        }
      }
    }
    for (const leaf of boolLeaves(e)) {
      const u = unparen(leaf);
      if (u.k === 'bin' && COMPARISONS.has(u.op)) {
        const lit = literalValue(u.right);
        const field = unparen(u.left);
        if (lit !== undefined && field.k === 'field' && field.name === 'sourcetype') {
          const legacy = FACTS.legacy_sourcetypes.find((l) => globMatch(l.pattern.toLowerCase(), lit.toLowerCase()));
          if (legacy) f.add('SPL_LEGACY_SOURCETYPE', 'warning', `sourcetype "${lit}" is a legacy per-channel name, defunct since Splunk Add-on for Windows 5.0: current add-ons index ${legacy.now} (spl.md §7).`, u.offset);
        }
      }
    }
  }

  // --- fields the add-ons do not produce -----------------------------------------------------
  const reported = new Set<string>();
  const checkField = (name: string, offset: number, cmdIndex: number) => {
    if (reported.has(name) || computedFields(commands, cmdIndex).has(name)) return;
    const note = FACTS.not_produced[name];
    if (note !== undefined) {
      reported.add(name);
      f.add('SPL_FIELD_NOT_PRODUCED', 'warning', `${name}: ${note}; the field is always NULL (spl.md §7).`, offset);
      return;
    }
    const known = KNOWN_BY_LOWER.get(name.toLowerCase());
    if (known !== undefined && known !== name && !FACTS.known_fields.includes(name)) {
      reported.add(name);
      f.add('SPL_FIELD_CASE', 'warning', `${name} is not ${known}: field names are case-sensitive ([FNAMES]), so ${name} is always NULL.`, offset);
    }
  };
  commands.forEach((c, i) => {
    if (c.ast.k === 'search' && c.ast.node) for (const l of searchLeaves(c.ast.node)) if (l.k === 'cmp' || l.k === 'in') checkField(l.field, l.offset, i);
  });
  for (const { e, cmd } of exprs) for (const n of walk(e)) if (n.k === 'field') checkField(n.name, n.offset, cmd);

  // --- transforming commands -----------------------------------------------------------------
  commands.forEach((c) => {
    if (c.ast.k === 'bin' && !c.ast.field) {
      f.add('SPL_BIN_WITHOUT_FIELD', 'warning', `${c.name} without a field: <field> is documented as required ([BIN]); whether Splunk bins _time or fails is unconfirmed (spl.md §6). The lab bins _time; write "${c.name} _time${c.ast.span ? ` span=${c.ast.span}` : ''}".`, c.text.offset);
    }
    if (c.ast.k === 'sort' && c.ast.count === undefined) {
      f.add('SPL_SORT_DEFAULT_LIMIT', 'warning', 'sort without a count returns at most 10,000 results (default limit 10000, [SORT]); write "sort 0 ..." to keep them all.', c.text.offset);
    }
  });
  lintDroppedFields(commands, f);

  return f.list
    .sort((a, b) => src.originalOffset(a.offset) - src.originalOffset(b.offset))
    .map((x) => ({ code: x.code, severity: x.severity, message: x.message, position: src.pos(x.offset) }));
}

/** "A OR B C" in the search command means "(A OR B) AND C" ([BOOL]). */
function lintSearchPrecedence(root: SearchNode, f: Findings, text: string, macroAt: (offset: number) => string | undefined): void {
  for (const n of searchNodes(root)) {
    if (n.k !== 'and') continue;
    for (const item of n.items) {
      if (item.k !== 'or') continue;
      const others = n.items.filter((x) => x !== item).map((x) => short(text.slice(x.offset, x.end), 40));
      const macro = macroAt(item.ors[0]!);
      const where = macro ? ` (the OR comes from macro \`${macro}\`, whose definition is not parenthesised)` : '';
      f.add('SPL_OR_BEFORE_AND', 'warning', `OR binds tighter than AND in the search command${where}: "${short(text.slice(item.offset, item.end), 50)}" is one group, and every branch of it must also satisfy ${others.join(' AND ')} ([BOOL], spl.md §0.2). Parenthesise to say which terms belong to which branch.`, item.ors[0]!);
    }
  }
}

function lintMatch(n: Extract<Expr, { k: 'call' }>, pattern: string, f: Findings, text: (a: number, b: number) => string): void {
  const subject = n.args[0]!;
  const subjectText = text(subject.offset, subject.end);
  const regexOffset = n.args[1]!.offset;
  const anchored = pattern.startsWith('^') || pattern.startsWith('(?i)^');
  const readsIp = [...walk(subject)].some((x) => x.k === 'field' && IP_FIELDS.has(x.name));
  const body = pattern.replace(/^\(\?i\)/, '').replace(/^\((.*)\)$/, '$1');
  const alternatives = body.split('|');
  const ipPrefixes = alternatives.filter((a) => /^\d{1,3}(\\\.\d{1,3}){0,2}\\\.$/.test(a));
  if (!anchored && (ipPrefixes.length > 0 || (readsIp && /\d\\\./.test(pattern)))) {
    const first = (ipPrefixes[0] ?? '10\\.').replace(/\\/g, '');
    const narrow = ipPrefixes.some((a) => a === '172\\.16\\.') ? ' "172\\.16\\." also covers only 172.16.0.0/16, not 172.16.0.0/12 (172.17–172.31 count as public).' : '';
    f.add('SPL_UNANCHORED_IP_REGEX', 'warning', `match(${subjectText}, ...) is an unanchored substring search: an address merely containing "${first}" (e.g. 52.1${first}3.4) also matches.${narrow} Use cidrmatch("10.0.0.0/8", ${subjectText}) etc. (spl.md §0.7, S7, S28).`, regexOffset);
  }
  if (!anchored && /^\(?\d+(\|\d+)*\)?$/.test(pattern)) {
    const ids = pattern.replace(/[()]/g, '').split('|');
    f.add('SPL_MATCH_ID_SUBSTRING', 'warning', `match(${subjectText}, "${pattern}") is a substring search: ${ids[0]} also matches 1${ids[0]} and ${ids[0]}1. Compare with ${subjectText}=${ids[0]} or anchor it ^(${ids.join('|')})$ (spl.md §11.3).`, regexOffset);
  }
  const subj = unparen(subject);
  if (subj.k === 'call' && subj.name === 'lower' && !pattern.includes('(?i)')) {
    const letters = pattern.replace(/\\[pPx]\{[^}]*\}/g, '').replace(/\\./g, '').replace(/\(\?P?<[^>]*>/g, '').replace(/\[:[a-z]+:\]/g, '');
    if (/[A-Z]/.test(letters)) {
      f.add('SPL_MATCH_LOWER_UPPERCASE', 'warning', `The subject is lower-cased but the pattern has upper-case letters: those parts can never match (match() is case-sensitive, [REGEX]).`, regexOffset);
    }
  }
}

/** A field used after table/fields/stats removed it is always NULL there. */
function lintDroppedFields(commands: readonly CompiledCommand[], f: Findings): void {
  let kept: string[] | undefined;
  commands.forEach((c) => {
    const ast = c.ast;
    const uses: { name: string; offset: number }[] = [];
    if (ast.k === 'where') for (const n of walk(ast.expr)) if (n.k === 'field') uses.push({ name: n.name, offset: n.offset });
    if (ast.k === 'eval') for (const a of ast.assignments) for (const n of walk(a.expr)) if (n.k === 'field') uses.push({ name: n.name, offset: n.offset });
    if (ast.k === 'search' && ast.node && c.text.index > 0) for (const l of searchLeaves(ast.node)) if (l.k === 'cmp' || l.k === 'in') uses.push({ name: l.field, offset: l.offset });
    if (ast.k === 'sort') for (const k of ast.keys) uses.push({ name: k.field, offset: k.offset });
    if (ast.k === 'stats') {
      for (const a of ast.aggregations) if (a.field !== undefined && !hasWildcard(a.field)) uses.push({ name: a.field, offset: a.offset });
      for (const b of ast.by) uses.push({ name: b.name, offset: b.offset });
    }
    if (ast.k === 'bin') uses.push({ name: ast.field?.name ?? '_time', offset: ast.field?.offset ?? c.text.offset });
    if (kept) {
      for (const u of uses) {
        const survives = kept.some((k) => (hasWildcard(k) ? selectFields([k], [u.name]).length > 0 : k === u.name));
        if (!survives) {
          f.add('SPL_FIELD_DROPPED', 'warning', `${u.name} was dropped by an earlier table/fields/stats, so it is NULL here.`, u.offset);
        }
      }
    }
    // what survives this command
    if (ast.k === 'fields' && ast.mode !== 'remove') kept = [...ast.fields.map((x) => x.name), ...(ast.mode === 'keep' ? ['_raw', '_time'] : [])];
    else if (ast.k === 'stats' && c.name === 'stats') kept = [...ast.by.map((b) => b.name), ...ast.aggregations.map((a) => a.as)];
    else if (kept && ast.k === 'eval') kept = [...kept, ...ast.assignments.map((a) => a.target)];
    else if (kept && ast.k === 'rename') kept = [...kept, ...ast.pairs.map((p) => p.to)];
    else if (kept && ast.k === 'bin' && ast.field) kept = [...kept, ast.field.name];
  });
}
