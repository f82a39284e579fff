// JUnit XML for CI (reports.md §1.3): the lab's results planned as suites and cases, then rendered
// by mocha-junit-reporter (junit-mocha.ts).
//
// Names (reports.md §1.2, §1.3): jenkinsMode makes the classname the suite chain, whose only suite is
// `lab.<target>[.benign].T1546_016`, so Jenkins splits it into package `lab.wine` and class
// `T1546_016` (never the raw `T1546.016` at the last dot). The case name carries the test id with its
// dot, the rule and the expectation, and is made unique within its classname (GitLab drops
// duplicates of classname + name). junit-10 has no testcase properties: per-test facts (target,
// provenance, marker, GUID, signals) are testsuite properties, one suite per test result; per-rule
// facts (expected, observed, why) go to the case's system-out.
import type { DetectionResult, ResultsFile, TestResult } from '../verdicts/results.ts';
import { describeChange, historyOf, type HistoryDiff } from './history.ts';
import { renderPlan, type CasePlan, type SuitePlan } from './junit-mocha.ts';
import { ms, seconds } from './time.ts';
import { isBenign, provenanceText, ruleLabel, STATUS, statusMessage, statusOf, testId } from './status.ts';
import type { Writer, WriterOptions } from './types.ts';

export const junitWriter: Writer = (results, options) => [{ path: 'junit.xml', content: renderJUnit(results, options) }];

export function renderJUnit(results: ResultsFile, options: WriterOptions = {}): string {
  const plan = planSuites(results, historyOf(results, options.baseline));
  const { run } = results;
  return renderPlan(plan, { name: `atomic-lab ${run.id}`, time: seconds(run.started, run.finished) ?? '0.000', ...(run.host ? { host: run.host } : {}) });
}

// ---------------------------------------------------------------------------------------------
// The plan: the lab's results as suites and cases, before the reporter sees them.

const segment = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '_');

/** `lab.wine.T1546_016`, `lab.sandbox.benign.T1546_016`. */
export function junitClassname(r: TestResult): string {
  return ['lab', segment(r.target), ...(isBenign(r.test) ? ['benign'] : []), segment(r.test.technique)].join('.');
}

function caseTitle(r: TestResult, d: DetectionResult | undefined): string {
  const head = `${testId(r.test)} ${r.test.name}${isBenign(r.test) ? ' (benign)' : ''}`;
  if (!d) return `${head} [lab] could not run`;
  return `${head} [${ruleLabel(d)}] expects ${d.expected ?? 'no alert'}`;
}

function suiteProperties(results: ResultsFile, r: TestResult, diff: HistoryDiff | undefined): Record<string, string> {
  const p: Record<string, string> = {
    'run.id': results.run.id,
    'run.version': results.run.version,
    'run.commit': results.run.commit,
  };
  if (results.run.host) p['run.host'] = results.run.host;
  p['atomic.technique'] = r.test.technique;
  p['atomic.number'] = String(r.test.number);
  p['atomic.guid'] = r.test.guid;
  p['atomic.name'] = r.test.name;
  p['atomic.kind'] = r.test.kind ?? 'attack';
  p.target = r.target;
  p.provenance = r.provenance;
  if (r.source) p.source = r.source;
  if (r.marker) p.marker = r.marker;
  if (r.status) p.status = r.status;
  if (r.error) p.error = r.error;
  p['telemetry.events'] = String(r.telemetry.events);
  r.telemetry.signals.forEach((s, i) => {
    const state = s.found ? 'found' : s.observable === false ? 'not observable' : 'missing';
    p[`signal.${i + 1}`] = `${state}: ${s.description}${s.detail ? ` (${s.detail})` : ''}`;
  });
  (r.proof ?? []).forEach((x, i) => {
    p[`proof.${i + 1}`] = `${x.ok ? 'ok' : 'not shown'}: ${x.description}${x.detail ? ` (${x.detail})` : ''}`;
  });
  (r.execution ?? []).forEach((x, i) => {
    p[`execution.${i + 1}`] = `${x.phase}${x.executor ? ` (${x.executor})` : ''}: ${x.command}`;
  });
  if (diff) p['history.baseline'] = diff.baseline.id;
  return p;
}

function historyNotes(diff: HistoryDiff | undefined, d: DetectionResult): { regression: boolean; lines: string[] } {
  if (!diff) return { regression: false, lines: [] };
  const lines: string[] = [];
  let regression = false;
  const mine = (list: HistoryDiff['newMisses']) => list.find((c) => c.after?.detection === d);
  const miss = mine(diff.newMisses);
  if (miss) {
    regression = true;
    lines.push(`history: REGRESSION since baseline run ${diff.baseline.id}: ${describeChange(miss)}`);
  }
  const pass = mine(diff.newPasses);
  if (pass) lines.push(`history: new pass since baseline run ${diff.baseline.id}: ${describeChange(pass)}`);
  const changed = mine(diff.changedTypes);
  if (changed && !miss) lines.push(`history: detection type changed since baseline run ${diff.baseline.id}: ${describeChange(changed)}`);
  if (mine(diff.added)) lines.push(`history: not in baseline run ${diff.baseline.id}`);
  return { regression, lines };
}

function planCase(r: TestResult, d: DetectionResult, diff: HistoryDiff | undefined): CasePlan {
  const status = statusOf(r, d);
  const info = STATUS[status];
  const history = historyNotes(diff, d);
  const oneLine = statusMessage(r, d, status).replace(/\s+/g, ' ');
  const message = history.regression ? `REGRESSION: ${oneLine}` : oneLine;
  const output = [
    `rule: ${d.rule}`,
    `language: ${d.language}`,
    ...(d.profile ? [`profile: ${d.profile}`] : []),
    ...(d.title ? [`title: ${d.title}`] : []),
    `expected: ${d.expected ?? '(none: the rule must stay silent)'}`,
    `observed: ${d.observed.length ? d.observed.join(', ') : '(nothing)'}`,
    `verdict: ${d.verdict} (${info.label})`,
    ...(d.rows !== undefined ? [`rows: ${d.rows}`] : []),
    ...(d.reason ? [`reason: ${d.reason}`] : []),
    ...(d.why ? [`why: ${d.why}`] : []),
    `provenance: ${provenanceText(r)}`,
    ...history.lines,
  ];
  const type = status === 'lab-error' && !r.error ? 'EvaluationError' : (info.junitType ?? '');
  const body = [
    message,
    ...(d.why ? ['', `why: ${d.why}`] : []),
    '',
    `evidence: ${r.telemetry.events} events captured, ${provenanceText(r)}${r.marker ? `, marker ${r.marker}` : ''}`,
  ].join('\n');
  const plan: CasePlan = { title: caseTitle(r, d), kind: info.junit, type, message, body, output };
  if (status === 'wrong-type' && d.expected) {
    plan.expected = d.expected;
    plan.actual = d.observed.join(', ');
  }
  return plan;
}

function planLabError(r: TestResult): CasePlan {
  const message = (r.error ?? 'the test produced no detection result').replace(/\s+/g, ' ');
  return {
    title: caseTitle(r, undefined),
    kind: 'error',
    type: 'LabError',
    message,
    body: `${message}\n\nstatus: ${r.status ?? 'unknown'}, ${provenanceText(r)}`,
    output: [`provenance: ${provenanceText(r)}`, ...(r.status ? [`status: ${r.status}`] : [])],
  };
}

function planSuites(results: ResultsFile, diff: HistoryDiff | undefined): SuitePlan[] {
  const seen = new Map<string, Set<string>>();
  const unique = (classname: string, title: string): string => {
    const names = seen.get(classname) ?? new Set<string>();
    seen.set(classname, names);
    let name = title;
    for (let n = 2; names.has(name); n++) name = `${title} #${n}`;
    names.add(name);
    return name;
  };
  return results.results.map((r) => {
    const title = junitClassname(r);
    const cases = r.detections.map((d) => planCase(r, d, diff));
    if (r.error && r.detections.length === 0) cases.push(planLabError(r));
    for (const c of cases) c.title = unique(title, c.title);
    // suite time = the test's commands, first start to last finish; no commands, no duration
    const steps = r.execution ?? [];
    const start = ms(steps[0]?.started) ?? ms(results.run.started);
    const last = ms(steps[steps.length - 1]?.finished);
    const end = last !== undefined && start !== undefined && last >= start ? last : start;
    return { title, properties: suiteProperties(results, r, diff), start, end, cases };
  });
}
