// The terminal summary of a run: per test one line (status, target), then one line per rule
// verdict, problems first, each with its reason, so a red run says at once what failed and why.
import { testId } from '../reports/status.ts';
import type { ResultsFile, Verdict } from '../verdicts/results.ts';

const ORDER: Verdict[] = ['ERROR', 'FAIL', 'NO_TELEMETRY', 'KNOWN_GAP', 'PASS'];


function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

export function tallyVerdicts(results: ResultsFile): Record<Verdict, number> {
  const t: Record<Verdict, number> = { PASS: 0, FAIL: 0, KNOWN_GAP: 0, NO_TELEMETRY: 0, ERROR: 0 };
  for (const r of results.results) for (const d of r.detections) t[d.verdict]++;
  return t;
}

export function renderSummary(results: ResultsFile, options: { width?: number; verbose?: boolean } = {}): string {
  const width = options.width ?? 160;
  const out: string[] = [];
  for (const r of results.results) {
    const how = r.provenance === 'executed' ? `executed on ${r.target}` : `replayed from ${r.source ?? r.target}`;
    out.push(`${testId(r.test)}  ${clip(r.test.name, 70)}  [${how}${r.status ? `, ${r.status}` : ''}]`);
    if (r.error) out.push(`  LAB ERROR  ${clip(r.error, width - 13)}`);
    for (const p of r.proof ?? []) if (!p.ok) out.push(`  proof missing: ${clip(p.description, width - 17)}`);
    for (const s of r.telemetry.signals) {
      if (!s.found && s.observable !== false) out.push(`  signal missing: ${clip(s.description, width - 18)}`);
    }
    const sorted = [...r.detections].sort((a, b) => ORDER.indexOf(a.verdict) - ORDER.indexOf(b.verdict));
    for (const d of sorted) {
      const head = `  ${d.verdict.padEnd(12)} ${d.rule}${d.profile ? ` [${d.profile}]` : ''}`;
      const exp = d.expected === null ? 'expected silence' : `expected ${d.expected}`;
      const got = d.observed.length ? `got ${d.observed.join(', ')}` : 'got nothing';
      const line = `${head}  ${exp}, ${got}`;
      const showWhy = d.why && (d.verdict !== 'PASS' || options.verbose);
      out.push(showWhy ? `${line}\n${' '.repeat(15)}why: ${clip(d.why!, width - 20)}` : line);
    }
  }
  const t = tallyVerdicts(results);
  out.push('', ORDER.filter((v) => t[v]).map((v) => `${t[v]} ${v}`).join(', ') || 'no detections evaluated');
  return out.join('\n') + '\n';
}
