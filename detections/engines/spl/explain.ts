// explain(): stages with their predicates, indicators (field, operator, values), bare search terms
// and lints — the analysis the seed page of the Remote .msi rule shows, with line:column.
import type { Explanation, Indicator, Predicate, RuleMetadata, SearchTerm, Stage } from '../types.ts';
import { computedFields, expandedText, originalText, predicateIndicators, stagePredicates } from './analysis.ts';
import { lint } from './lint/index.ts';
import type { CompiledPipeline } from './runtime.ts';
import { searchLeaves } from './search/ast.ts';

export function explainPipeline(p: CompiledPipeline, meta: RuleMetadata): Explanation {
  const { src, commands } = p;
  const stages: Stage[] = [];
  const merged = new Map<string, Indicator>();
  const terms: SearchTerm[] = [];
  commands.forEach((c, i) => {
    const computed = computedFields(commands, i);
    const predicates: Predicate[] = [];
    for (const sp of stagePredicates(c)) {
      const inds = predicateIndicators(sp, computed);
      const first = inds[0];
      predicates.push({
        text: expandedText(src, sp.offset, sp.end),
        ...(first ? { field: first.field, operator: first.operator, values: first.values } : {}),
        position: src.pos(sp.offset),
      });
      for (const ind of inds) {
        const key = `${ind.field}\u0000${ind.operator}`;
        const have = merged.get(key);
        if (have) {
          for (const v of ind.values) if (!have.values.includes(v)) have.values.push(v);
        } else merged.set(key, { field: ind.field, operator: ind.operator, values: [...ind.values], position: src.pos(ind.offset) });
      }
    }
    stages.push({
      index: i + 1,
      name: c.text.implicitSearch ? 'search' : c.name,
      text: originalText(src, c.text.offset, c.text.end),
      position: src.pos(c.text.offset),
      predicates,
    });
    if (c.ast.k === 'search' && c.ast.node) {
      for (const l of searchLeaves(c.ast.node)) {
        if (l.k === 'term') terms.push({ stage: i + 1, term: l.quoted ? `"${l.value}"` : l.value, position: src.pos(l.offset) });
        else if (l.k === 'TERM' || l.k === 'CASE') terms.push({ stage: i + 1, term: `${l.k}(${l.value})`, position: src.pos(l.offset) });
      }
    }
  });
  return {
    language: 'spl',
    file: src.file,
    meta,
    stages,
    indicators: [...merged.values()],
    terms,
    lints: lint(p),
    details: {
      expanded: src.text,
      macros: src.macros.map((m) => ({ name: m.name, position: src.posOriginal(m.callOffset) })),
    },
  };
}
