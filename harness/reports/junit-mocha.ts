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
// Determinism: no 'start' event is emitted (its handler deletes an existing `mochaFile`), `flush` is
// replaced so nothing is written to disk, the reporter's environment overrides (MOCHA_FILE, JENKINS_MODE,
// ...) are masked while it is constructed, and its injected Date reads a clock set from the input's
// times.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { JUnitKind } from './status.ts';

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

/** One testcase: its title (the JUnit name), outcome and texts. */
export interface CasePlan {
  title: string;
  kind: JUnitKind;
  type: string;
  message: string;
  body: string;
  output: string[];
  expected?: string;
  actual?: string;
}

/** One testsuite: its title (also the cases' classname), properties, times (ms) and cases. */
export interface SuitePlan {
  title: string;
  properties: Record<string, string>;
  start: number | undefined;
  end: number | undefined;
  cases: CasePlan[];
}

/** What the root `<testsuites>` and every suite's host say. */
export interface RootInfo {
  name: string;
  /** seconds with 3 decimals */
  time: string;
  host?: string;
}

/** The whole junit.xml for a plan. */
export function renderPlan(plan: SuitePlan[], root: RootInfo): string {
  const { reporter, suites } = driveReporter(plan);
  return finalize(reporter, suites, plan, root);
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

function finalize(reporter: ReporterInstance, suites: SuiteNode[], plan: SuitePlan[], root: RootInfo): string {
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
      ...(root.host ? { hostname: clean(root.host) } : {}),
    };
    total.tests += cases.length;
    total.failures += counts.failures;
    total.errors += counts.errors;
  });
  const head = { _attr: { name: clean(root.name), tests: total.tests, failures: total.failures, errors: total.errors, time: root.time } };
  return serialize({ testsuites: [head, ...suites] }, { declaration: true, indent: '  ' }) + '\n';
}
