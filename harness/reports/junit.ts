// JUnit XML through mocha-junit-reporter 2.2.1, driven without running mocha (reports.md §2.3):
// plain suite and test objects and the runner's event sequence go in; the reporter builds its node
// tree (suites, cases with names/classnames, failure elements with message/type/body and the
// colour-less expected/actual diff, skipped elements, system-out, suite properties, invalid-character
// stripping). What the reporter cannot express is done by `finalize` on that tree, written down here:
//
// - `<error>`: the reporter only writes `<failure>`; lab errors become `<error>` (reports.md §1.3:
//   failure = coverage gap, error = no verdict possible) by renaming the node it built.
// - `<skipped message>`: the reporter writes a bare `<skipped/>`; the reason is added.
// - counts: the reporter's own aggregation (`getXml`) writes no `errors` outside antMode and puts
//   `skipped` on `<testsuites>`, both invalid in junit-10.xsd, so `finalize` counts and writes
//   `tests failures errors skipped time timestamp` on every suite and `name tests failures errors
//   time` on the root, then serialises with the reporter's own serialiser (`xml`).
//
// Names (reports.md §1.2, §1.3): jenkinsMode makes the classname the suite chain, whose only suite is
// `lab.<target>[.benign].T1546_016`, so Jenkins splits it into package `lab.wine` and class
// `T1546_016` (never the raw `T1546.016` at the last dot). The case name carries the test id with its
// dot, the rule and the expectation, and is made unique within its classname (GitLab drops
// duplicates of classname + name). junit-10 has no testcase properties: per-test facts (target,
// provenance, marker, GUID, signals) are testsuite properties, one suite per test result; per-rule
// facts (expected, observed, why) go to the case's system-out.
//
// Determinism: no 'start' event is emitted (its handler deletes an existing `mochaFile`), `flush` is
// replaced so nothing is written to disk, the reporter's environment overrides (MOCHA_FILE, JENKINS_MODE,
// ...) are masked while it is constructed, and its injected Date reads a clock set from the input's
// times.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { DetectionResult, ResultsFile, TestResult } from '../verdicts/results.ts';
import { describeChange, historyOf, type HistoryDiff } from './history.ts';
import { ms, seconds } from './time.ts';
import { isBenign, provenanceText, ruleLabel, STATUS, statusMessage, statusOf, testId, type JUnitKind } from './status.ts';
import type { Writer, WriterOptions } from './types.ts';

const require = createRequire(import.meta.url);

interface MochaSuite {
  title: string;
  root: boolean;
  parent?: MochaSuite;
  tests: MochaTest[];
  suites: MochaSuite[];
  fullTitle(): string;
}
interface MochaTest {
  title: string;
  parent: MochaSuite;
  duration: number;
  state?: 'passed' | 'failed';
  pending?: boolean;
  consoleOutputs?: string[];
  fullTitle(): string;
  slow(): number;
}
type XmlNode = Record<string, unknown>;
interface SuiteNode {
  testsuite: XmlNode[];
}
interface CaseNode {
  testcase: XmlNode[];
}
interface ReporterInstance {
  _options: { properties: Record<string, string> | null };
  removeInvalidCharacters(s: string): string;
  flush(testsuites: SuiteNode[]): void;
}
type ReporterClass = new (runner: EventEmitter, options: { reporterOptions: Record<string, unknown>; Date: { now(): number } }) => ReporterInstance;

const createStatsCollector = require('mocha/lib/stats-collector') as (runner: EventEmitter) => void;
const JUnitReporter = require('mocha-junit-reporter') as ReporterClass;
const serialize = require('xml') as (data: unknown, options: { declaration: boolean; indent: string }) => string;

/** Environment variables that override the reporter's options (reports.md §2.2). */
const REPORTER_ENV = ['MOCHA_FILE', 'ATTACHMENTS', 'ANT_MODE', 'ANT_HOSTNAME', 'JENKINS_MODE', 'PROPERTIES'] as const;

interface CasePlan {
  title: string;
  kind: JUnitKind;
  type: string;
  message: string;
  body: string;
  output: string[];
  expected?: string;
  actual?: string;
}

interface SuitePlan {
  title: string;
  properties: Record<string, string>;
  start: number | undefined;
  end: number | undefined;
  cases: CasePlan[];
}

export const junitWriter: Writer = (results, options) => [{ path: 'junit.xml', content: renderJUnit(results, options) }];

export function renderJUnit(results: ResultsFile, options: WriterOptions = {}): string {
  const plan = planSuites(results, historyOf(results, options.baseline));
  const { reporter, suites } = driveReporter(plan);
  return finalize(reporter, suites, plan, results);
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

// ---------------------------------------------------------------------------------------------
// Driving the reporter (reports.md §2.3).

function withoutReporterEnv<T>(fn: () => T): T {
  const saved = new Map<string, string>();
  for (const k of REPORTER_ENV) {
    const v = process.env[k];
    if (v !== undefined) saved.set(k, v);
    delete process.env[k];
  }
  try {
    return fn();
  } finally {
    for (const [k, v] of saved) process.env[k] = v;
  }
}

function driveReporter(plan: SuitePlan[]): { reporter: ReporterInstance; suites: SuiteNode[] } {
  const clock = { now: 0 };
  class InputClock extends Date {
    static override now(): number {
      return clock.now;
    }
  }
  const runner = new EventEmitter();
  createStatsCollector(runner);
  const reporter = withoutReporterEnv(
    () =>
      new JUnitReporter(runner, {
        reporterOptions: { jenkinsMode: true, includePending: true, outputs: true, mochaFile: 'junit.xml' },
        Date: InputClock,
      }),
  );
  let suites: SuiteNode[] = [];
  reporter.flush = (testsuites) => {
    suites = testsuites;
  };
  for (const sp of plan) {
    const suite: MochaSuite = { title: sp.title, root: false, tests: [], suites: [], fullTitle: () => sp.title };
    const tests = sp.cases.map((c): MochaTest => {
      const t: MochaTest = {
        title: c.title,
        parent: suite,
        duration: 0,
        consoleOutputs: c.output,
        fullTitle: () => `${sp.title} ${c.title}`,
        slow: () => 75,
      };
      suite.tests.push(t);
      return t;
    });
    reporter._options.properties = sp.properties;
    clock.now = sp.start ?? 0;
    runner.emit('suite', suite);
    sp.cases.forEach((c, i) => {
      const t = tests[i]!;
      runner.emit('test', t);
      if (c.kind === 'pass') {
        t.state = 'passed';
        runner.emit('pass', t);
      } else if (c.kind === 'skipped') {
        t.pending = true;
        runner.emit('pending', t);
      } else {
        t.state = 'failed';
        const err = Object.assign(new Error(c.message), { name: c.type, stack: c.body });
        if (c.expected !== undefined) Object.assign(err, { expected: c.expected, actual: c.actual });
        runner.emit('fail', t, err);
      }
      runner.emit('test end', t);
    });
    clock.now = sp.end ?? 0;
    runner.emit('suite end', suite);
  }
  runner.emit('end');
  return { reporter, suites };
}

// ---------------------------------------------------------------------------------------------
// What the reporter cannot express, then serialisation.

function finalize(reporter: ReporterInstance, suites: SuiteNode[], plan: SuitePlan[], results: ResultsFile): string {
  const clean = (s: string): string => reporter.removeInvalidCharacters(s);
  const total = { tests: 0, failures: 0, errors: 0 };
  suites.forEach((suite, si) => {
    const sp = plan[si]!;
    const [head, ...children] = suite.testsuite;
    const attr = (head as { _attr: Record<string, unknown> })._attr;
    const counts = { failures: 0, errors: 0, skipped: 0 };
    const cases = children.filter((n): n is XmlNode & CaseNode => 'testcase' in n);
    cases.forEach((node, ci) => {
      const cp = sp.cases[ci]!;
      const caseAttr = (node.testcase[0] as { _attr: Record<string, unknown> })._attr;
      caseAttr.name = clean(String(caseAttr.name));
      caseAttr.classname = clean(String(caseAttr.classname));
      caseAttr.time = (Number(caseAttr.time) || 0).toFixed(3);
      node.testcase = node.testcase.map((child) => {
        if (cp.kind === 'error' && 'failure' in child) return { error: child.failure };
        if ('skipped' in child) return { skipped: { _attr: { message: clean(cp.message) } } };
        return child;
      });
      if (cp.kind === 'failure') counts.failures++;
      if (cp.kind === 'error') counts.errors++;
      if (cp.kind === 'skipped') counts.skipped++;
    });
    for (const child of children) {
      if ('properties' in child) {
        for (const p of child.properties as Array<{ property: { _attr: { value: string } } }>) {
          p.property._attr.value = clean(p.property._attr.value);
        }
      }
    }
    const time = (Number(attr.time) / 1000 || 0).toFixed(3);
    (head as { _attr: Record<string, unknown> })._attr = {
      name: clean(String(attr.name)),
      tests: cases.length,
      failures: counts.failures,
      errors: counts.errors,
      skipped: counts.skipped,
      time,
      ...(sp.start !== undefined ? { timestamp: new Date(sp.start).toISOString().slice(0, -5) } : {}),
      ...(results.run.host ? { hostname: clean(results.run.host) } : {}),
    };
    total.tests += cases.length;
    total.failures += counts.failures;
    total.errors += counts.errors;
  });
  const root = {
    _attr: {
      name: clean(`atomic-lab ${results.run.id}`),
      tests: total.tests,
      failures: total.failures,
      errors: total.errors,
      time: seconds(results.run.started, results.run.finished) ?? '0.000',
    },
  };
  return serialize({ testsuites: [root, ...suites] }, { declaration: true, indent: '  ' }) + '\n';
}
