// A Markdown summary for a CI job summary ($GITHUB_STEP_SUMMARY, 1 MiB) or a PR comment (65,536
// characters): headline, counts, regressions, what needs attention with the why, false positives per
// rule; the long tail folded in <details>. Tables are capped so the file stays far below both limits.
import type { ResultsFile, TestResult } from '../verdicts/results.ts';
import { describeChange, hasRegression, historyGroups, historyHeadline, historyOf, type HistoryChange, type HistoryDiff } from './history.ts';
import { falsePositivesByRule, type FalsePositiveRow } from './benign.ts';
import { runHeadline } from './headline.ts';
import { ruleLabel, runProvenance, STATUS, STATUS_ORDER, statusMessage, statusOf, tally, testId, type Status } from './status.ts';
import type { Writer } from './types.ts';

const MAX_ROWS = 50;
const MAX_CELL = 300;

export function mdCell(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  const cut = flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function table(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return [];
  const shown = rows.slice(0, MAX_ROWS);
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...shown.map((r) => `| ${r.join(' | ')} |`)];
  if (rows.length > shown.length) out.push('', `…and ${rows.length - shown.length} more in report.html.`);
  return out;
}

interface Row {
  r: TestResult;
  status: Status;
  cells: string[];
}

function rowsOf(results: ResultsFile, keep: (s: Status) => boolean): Row[] {
  const rows: Row[] = [];
  for (const r of results.results) {
    for (const d of r.detections) {
      const status = statusOf(r, d);
      if (!keep(status)) continue;
      rows.push({
        r,
        status,
        cells: [
          `${STATUS[status].glyph} ${STATUS[status].label}`,
          mdCell(`${testId(r.test)} ${r.test.name}`),
          mdCell(r.provenance === 'executed' ? r.target : `replay: ${r.source ?? r.target}`),
          `\`${mdCell(ruleLabel(d))}\``,
          mdCell(statusMessage(r, d, status)),
          mdCell(d.why ?? ''),
        ],
      });
    }
  }
  return rows.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
}

function changeRows(list: HistoryChange[]): string[][] {
  return list.map((c) => {
    const side = (c.after ?? c.before)!;
    return [mdCell(`${testId(side.result.test)} ${side.result.test.name}`), `\`${mdCell(ruleLabel(side.detection))}\``, mdCell(describeChange(c)), mdCell(c.after?.detection.why ?? '')];
  });
}

function historySection(diff: HistoryDiff): string[] {
  const out = ['', `### ${hasRegression(diff) ? '🔻 Regressions' : 'History'} ${mdCell(historyHeadline(diff))}`];
  const head = ['test', 'rule', 'change', 'why'];
  for (const { title, changes } of historyGroups(diff)) {
    const rows = table(head, changeRows(changes));
    // new misses stay open; the rest folds away
    if (changes === diff.newMisses) out.push('', `**${title} (${changes.length})**`, '', ...rows);
    else out.push('', `<details><summary>${title} (${changes.length})</summary>`, '', ...rows, '', '</details>');
  }
  return out;
}

function fpSection(rows: FalsePositiveRow[]): string[] {
  if (rows.length === 0) return [];
  return [
    '',
    '### Benign scenarios: false positives per rule',
    '',
    ...table(
      ['rule', 'benign scenarios fired / run', 'rows'],
      rows.map((f) => [`\`${mdCell(f.label)}\``, `${f.fired} / ${f.scenarios}`, String(f.rows)]),
    ),
  ];
}

export function renderMarkdown(results: ResultsFile, diff: HistoryDiff | undefined): string {
  const t = tally(results.results);
  const labErrors = results.results.filter((r) => r.error);
  const { level, text } = runHeadline(results, diff);
  const icon = { ok: '✅', warn: '⚠️', bad: '❌' }[level];
  const { run } = results;
  const out = [
    `## ${icon} atomic-lab ${mdCell(run.id)}: ${text}`,
    '',
    `${runProvenance(results.results).map(mdCell).join('; ') || 'no tests'} · atomic-lab ${mdCell(run.version)} (${mdCell(run.commit)})${run.host ? ` on ${mdCell(run.host)}` : ''} · ${mdCell(run.started)} → ${mdCell(run.finished)}`,
    '',
    ...table(
      ['status', 'count'],
      STATUS_ORDER.filter((s) => t.byStatus[s]).map((s) => [`${STATUS[s].glyph} ${STATUS[s].label}`, String(t.byStatus[s])]),
    ),
  ];
  if (diff) out.push(...historySection(diff));
  if (labErrors.length) {
    out.push('', '### Lab errors (no verdict possible)', '');
    for (const r of labErrors) out.push(`- **${mdCell(testId(r.test))}** ${mdCell(r.test.name)} on ${mdCell(r.target)}: ${mdCell(r.error ?? '')}`);
  }
  const attention = rowsOf(results, (s) => !STATUS[s].met);
  const head = ['status', 'test', 'target', 'rule', 'what happened', 'why'];
  if (attention.length) out.push('', `### Needs attention (${attention.length})`, '', ...table(head, attention.map((x) => x.cells)));
  out.push(...fpSection(falsePositivesByRule(results)));
  const accepted = rowsOf(results, (s) => s === 'known-gap' || s === 'not-observable');
  if (accepted.length) {
    out.push('', `<details><summary>Known gaps and not observable here (${accepted.length})</summary>`, '', ...table(head, accepted.map((x) => x.cells)), '', '</details>');
  }
  out.push('', 'Full report: `report.html`; CI: `junit.xml`; coverage: `navigator-layer.json`; VECTR: `attire/`.');
  return out.join('\n') + '\n';
}

export const markdownWriter: Writer = (results, options) => [
  { path: 'summary.md', content: renderMarkdown(results, historyOf(results, options.baseline)) },
];
