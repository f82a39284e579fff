// atomic-lab explain: a rule's stages, predicates, indicators (with corpus counts), bare search
// terms and lint findings, each with line:column.
import { indicatorCorpus, indicatorKey } from '../../../detections/indicators.ts';
import { analyzeRuleFile } from '../../../detections/rules.ts';
import type { Explanation, Language } from '../../../detections/engines/types.ts';
import { formatPosition, type SourcePosition } from '../../core/errors.ts';
import { jsonLine } from '../format.ts';
import { str } from '../parse.ts';
import type { CommandSpec } from '../spec.ts';

function at(pos: SourcePosition | undefined): string {
  if (!pos || pos.line === undefined) return '';
  return `${pos.line}:${pos.column ?? 1}`;
}

export function explainText(x: Explanation, corpus: (key: string) => number): string {
  const out: string[] = [];
  out.push(`${x.file} (${x.language})${x.meta.title ? ` — ${x.meta.title}` : ''}`);
  out.push('', 'Stages and predicates:');
  for (const s of x.stages) {
    out.push(`  Stage ${s.index}: ${s.name}  [${at(s.position)}]`);
    out.push(`    ${s.text.replace(/\s*\n\s*/g, ' ')}`);
    for (const p of s.predicates) out.push(`    - ${p.text}  [${at(p.position)}]`);
  }
  out.push('', 'Indicators (field, kind, values, corpus = other rules under detections/ with the same):');
  if (x.indicators.length === 0) out.push('  (none)');
  for (const i of x.indicators) {
    out.push(`  ${i.field}  ${i.operator}  ${i.values.map((v) => JSON.stringify(v)).join(', ')}  corpus=${corpus(indicatorKey(i))}  [${at(i.position)}]`);
  }
  out.push('', 'Search terms (bare tokens matched against the raw event):');
  if (x.terms.length === 0) out.push('  (none)');
  for (const t of x.terms) out.push(`  stage ${t.stage}: ${t.term}  [${at(t.position)}]`);
  out.push('', 'Lint findings:');
  if (x.lints.length === 0) out.push('  (none)');
  for (const l of x.lints) {
    out.push(`  ${l.position ? formatPosition({ ...l.position, file: x.file }) : x.file}: ${l.severity} ${l.code}: ${l.message}`);
  }
  return out.join('\n') + '\n';
}

export const explainCommand: CommandSpec = {
  name: 'explain',
  summary: "Show a rule's stages, predicates, indicators, search terms and lint findings",
  positionals: [{ name: 'RULE_FILE', required: true, description: 'the rule file' }],
  options: [
    { name: 'format', type: 'string', argument: 'FMT', choices: ['json', 'text'], default: 'text', description: 'output format' },
    { name: 'language', type: 'string', argument: 'LANG', choices: ['spl', 'cql', 'sigma'], description: 'rule language (default: from the extension)' },
  ],
  async run(args) {
    const file = args.positionals[0]!;
    const language = str(args, 'language') as Language | undefined;
    const { explanation: x, error } = await analyzeRuleFile(file, language ? { language } : {});
    const counts = await indicatorCorpus(file);
    const corpus = (k: string) => counts.get(k) ?? 0;
    if (str(args, 'format') === 'json') {
      process.stdout.write(jsonLine({ ...x, indicators: x.indicators.map((i) => ({ ...i, corpus: corpus(indicatorKey(i)) })) }));
    } else {
      process.stdout.write(explainText(x, corpus));
    }
    if (error) {
      // the explanation is printed, but the rule itself is bad input (CONTRACTS.md exit 2)
      process.stderr.write(`atomic-lab explain: ${error.describe()}\n`);
      return 2;
    }
    return 0;
  },
};
