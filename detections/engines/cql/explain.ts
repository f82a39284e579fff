// `atomic-lab explain` for CQL: stages, predicates, indicators, bare search terms and lint findings.
import type { Explanation, Indicator, LintFinding, Predicate, SearchTerm, Stage } from '../types.ts';
import type { LeafPredicate, StepInfo } from './context.ts';
import type { Analysis } from './index.ts';
import { lintQuery } from './lints.ts';

export function explainAnalysis(analysis: Analysis): Explanation {
  const { source } = analysis;
  const stages: Stage[] = [];
  const indicators: Indicator[] = [];
  const terms: SearchTerm[] = [];

  const visit = (steps: StepInfo[], prefix: string) => {
    for (const info of steps) {
      const index = stages.length;
      const predicates: Predicate[] = (info.filter?.leaves ?? []).map((l) => predicate(analysis, l));
      stages.push({
        index,
        name: prefix + stageName(info),
        text: analysis.ctx.text(info.step),
        position: source.position(info.step.start),
        predicates,
      });
      for (const leaf of info.filter?.leaves ?? []) {
        if (leaf.field === undefined && (leaf.operator === 'contains' || leaf.operator === 'regex')) {
          terms.push({ stage: index, term: leaf.values[0] ?? leaf.text, position: source.position(leaf.span.start) });
        } else if (leaf.field !== undefined) {
          indicators.push({ field: leaf.field, operator: leaf.operator, values: leaf.values, position: source.position(leaf.span.start) });
        }
      }
      info.clauses?.forEach((c, i) => visit(c.steps, `${prefix}case branch ${i + 1}/${info.clauses!.length} · `));
    }
  };
  if (analysis.main) visit(analysis.main.steps, '');

  const lints: LintFinding[] = analysis.errors.map((d) => ({
    code: d.code,
    severity: 'error',
    message: `LogScale rejects the query: ${d.message}`,
    position: source.position(d.offset),
  }));
  if (analysis.ast) lints.push(...lintQuery(analysis));
  lints.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0));

  return {
    language: 'cql',
    file: source.file,
    meta: {},
    stages,
    indicators,
    terms,
    lints,
    details: { settings: analysis.settings, compiles: analysis.errors.length === 0 },
  };
}

function stageName(info: StepInfo): string {
  switch (info.kind) {
    case 'filter':
      return info.step.kind === 'call' ? `${info.name}()` : 'filter';
    case 'case':
      return 'case';
    case 'assign':
      return info.step.kind === 'assign' ? `${info.step.field} :=` : 'eval';
    default:
      return `${info.name}()`;
  }
}

function predicate(analysis: Analysis, l: LeafPredicate): Predicate {
  const p: Predicate = { text: l.text, operator: l.operator, values: l.values, position: analysis.source.position(l.span.start) };
  if (l.field !== undefined) p.field = l.field;
  return p;
}
