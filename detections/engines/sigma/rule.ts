// Loading one Sigma document into a validated structure: metadata (schema of
// sigma-rules-specification.md v2.1 / json-schema), logsource, detection (search identifiers as
// maps, lists of maps, keyword lists), condition; filter documents (meta rules) and correlation
// documents are recognised here too. Every problem is recorded with its line:column.
import type { Node } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import { type Cond, ConditionError, parseCondition } from './condition.ts';
import { type ChainResult, runChain } from './modifiers/index.ts';
import type { Val } from './modifiers/values.ts';
import type { ItemFn } from './evaluate.ts';
import type { Diagnostics, Pos } from './problems.ts';
import { parseSigmaString } from './sigma-string.ts';
import { type YNode, type YamlSource, get, getPair, keyPos, keyString, mapPairs, posOf } from './yaml-source.ts';

export interface Item {
  /** null: keyword (unbound value) search */
  field: string | null;
  modifiers: string[];
  chain: ChainResult;
  /** the item as written: `Image|endswith: ['\powershell.exe', ...]` */
  text: string;
  pos?: Pos;
  /** evaluation closure, built on first use by evaluate.ts */
  evalFn?: ItemFn;
}

export type DetNode = { k: 'and' | 'or'; items: DetNode[] } | { k: 'item'; item: Item };

export interface Selection {
  name: string;
  node: DetNode;
  items: Item[];
  pos?: Pos;
}

export interface Detection {
  selections: Map<string, Selection>;
  conditions: { tree: Cond; text: string; pos?: Pos }[];
}

export interface RuleMeta {
  title: string;
  id?: string;
  name?: string;
  status?: string;
  description?: string;
  author?: string;
  references?: string[];
  level?: string;
  tags?: string[];
  falsepositives?: string[];
  date?: string;
  modified?: string;
  /** atomic-lab extension: the DetectionType this rule stands for (detections/sigma/README.md) */
  detection_type?: string;
}

export interface LogsourceDecl {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
}

export interface SigmaRuleDoc {
  kind: 'rule';
  meta: RuleMeta;
  logsource: LogsourceDecl;
  detection: Detection;
  pos?: Pos;
}

export interface SigmaFilterDoc {
  kind: 'filter';
  meta: RuleMeta;
  logsource: LogsourceDecl;
  rules: string[];
  detection: Detection;
  pos?: Pos;
}

export interface SigmaCorrelationDoc {
  kind: 'correlation';
  meta: RuleMeta;
  type: string;
  rules: string[];
  pos?: Pos;
}

export type SigmaDoc = SigmaRuleDoc | SigmaFilterDoc | SigmaCorrelationDoc;

const STATUS = new Set(['stable', 'test', 'experimental', 'deprecated', 'unsupported']);
const LEVEL = new Set(['informational', 'low', 'medium', 'high', 'critical']);
const RELATED = new Set(['derived', 'obsolete', 'merged', 'renamed', 'similar']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}[-/]\d{2}[-/]\d{2}$/;
const CORRELATION_TYPES = new Set(['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile']);

export interface LoadContext {
  src: YamlSource;
  diag: Diagnostics;
  placeholders: ReadonlyMap<string, readonly string[]>;
}

function scalarValue(n: YNode): unknown {
  return isScalar(n) ? n.value : undefined;
}

function str(ctx: LoadContext, node: YNode, key: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
  const pair = getPair(node, key);
  if (!pair) {
    if (opts.required) ctx.diag.add('E_SIGMA_SCHEMA', `missing required field '${key}'`, posOf(ctx.src, node));
    return undefined;
  }
  const v = scalarValue(pair.value);
  if (typeof v !== 'string' || (isScalar(pair.value) && v === '' && opts.required)) {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    ctx.diag.add('E_SIGMA_SCHEMA', `'${key}' must be a ${opts.required ? 'non-empty ' : ''}string`, posOf(ctx.src, pair.value ?? pair));
    return undefined;
  }
  if (opts.max && v.length > opts.max) ctx.diag.add('E_SIGMA_SCHEMA', `'${key}' is longer than ${opts.max} characters`, posOf(ctx.src, pair.value));
  return v;
}

function strList(ctx: LoadContext, node: YNode, key: string, allowScalar = false): string[] | undefined {
  const pair = getPair(node, key);
  if (!pair) return undefined;
  const v = pair.value;
  if (allowScalar && isScalar(v) && typeof v.value === 'string') return [v.value];
  if (!isSeq(v)) {
    ctx.diag.add('E_SIGMA_SCHEMA', `'${key}' must be a list of strings`, posOf(ctx.src, v ?? pair));
    return undefined;
  }
  const out: string[] = [];
  for (const it of v.items as Node[]) {
    const s = scalarValue(it);
    if (typeof s === 'string' || typeof s === 'number') out.push(String(s));
    else ctx.diag.add('E_SIGMA_SCHEMA', `'${key}' entries must be strings`, posOf(ctx.src, it));
  }
  return out;
}

function loadMeta(ctx: LoadContext, doc: YNode, needsTitle = true): RuleMeta {
  const meta: RuleMeta = { title: str(ctx, doc, 'title', { required: needsTitle, max: 256 }) ?? '' };
  const id = str(ctx, doc, 'id');
  if (id !== undefined) {
    // pySigma: "Sigma rule identifier must be an UUID" (any version; one SigmaHQ id is not v4)
    if (!UUID.test(id)) ctx.diag.add('E_SIGMA_SCHEMA', `'id' must be a UUID, got '${id}'`, posOf(ctx.src, get(doc, 'id')));
    meta.id = id;
  }
  for (const k of ['name', 'description', 'author', 'license', 'taxonomy'] as const) {
    const v = str(ctx, doc, k);
    if (v !== undefined && k !== 'license' && k !== 'taxonomy') meta[k] = v;
  }
  const status = str(ctx, doc, 'status');
  if (status !== undefined) {
    if (!STATUS.has(status)) ctx.diag.add('E_SIGMA_SCHEMA', `'status' must be one of ${[...STATUS].join(', ')}, got '${status}'`, posOf(ctx.src, get(doc, 'status')));
    meta.status = status;
  }
  const level = str(ctx, doc, 'level');
  if (level !== undefined) {
    if (!LEVEL.has(level)) ctx.diag.add('E_SIGMA_SCHEMA', `'level' must be one of ${[...LEVEL].join(', ')}, got '${level}'`, posOf(ctx.src, get(doc, 'level')));
    meta.level = level;
  }
  for (const k of ['date', 'modified'] as const) {
    const node = get(doc, k);
    if (node === undefined) continue;
    const v = scalarValue(node);
    const text = v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' ? v : undefined;
    if (!text || !DATE.test(text)) ctx.diag.add('E_SIGMA_SCHEMA', `'${k}' must be a date YYYY-MM-DD`, posOf(ctx.src, node));
    else meta[k] = text;
  }
  const refs = strList(ctx, doc, 'references');
  if (refs) meta.references = refs;
  const tags = strList(ctx, doc, 'tags');
  if (tags) {
    for (const t of tags) {
      if (!/^[a-z0-9_-]+\.[^\s]+$/i.test(t)) ctx.diag.add('E_SIGMA_SCHEMA', `tag '${t}' must be 'namespace.value'`, posOf(ctx.src, get(doc, 'tags')));
    }
    meta.tags = tags;
  }
  const fps = strList(ctx, doc, 'falsepositives', true);
  if (fps) meta.falsepositives = fps;
  strList(ctx, doc, 'fields');
  strList(ctx, doc, 'scope');
  const related = get(doc, 'related');
  if (related !== undefined) {
    if (!isSeq(related)) ctx.diag.add('E_SIGMA_SCHEMA', "'related' must be a list of {id, type}", posOf(ctx.src, related));
    else
      for (const r of related.items as Node[]) {
        const type = scalarValue(get(r, 'type'));
        const rid = scalarValue(get(r, 'id'));
        if (typeof rid !== 'string') ctx.diag.add('E_SIGMA_SCHEMA', "'related' entries need an 'id'", posOf(ctx.src, r));
        if (typeof type !== 'string' || !RELATED.has(type)) {
          ctx.diag.add('E_SIGMA_SCHEMA', `'related' type must be one of ${[...RELATED].join(', ')}`, posOf(ctx.src, get(r, 'type') ?? r));
        }
      }
  }
  const dt = str(ctx, doc, 'detection_type');
  if (dt !== undefined) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(dt)) ctx.diag.add('E_SIGMA_SCHEMA', `'detection_type' must be an upper-case DetectionType name, got '${dt}'`, posOf(ctx.src, get(doc, 'detection_type')));
    meta.detection_type = dt;
  }
  return meta;
}

function loadLogsource(ctx: LoadContext, doc: YNode, required: boolean): LogsourceDecl {
  const node = get(doc, 'logsource');
  if (node === undefined) {
    if (required) ctx.diag.add('E_SIGMA_SCHEMA', "missing required field 'logsource'", posOf(ctx.src, doc));
    return {};
  }
  if (!isMap(node)) {
    ctx.diag.add('E_SIGMA_SCHEMA', "'logsource' must be a map (category, product, service)", posOf(ctx.src, node));
    return {};
  }
  const ls: LogsourceDecl = {};
  for (const k of ['category', 'product', 'service', 'definition'] as const) {
    const v = str(ctx, node, k);
    if (v !== undefined) ls[k] = v;
  }
  return ls;
}

/** Keywords are text searches: a number or boolean keyword searches for its text form. */
function asKeyword(v: Val): Val {
  if (v.t === 'num' || v.t === 'bool') {
    const raw = String(v.t === 'num' ? v.n : v.b);
    return { t: 'str', s: parseSigmaString(raw), raw };
  }
  return v;
}

function yamlValue(ctx: LoadContext, n: YNode): Val | undefined {
  if (!isScalar(n)) {
    ctx.diag.add('E_SIGMA_DETECTION', 'a value must be a string, number, boolean or null (nested maps/lists are not Sigma)', posOf(ctx.src, n));
    return undefined;
  }
  const v = n.value;
  if (v === null) return { t: 'null' };
  if (typeof v === 'boolean') return { t: 'bool', b: v };
  if (typeof v === 'number') return { t: 'num', n: v };
  if (typeof v === 'bigint') return { t: 'num', n: Number(v) };
  const raw = String(v);
  return { t: 'str', s: parseSigmaString(raw), raw };
}

function renderYaml(n: YNode): string {
  if (isSeq(n)) return `[${(n.items as Node[]).map(renderYaml).join(', ')}]`;
  if (isScalar(n)) return n.value === null ? 'null' : typeof n.value === 'string' ? `'${n.value}'` : String(n.value);
  return String(n);
}

function loadItem(ctx: LoadContext, key: string, valueNode: YNode, pos: Pos | undefined): Item | undefined {
  const [fieldRaw, ...mods] = key.split('|');
  const field: string | null = fieldRaw === undefined || fieldRaw === '' ? null : fieldRaw;
  const isList = isSeq(valueNode);
  const nodes: YNode[] = isList ? ((valueNode as { items: Node[] }).items as YNode[]) : [valueNode];
  if (isList && nodes.length === 0) {
    ctx.diag.add('E_SIGMA_DETECTION', `'${key}' has an empty list of values`, pos);
    return undefined;
  }
  const values: Val[] = [];
  for (const n of nodes) {
    const v = yamlValue(ctx, n);
    if (!v) return undefined;
    values.push(field === null ? asKeyword(v) : v);
  }
  // Keywords (no field) are searched as substrings of the event's values, as full-text search
  // does; written modifiers other than `all` decide for themselves.
  const effective = field === null && !mods.some((m) => m !== 'all') ? ['contains', ...mods] : mods;
  const chain = runChain({ modifiers: effective, values, isList, placeholders: ctx.placeholders });
  if ('reason' in chain) {
    ctx.diag.add(chain.kind === 'unsupported' ? 'E_SIGMA_UNSUPPORTED' : 'E_SIGMA_MODIFIER', `${key}: ${chain.reason}`, pos, chain.kind);
    return undefined;
  }
  return { field, modifiers: mods, chain, text: `${key}: ${renderYaml(valueNode)}`, pos };
}

function loadMapSelection(ctx: LoadContext, node: YNode, items: Item[]): DetNode | undefined {
  const pairs = mapPairs(node)!;
  if (pairs.length === 0) {
    ctx.diag.add('E_SIGMA_DETECTION', 'empty map in a search identifier', posOf(ctx.src, node));
    return undefined;
  }
  const out: DetNode[] = [];
  let ok = true;
  for (const p of pairs) {
    const it = loadItem(ctx, keyString(p), p.value, keyPos(ctx.src, p));
    if (!it) ok = false;
    else {
      items.push(it);
      out.push({ k: 'item', item: it });
    }
  }
  return ok ? (out.length === 1 ? out[0] : { k: 'and', items: out }) : undefined;
}

function loadSelection(ctx: LoadContext, name: string, node: YNode, pos: Pos | undefined): Selection | undefined {
  const items: Item[] = [];
  let det: DetNode | undefined;
  if (isMap(node)) det = loadMapSelection(ctx, node, items);
  else if (isSeq(node)) {
    const elems = node.items as Node[];
    if (elems.length === 0) {
      ctx.diag.add('E_SIGMA_DETECTION', `search identifier '${name}' is an empty list`, pos);
      return undefined;
    }
    const maps = elems.filter((e) => isMap(e));
    const scalars = elems.filter((e) => !isMap(e));
    const alts: DetNode[] = [];
    let ok = true;
    for (const m of maps) {
      const d = loadMapSelection(ctx, m, items);
      if (d) alts.push(d);
      else ok = false;
    }
    if (scalars.length) {
      // a list of plain values: keyword search, OR of the values
      const it = loadKeywordList(ctx, name, scalars, pos);
      if (it) {
        items.push(it);
        alts.push({ k: 'item', item: it });
      } else ok = false;
    }
    if (!ok) return undefined;
    det = alts.length === 1 ? alts[0] : { k: 'or', items: alts };
  } else if (isScalar(node) && node.value !== null) {
    const it = loadItem(ctx, '', node, pos);
    if (!it) return undefined;
    items.push(it);
    det = { k: 'item', item: it };
  } else {
    ctx.diag.add('E_SIGMA_DETECTION', `search identifier '${name}' must be a map, a list of maps or a list of keywords`, pos);
    return undefined;
  }
  return det ? { name, node: det, items, ...(pos ? { pos } : {}) } : undefined;
}

function loadKeywordList(ctx: LoadContext, name: string, scalars: Node[], pos: Pos | undefined): Item | undefined {
  const values: Val[] = [];
  for (const n of scalars) {
    const v = yamlValue(ctx, n);
    if (!v) return undefined;
    values.push(asKeyword(v));
  }
  const chain = runChain({ modifiers: ['contains'], values, isList: true, placeholders: ctx.placeholders });
  if ('reason' in chain) {
    ctx.diag.add('E_SIGMA_MODIFIER', `${name}: ${chain.reason}`, pos, chain.kind);
    return undefined;
  }
  return { field: null, modifiers: [], chain, text: `${name}: [${scalars.map(renderYaml).join(', ')}]`, pos };
}

export function loadDetection(ctx: LoadContext, node: YNode, label: 'detection' | 'filter'): Detection | undefined {
  if (!isMap(node)) {
    ctx.diag.add('E_SIGMA_SCHEMA', `'${label}' must be a map of search identifiers and a condition`, posOf(ctx.src, node));
    return undefined;
  }
  const selections = new Map<string, Selection>();
  const before = ctx.diag.problems.length;
  for (const p of mapPairs(node)!) {
    const key = keyString(p);
    if (key === 'condition' || key === 'timeframe' || (label === 'filter' && key === 'rules')) continue;
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) {
      ctx.diag.add('E_SIGMA_DETECTION', `search identifier '${key}' may only contain letters, digits, '_', '-' and '.'`, keyPos(ctx.src, p));
      continue;
    }
    const sel = loadSelection(ctx, key, p.value, keyPos(ctx.src, p));
    if (sel) selections.set(key, sel);
  }
  const condPair = getPair(node, 'condition');
  if (!condPair) {
    ctx.diag.add('E_SIGMA_SCHEMA', `missing '${label}.condition'`, posOf(ctx.src, node));
    return undefined;
  }
  // condition: a string, or (spec prose) a list of strings OR-ed together
  const condNodes: YNode[] = isSeq(condPair.value) ? ((condPair.value.items as Node[]) as YNode[]) : [condPair.value];
  const conditions: Detection['conditions'] = [];
  const names = [...mapPairs(node)!].map(keyString).filter((k) => k !== 'condition' && k !== 'timeframe' && k !== 'rules');
  for (const cn of condNodes) {
    const text = scalarValue(cn);
    if (typeof text !== 'string' || text.trim() === '') {
      ctx.diag.add('E_SIGMA_CONDITION', 'condition must be a non-empty string', posOf(ctx.src, cn ?? condPair));
      continue;
    }
    const base = posOf(ctx.src, cn);
    try {
      conditions.push({ tree: parseCondition(text, names), text, ...(base ? { pos: base } : {}) });
    } catch (e) {
      if (!(e instanceof ConditionError)) throw e;
      ctx.diag.add('E_SIGMA_CONDITION', e.message, conditionPos(cn, base, e.offset));
    }
  }
  if (ctx.diag.problems.length > before) return undefined;
  return { selections, conditions };
}

/** Position of a character of the condition string, for single-line plain or quoted scalars. */
function conditionPos(node: YNode, base: Pos | undefined, offset: number): Pos | undefined {
  if (!base) return undefined;
  if (!isScalar(node)) return base;
  const t = node.type;
  if (t === 'PLAIN') return { line: base.line, column: base.column + offset };
  if (t === 'QUOTE_SINGLE' || t === 'QUOTE_DOUBLE') return { line: base.line, column: base.column + 1 + offset };
  return base;
}

export function loadDocument(ctx: LoadContext, doc: YNode): SigmaDoc | undefined {
  if (!isMap(doc)) {
    ctx.diag.add('E_SIGMA_SCHEMA', 'a Sigma document must be a YAML map', posOf(ctx.src, doc));
    return undefined;
  }
  const pos = posOf(ctx.src, doc);
  if (getPair(doc, 'correlation')) {
    const meta = loadMeta(ctx, doc);
    const c = get(doc, 'correlation');
    const type = scalarValue(get(c, 'type'));
    if (typeof type !== 'string' || !CORRELATION_TYPES.has(type)) {
      ctx.diag.add('E_SIGMA_CORRELATION', `correlation type must be one of ${[...CORRELATION_TYPES].join(', ')}`, posOf(ctx.src, get(c, 'type') ?? c));
    }
    const rules = strList(ctx, c, 'rules', true) ?? [];
    if (!getPair(c, 'rules')) ctx.diag.add('E_SIGMA_CORRELATION', "correlation needs 'rules'", posOf(ctx.src, c));
    const ts = scalarValue(get(c, 'timespan'));
    if (typeof ts !== 'string' || !/^\d+[smhdwMy]$/.test(ts)) {
      ctx.diag.add('E_SIGMA_CORRELATION', "correlation needs 'timespan' like 5m, 1h or 1d", posOf(ctx.src, get(c, 'timespan') ?? c));
    }
    return { kind: 'correlation', meta, type: String(type), rules, ...(pos ? { pos } : {}) };
  }
  if (getPair(doc, 'filter')) {
    const meta = loadMeta(ctx, doc);
    const logsource = loadLogsource(ctx, doc, true);
    const f = get(doc, 'filter');
    const rules = strList(ctx, f, 'rules', true);
    if (!rules) ctx.diag.add('E_SIGMA_FILTER', "filter needs 'rules': the ids or names of the rules it applies to", posOf(ctx.src, f));
    const detection = loadDetection(ctx, f, 'filter');
    if (!detection || !rules) return undefined;
    return { kind: 'filter', meta, logsource, rules, detection, ...(pos ? { pos } : {}) };
  }
  if (getPair(doc, 'action')) {
    ctx.diag.unsupported("multi-document collections ('action: global/reset/repeat') are Sigma v1; write one rule per document", posOf(ctx.src, get(doc, 'action')));
    return undefined;
  }
  const meta = loadMeta(ctx, doc);
  const logsource = loadLogsource(ctx, doc, true);
  const detNode = get(doc, 'detection');
  if (detNode === undefined) {
    ctx.diag.add('E_SIGMA_SCHEMA', "missing required field 'detection'", pos);
    return undefined;
  }
  const detection = loadDetection(ctx, detNode, 'detection');
  if (!detection) return undefined;
  return { kind: 'rule', meta, logsource, detection, ...(pos ? { pos } : {}) };
}
