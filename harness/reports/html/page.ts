// report.html: one self-contained page (inline CSS, JS and SVG; nothing fetched). Ordered for a
// detection engineer woken at 2 a.m.: verdict and regressions first, then what needs attention with
// its why, then the tests × rules matrix, then each test's proof, signals, process tree and rules,
// then benign scenarios with false positives per rule, then the run's provenance.
import type { DetectionResult, ResultsFile, TestResult, TestStatus } from '../../verdicts/results.ts';
import { falsePositivesByRule } from '../benign.ts';
import { describeChange, hasRegression, historyGroups, historyHeadline, historyOf, type HistoryChange, type HistoryDiff } from '../history.ts';
import {
  isBenign,
  provenanceText,
  ruleKey,
  ruleLabel,
  runProvenance,
  STATUS,
  STATUS_ORDER,
  statusMessage,
  statusOf,
  tally,
  testId,
  type Status,
} from '../status.ts';
import { runHeadline } from '../headline.ts';
import { CSS, SCRIPT } from './assets.ts';
import { esc } from './escape.ts';
import { processTreeSvg } from './process-tree.ts';
import type { Writer } from '../types.ts';

const LANGUAGE_ORDER = ['spl', 'cql', 'sigma'];

interface Column {
  key: string;
  label: string;
  title: string;
}

const chip = (s: Status, text = `${STATUS[s].glyph} ${STATUS[s].label}`): string => `<span class="chip s-${s}">${esc(text)}</span>`;

function columnsOf(results: ResultsFile): Column[] {
  const cols = new Map<string, Column & { language: string }>();
  for (const r of results.results) {
    for (const d of r.detections) {
      const key = ruleKey(d);
      if (!cols.has(key)) cols.set(key, { key, label: ruleLabel(d), title: `${d.rule}${d.title ? ` — ${d.title}` : ''}`, language: d.language });
    }
  }
  const lang = (l: string): number => (LANGUAGE_ORDER.indexOf(l) + 1 || 99);
  return [...cols.values()].sort((a, b) => lang(a.language) - lang(b.language) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

const allMet = (r: TestResult): boolean => !r.error && r.detections.every((d) => STATUS[statusOf(r, d)].met);

function header(results: ResultsFile, diff: HistoryDiff | undefined): string {
  const { level, text } = runHeadline(results, diff);
  const { run } = results;
  return `<header><h1><span class="verdict ${level}">${esc(text)}</span>atomic-lab run ${esc(run.id)}</h1>
<div class="meta">${esc(runProvenance(results.results).join(' · ') || 'no tests')}</div>
<div class="meta">${esc(run.started)} → ${esc(run.finished)} · atomic-lab ${esc(run.version)} (${esc(run.commit)})${run.host ? ` · host ${esc(run.host)}` : ''}${diff ? ` · baseline ${esc(diff.baseline.id)}` : ''}</div></header>`;
}

function counts(results: ResultsFile): string {
  const t = tally(results.results);
  const chips = STATUS_ORDER.filter((s) => t.byStatus[s]).map((s) => chip(s, `${STATUS[s].glyph} ${t.byStatus[s]} ${STATUS[s].label}`));
  return `<div class="counts">${chips.join('')}</div>`;
}

function changeTable(list: HistoryChange[], anchor: (r: TestResult, d: DetectionResult) => string): string {
  const rows = list.map((c) => {
    const s = (c.after ?? c.before)!;
    const link = c.after ? `<a href="#${anchor(c.after.result, c.after.detection)}">${esc(testId(s.result.test))}</a>` : esc(testId(s.result.test));
    return `<tr><td>${link} ${esc(s.result.test.name)}</td><td><code>${esc(ruleLabel(s.detection))}</code></td><td>${esc(describeChange(c))}</td><td>${c.after?.detection.why ? `<pre>${esc(c.after.detection.why)}</pre>` : ''}</td></tr>`;
  });
  return `<table><tr><th>test</th><th>rule</th><th>change</th><th>why</th></tr>${rows.join('')}</table>`;
}

function historySection(diff: HistoryDiff | undefined, anchor: (r: TestResult, d: DetectionResult) => string): string {
  if (!diff) return '';
  const body = historyGroups(diff)
    .map(({ title, changes }) => `<h4>${esc(title)} (${changes.length})</h4>${changeTable(changes, anchor)}`)
    .join('');
  return `<section id="history" class="banner${hasRegression(diff) ? '' : ' good'}"><h2>${hasRegression(diff) ? 'Regressions ' : 'History '}${esc(historyHeadline(diff))}</h2>${body || '<p>No change.</p>'}</section>`;
}

function attention(results: ResultsFile, anchor: (r: TestResult, d: DetectionResult) => string, testAnchor: (r: TestResult) => string): string {
  const rows: Array<{ status: Status; html: string }> = [];
  for (const r of results.results) {
    if (r.error && r.detections.length === 0) {
      rows.push({ status: 'lab-error', html: `<tr><td>${chip('lab-error')}</td><td><a href="#${testAnchor(r)}">${esc(testId(r.test))}</a> ${esc(r.test.name)}</td><td>${esc(provenanceText(r))}</td><td>—</td><td><pre>${esc(r.error)}</pre></td></tr>` });
    }
    for (const d of r.detections) {
      const s = statusOf(r, d);
      if (STATUS[s].met) continue;
      const why = d.why && d.why !== statusMessage(r, d, s) ? `<pre>${esc(d.why)}</pre>` : '';
      rows.push({
        status: s,
        html: `<tr><td>${chip(s)}</td><td><a href="#${anchor(r, d)}">${esc(testId(r.test))}</a> ${esc(r.test.name)}</td><td>${esc(provenanceText(r))}</td><td><code>${esc(ruleLabel(d))}</code></td><td>${esc(statusMessage(r, d, s))}${why}</td></tr>`,
      });
    }
  }
  if (rows.length === 0) return `<section id="attention" class="banner good"><h2>Nothing needs attention</h2><p>Every expectation was met.</p></section>`;
  rows.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  return `<section id="attention" class="attention"><h2>Needs attention (${rows.length})</h2><table><tr><th>status</th><th>test</th><th>how obtained</th><th>rule</th><th>what happened and why</th></tr>${rows.map((x) => x.html).join('')}</table></section>`;
}

function matrix(results: ResultsFile, cols: Column[], testAnchor: (r: TestResult) => string, anchor: (r: TestResult, d: DetectionResult) => string): string {
  const head = `<tr><th>test</th><th>target</th>${cols.map((c) => `<th class="rule" title="${esc(c.title)}">${esc(c.label)}</th>`).join('')}</tr>`;
  const row = (r: TestResult): string => {
    const byKey = new Map(r.detections.map((d) => [ruleKey(d), d]));
    const cells =
      r.detections.length === 0 && r.error
        ? `<td class="cell s-lab-error" colspan="${cols.length}"><a href="#${testAnchor(r)}">lab error: ${esc(r.error)}</a></td>`
        : cols
            .map((c) => {
              const d = byKey.get(c.key);
              if (!d) return `<td class="cell none" title="not evaluated"></td>`;
              const s = statusOf(r, d);
              return `<td class="cell s-${s}" title="${esc(`${STATUS[s].label}: ${statusMessage(r, d, s)}`)}"><a href="#${anchor(r, d)}">${esc(STATUS[s].glyph)}</a></td>`;
            })
            .join('');
    const how = r.provenance === 'executed' ? r.target : r.target === 'replay' ? 'replay' : `replay (${r.target})`;
    return `<tr class="${allMet(r) ? 'hide-when-problems' : ''}"><th class="test"><a href="#${testAnchor(r)}">${esc(testId(r.test))}</a> ${esc(r.test.name)}</th><td>${esc(how)}</td>${cells}</tr>`;
  };
  const group = (title: string, list: TestResult[]): string =>
    list.length ? `<tr class="group"><th colspan="${cols.length + 2}">${esc(title)}</th></tr>${list.map(row).join('')}` : '';
  const attacks = results.results.filter((r) => !isBenign(r.test));
  const benign = results.results.filter((r) => isBenign(r.test));
  const legend = STATUS_ORDER.map((s) => chip(s)).join('');
  return `<section id="matrix" class="matrix"><h2>Tests × rules <label class="toggle"><input type="checkbox" id="problems-only"> only problems</label></h2>
<table>${head}${group('attack tests', attacks)}${group('benign scenarios (every rule must stay silent)', benign)}</table>
<p class="legend">${legend}<span class="chip none">not evaluated</span></p></section>`;
}

const LADDER: readonly TestStatus[] = ['ran', 'effect_proven', 'telemetry_present', 'detected'];

function ladder(status: TestStatus | undefined): string {
  if (!status) return '';
  if (status === 'prereq_failed' || status === 'execution_failed') return `<div class="ladder"><span class="fail">${esc(status.replace('_', ' '))}</span></div>`;
  const reached = LADDER.indexOf(status);
  return `<div class="ladder">${LADDER.map((s, i) => `<span class="${i <= reached ? 'on' : ''}">${esc(s.replace('_', ' '))}</span>`).join('→')}</div>`;
}

function testSection(r: TestResult, tid: string, anchor: (r: TestResult, d: DetectionResult) => string): string {
  const parts: string[] = [];
  const kind = isBenign(r.test) ? ' <span class="chip s-quiet">benign scenario</span>' : '';
  parts.push(`<h3>${esc(testId(r.test))} ${esc(r.test.name)}${kind}</h3>`);
  parts.push(`<div class="detail">${esc(provenanceText(r))} · GUID <code>${esc(r.test.guid)}</code>${r.marker ? ` · run marker <code>${esc(r.marker)}</code>` : ''} · ${r.telemetry.events} events captured</div>`);
  parts.push(ladder(r.status));
  if (r.error) parts.push(`<div class="labError"><strong>Lab error</strong> (no verdict possible, not a detection miss): ${esc(r.error)}</div>`);
  if (r.execution?.length) {
    const rows = r.execution.map(
      (x) => `<tr><td>${esc(x.phase)}</td><td>${esc(x.executor ?? '')}</td><td><pre>${esc(x.command)}</pre></td><td>${x.exitCode ?? ''}${x.timedOut ? ' (timed out)' : ''}</td><td class="mono">${esc(x.started ?? '')}<br>${esc(x.finished ?? '')}</td></tr>`,
    );
    parts.push(`<h4>Commands run</h4><table><tr><th>phase</th><th>executor</th><th>command</th><th>exit</th><th>started / finished</th></tr>${rows.join('')}</table>`);
  }
  if (r.proof?.length) {
    parts.push(`<h4>Proof of execution</h4><ul class="checks">${r.proof.map((p) => `<li class="${p.ok ? 'ok' : 'no'}">${esc(p.description)}${p.detail ? ` <span class="detail">${esc(p.detail)}</span>` : ''}</li>`).join('')}</ul>`);
  } else if (r.provenance === 'replayed') {
    parts.push(`<h4>Proof of execution</h4><p class="detail">Replayed from ${esc(r.source ?? 'a recording')}: the proof belongs to the run that recorded it.</p>`);
  }
  if (r.telemetry.signals.length) {
    const li = r.telemetry.signals.map((s) => {
      const cls = s.found ? 'ok' : s.observable === false ? 'na' : 'no';
      const note = s.found ? '' : s.observable === false ? ' (not observable on this target)' : ' (missing)';
      return `<li class="${cls}">${esc(s.description)}${esc(note)}${s.detail ? ` <span class="detail">${esc(s.detail)}</span>` : ''}</li>`;
    });
    parts.push(`<h4>Expected signals</h4><ul class="checks">${li.join('')}</ul>`);
  }
  const procs = r.telemetry.processes ?? [];
  if (procs.length) {
    const label = (rule: string): string => {
      const d = r.detections.find((x) => x.rule === rule);
      return d ? ruleLabel({ rule, language: d.language }) : rule;
    };
    parts.push(`<h4>Process tree (${procs.length} processes; red = an event that matched a rule)</h4><div class="treebox">${processTreeSvg(procs, `Process tree of ${testId(r.test)}`, label)}</div>`);
  }
  if (r.detections.length) {
    const rows = r.detections.map((d) => {
      const s = statusOf(r, d);
      // the status message already quotes the reason of a known gap: do not repeat it
      const notes = [d.reason && s !== 'known-gap' ? `reason: ${d.reason}` : '', d.why ? `why: ${d.why}` : ''].filter(Boolean);
      return `<tr class="det" id="${anchor(r, d)}"><td><code title="${esc(d.rule)}">${esc(ruleLabel(d))}</code>${d.title ? `<div class="detail">${esc(d.title)}</div>` : ''}</td><td>${esc(d.expected ?? 'stay silent')}</td><td>${esc(d.observed.join(', ') || '—')}</td><td>${d.rows ?? ''}</td><td>${chip(s)}<div>${esc(statusMessage(r, d, s))}</div>${notes.map((n) => `<pre>${esc(n)}</pre>`).join('')}</td></tr>`;
    });
    parts.push(`<h4>Rules</h4><table><tr><th>rule</th><th>expected</th><th>observed</th><th>rows</th><th>verdict</th></tr>${rows.join('')}</table>`);
  }
  return `<section class="test${allMet(r) ? ' all-met hide-when-problems' : ''}" id="${tid}">${parts.join('\n')}</section>`;
}

function benignSection(results: ResultsFile): string {
  const rows = falsePositivesByRule(results);
  if (rows.length === 0) return '';
  const tr = rows.map(
    (f) => `<tr><td><code title="${esc(f.rule)}">${esc(f.label)}</code></td><td>${f.fired ? chip('false-positive', `${f.fired} of ${f.scenarios}`) : chip('quiet', `0 of ${f.scenarios}`)}</td><td>${f.rows}</td></tr>`,
  );
  return `<section id="benign"><h2>Benign scenarios: false positives per rule</h2><table><tr><th>rule</th><th>benign scenarios it fired on</th><th>rows</th></tr>${tr.join('')}</table></section>`;
}

function provenanceSection(results: ResultsFile): string {
  const rows = results.results.map(
    (r, i) => `<tr><td><a href="#t${i}">${esc(testId(r.test))}</a></td><td>${esc(r.provenance)}</td><td>${esc(r.target)}</td><td>${esc(r.source ?? '')}</td><td>${esc(r.status ?? '')}</td></tr>`,
  );
  const { run } = results;
  return `<section id="provenance"><h2>Provenance</h2><p>Run <code>${esc(run.id)}</code>, atomic-lab ${esc(run.version)} at commit <code>${esc(run.commit)}</code>${run.host ? ` on <code>${esc(run.host)}</code>` : ''}, ${esc(run.started)} → ${esc(run.finished)}${run.command ? `: <code>${esc(run.command.join(' '))}</code>` : ''}.</p>
<table><tr><th>test</th><th>provenance</th><th>target</th><th>source</th><th>status</th></tr>${rows.join('')}</table></section>`;
}

export function renderHtml(results: ResultsFile, diff: HistoryDiff | undefined): string {
  const index = new Map(results.results.map((r, i) => [r, i]));
  const testAnchor = (r: TestResult): string => `t${index.get(r) ?? 'x'}`;
  const anchor = (r: TestResult, d: DetectionResult): string => `${testAnchor(r)}-d${r.detections.indexOf(d)}`;
  const cols = columnsOf(results);
  const body = [
    header(results, diff),
    '<main>',
    counts(results),
    historySection(diff, anchor),
    attention(results, anchor, testAnchor),
    matrix(results, cols, testAnchor, anchor),
    ...results.results.map((r) => testSection(r, testAnchor(r), anchor)),
    benignSection(results),
    provenanceSection(results),
    '</main>',
    `<footer>Generated by atomic-lab from results.json of run ${esc(results.run.id)}.</footer>`,
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>atomic-lab ${esc(results.run.id)}</title>
<style>${CSS}</style></head>
<body>
${body.join('\n')}
<script>${SCRIPT}</script>
</body></html>
`;
}

export const htmlWriter: Writer = (results, options) => [
  { path: 'report.html', content: renderHtml(results, historyOf(results, options.baseline)) },
];
