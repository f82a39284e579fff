// explain: the rule's selections (stages), condition tree, indicators, keyword terms and lints.
import type { Explanation, Indicator, LintFinding, SearchTerm, Stage } from '../types.ts';
import type { SigmaCompiledRule } from './compiled-rule.ts';
import { type Cond, identifiersUsed, renderCondition } from './condition.ts';
import { getPipeline, mapField } from './logsource.ts';
import { isUnanchored } from './modifiers/regex.ts';
import type { Pos } from './problems.ts';
import type { Item } from './rule.ts';

function at(file: string, pos: Pos | undefined): { position?: { file: string; line: number; column: number } } {
  return pos ? { position: { file, ...pos } } : {};
}

function condTree(c: Cond): unknown {
  switch (c.k) {
    case 'id':
      return { selection: c.name };
    case 'not':
      return { not: condTree(c.item) };
    case 'of':
      return { [c.quant === 'all' ? 'all_of' : 'one_of']: c.pattern, selections: c.names };
    default:
      return { [c.k]: c.items.map(condTree) };
  }
}

export function explainRule(rule: SigmaCompiledRule): Explanation {
  const { doc, file } = rule;
  const det = doc.detection;
  const stages: Stage[] = [];
  const indicators: Indicator[] = [];
  const terms: SearchTerm[] = [];
  const lints: LintFinding[] = [];
  const items: Item[] = [];
  let index = 0;
  for (const s of det.selections.values()) {
    stages.push({
      index,
      name: s.name,
      text: s.items.map((i) => i.text).join('\n'),
      ...at(file, s.pos),
      predicates: s.items.map((i) => ({
        text: i.text,
        ...(i.field !== null ? { field: i.field } : {}),
        operator: i.chain.operator,
        values: i.chain.rendered,
        ...at(file, i.pos),
      })),
    });
    for (const i of s.items) {
      items.push(i);
      if (i.field === null) i.chain.rendered.forEach((term) => terms.push({ stage: index, term, ...at(file, i.pos) }));
      else indicators.push({ field: i.field, operator: i.chain.operator, values: i.chain.rendered, ...at(file, i.pos) });
    }
    index++;
  }
  for (const c of det.conditions) {
    stages.push({ index: index++, name: 'condition', text: c.text, ...at(file, c.pos), predicates: [{ text: renderCondition(c.tree), ...at(file, c.pos) }] });
  }

  // lints --------------------------------------------------------------------------------------
  const used = new Set<string>();
  det.conditions.forEach((c) => identifiersUsed(c.tree, used));
  for (const s of det.selections.values()) {
    if (!used.has(s.name)) {
      lints.push({ code: 'SIGMA_UNREACHABLE_SELECTION', severity: 'warning', message: `selection '${s.name}' is not used by the condition: it can never affect a match`, ...at(file, s.pos) });
    }
  }
  if (det.conditions.some((c) => /\ball of them\b/.test(c.text))) {
    lints.push({ code: 'SIGMA_ALL_OF_THEM', severity: 'info', message: "'all of them' is discouraged by the specification: it prevents adding filters", ...at(file, det.conditions[0]!.pos) });
  }
  const resolved = rule.resolved;
  if (resolved.unmapped) lints.push({ code: 'SIGMA_LOGSOURCE_UNMAPPED', severity: 'warning', message: `${resolved.unmapped}: the rule only sees events that carry no log-source fields`, ...at(file, doc.pos) });
  const taxonomy = getPipeline().taxonomy(doc.logsource);
  const selectors = resolved.selectors === 'any' ? [] : resolved.selectors;
  const seen = new Set<string>();
  for (const i of items) {
    if (i.chain.operator === 're' || i.chain.operator === 'not re') {
      for (const r of i.chain.rendered) {
        const src = r.slice(1, r.lastIndexOf('/'));
        if (isUnanchored(src) && !src.startsWith('.*') && !src.endsWith('.*')) {
          lints.push({ code: 'SIGMA_UNANCHORED_REGEX', severity: 'info', message: `${i.text}: the regex is not anchored (^…$) and matches anywhere in the value`, ...at(file, i.pos) });
        }
      }
    }
    if (i.field === null) {
      lints.push({ code: 'SIGMA_KEYWORD_SEARCH', severity: 'info', message: `${i.text}: keyword search scans every value of every event (slow, and depends on which fields the log source keeps)`, ...at(file, i.pos) });
      continue;
    }
    if (i.chain.operator !== 're' && i.chain.rendered.some((v) => /:\/\/|\.(php|aspx?|jsp)\?/.test(v) && v.includes('?'))) {
      lints.push({ code: 'SIGMA_UNESCAPED_QUESTION_MARK', severity: 'warning', message: `${i.text}: '?' is a single-character wildcard in Sigma; write '\\?' for a literal question mark`, ...at(file, i.pos) });
    }
    const key = i.field;
    if (seen.has(key)) continue;
    seen.add(key);
    if (taxonomy && !taxonomy.has(key)) {
      lints.push({ code: 'SIGMA_FIELD_NOT_IN_TAXONOMY', severity: 'warning', message: `field '${key}' is not a field of logsource ${JSON.stringify(doc.logsource)} in the taxonomy: no event of that source carries it`, ...at(file, i.pos) });
    }
    for (const s of selectors) {
      if (mapField(s, key) === 'unsupported') {
        lints.push({ code: 'SIGMA_FIELD_UNSUPPORTED_ON_SOURCE', severity: 'warning', message: `field '${key}' does not exist on ${s.source} events (${s.text}): items on it are unknown there, so the rule cannot decide such events`, ...at(file, i.pos) });
      }
    }
  }

  return {
    language: 'sigma',
    file,
    meta: rule.meta,
    stages,
    indicators,
    terms,
    lints,
    details: {
      logsource: doc.logsource,
      sources: selectors.map((s) => ({ source: s.source, where: s.text, fields: s.fields ? Object.fromEntries(s.fields) : 'taxonomy names' })),
      condition: det.conditions.map((c) => ({ text: c.text, rendered: renderCondition(c.tree), tree: condTree(c.tree) })),
      ...(doc.meta.author ? { author: doc.meta.author } : {}),
      ...(doc.meta.detection_type ? { detection_type: doc.meta.detection_type } : {}),
      filters: rule.filters.map((f) => ({ title: f.meta.title, id: f.meta.id, condition: f.detection.conditions.map((c) => c.text) })),
    },
  };
}
