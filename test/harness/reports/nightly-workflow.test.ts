// The example nightly workflow (.github/workflows/nightly.yml), parsed as YAML and checked the way
// actionlint checks structure: known keys at every level, runs-on and steps on every job, exactly one
// of uses/run per step, pinned action refs, valid cron, step ids referenced only after they exist;
// then the things this workflow is for: npm ci, apt packages from .ci/apt-packages.txt, npm start,
// reports uploaded even when the lab fails, JUnit published from the report dir.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../support/corpus.ts';

type Step = Record<string, unknown> & { uses?: string; run?: string; id?: string; if?: string; with?: Record<string, unknown> };
type Job = Record<string, unknown> & { steps: Step[] };

const WORKFLOW_KEYS = ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'];
const JOB_KEYS = ['name', 'needs', 'permissions', 'runs-on', 'environment', 'concurrency', 'outputs', 'env', 'defaults', 'if', 'steps', 'timeout-minutes', 'strategy', 'continue-on-error', 'container', 'services', 'uses', 'with', 'secrets'];
const STEP_KEYS = ['id', 'if', 'name', 'uses', 'run', 'shell', 'with', 'env', 'continue-on-error', 'timeout-minutes', 'working-directory'];
const PERMISSION_SCOPES = ['actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'id-token', 'issues', 'models', 'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses'];
const EVENTS = ['schedule', 'workflow_dispatch', 'push', 'pull_request', 'workflow_run', 'workflow_call'];

/** One field of a POSIX cron expression: *, n, a-b, lists, and /step, within [min, max]. */
function cronFieldOk(field: string, min: number, max: number): boolean {
  return field.split(',').every((part) => {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return false;
    const nums = [m[2], m[3]].filter((x): x is string => x !== undefined).map(Number);
    return nums.every((n) => n >= min && n <= max) && (m[4] === undefined || Number(m[4]) > 0);
  });
}

export function cronOk(expr: string): boolean {
  const f = expr.trim().split(/\s+/);
  const ranges: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];
  return f.length === 5 && f.every((x, i) => cronFieldOk(x, ...ranges[i]!));
}

/** Every string value inside a YAML node. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (node && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

function structureProblems(wf: Record<string, unknown>): string[] {
  const p: string[] = [];
  for (const k of Object.keys(wf)) if (!WORKFLOW_KEYS.includes(k)) p.push(`unknown workflow key ${k}`);
  if (!wf.on) p.push('missing on');
  const on = (wf.on ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(on)) if (!EVENTS.includes(k)) p.push(`unknown event ${k}`);
  for (const s of (on.schedule as Array<{ cron: string }>) ?? []) if (!cronOk(s.cron)) p.push(`bad cron ${s.cron}`);
  for (const [k, v] of Object.entries((wf.permissions ?? {}) as Record<string, string>)) {
    if (!PERMISSION_SCOPES.includes(k)) p.push(`unknown permission ${k}`);
    if (!['read', 'write', 'none'].includes(v)) p.push(`bad permission level ${k}: ${v}`);
  }
  const jobs = (wf.jobs ?? {}) as Record<string, Job>;
  if (Object.keys(jobs).length === 0) p.push('no jobs');
  for (const [name, job] of Object.entries(jobs)) {
    for (const k of Object.keys(job)) if (!JOB_KEYS.includes(k)) p.push(`${name}: unknown job key ${k}`);
    if (!job['runs-on']) p.push(`${name}: missing runs-on`);
    if (!Array.isArray(job.steps) || job.steps.length === 0) {
      p.push(`${name}: no steps`);
      continue;
    }
    const ids = new Set<string>();
    job.steps.forEach((step, i) => {
      const at = `${name}.steps[${i}]`;
      for (const k of Object.keys(step)) if (!STEP_KEYS.includes(k)) p.push(`${at}: unknown step key ${k}`);
      if ((step.uses === undefined) === (step.run === undefined)) p.push(`${at}: needs exactly one of uses/run`);
      if (step.uses !== undefined && !/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w.-]+$/.test(step.uses)) p.push(`${at}: action not pinned to a ref: ${step.uses}`);
      if (step.with !== undefined && step.uses === undefined) p.push(`${at}: with without uses`);
      if (step.shell !== undefined && step.run === undefined) p.push(`${at}: shell without run`);
      for (const text of strings(step)) {
        if ((text.match(/\$\{\{/g) ?? []).length !== (text.match(/\}\}/g) ?? []).length) p.push(`${at}: unbalanced \${{ }}`);
        for (const m of text.matchAll(/steps\.([\w-]+)\./g)) if (!ids.has(m[1]!)) p.push(`${at}: refers to step ${m[1]} before it exists`);
      }
      if (step.id) {
        if (ids.has(step.id)) p.push(`${at}: duplicate id ${step.id}`);
        ids.add(step.id);
      }
    });
  }
  return p;
}

describe('.github/workflows/nightly.yml', () => {
  const file = path.join(REPO_ROOT, '.github/workflows/nightly.yml');
  const wf = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const job = Object.values(wf.jobs as Record<string, Job>)[0]!;
  const steps = job.steps;

  it('has an actionlint-clean structure', () => {
    expect(structureProblems(wf)).toEqual([]);
  });

  it('the structure check fails on what actionlint rejects', () => {
    const bad = {
      on: { schedule: [{ cron: '61 2 * * *' }], nightly: {} },
      permissions: { checks: 'admin' },
      jobs: { a: { 'run-on': 'x', steps: [{ uses: 'actions/checkout', run: 'x' }, { with: { a: 1 }, run: 'echo ${{ steps.later.outputs.x }}' }, { run: 'echo ${{ github.sha' }, { id: 'later', run: 'x' }] } },
    };
    expect(structureProblems(bad)).toEqual([
      'unknown event nightly',
      'bad cron 61 2 * * *',
      'bad permission level checks: admin',
      'a: unknown job key run-on',
      'a: missing runs-on',
      'a.steps[0]: needs exactly one of uses/run',
      'a.steps[0]: action not pinned to a ref: actions/checkout',
      'a.steps[1]: with without uses',
      'a.steps[1]: refers to step later before it exists',
      'a.steps[2]: unbalanced ${{ }}',
    ]);
    expect(cronOk('*/15 0-6 1,15 * 1-5')).toBe(true);
    expect(cronOk('0 24 * * *')).toBe(false);
  });

  it('runs nightly and on demand', () => {
    const on = wf.on as { schedule: Array<{ cron: string }>; workflow_dispatch: unknown };
    expect(on.schedule).toHaveLength(1);
    expect('workflow_dispatch' in on).toBe(true);
  });

  it('installs with npm ci and the apt packages of .ci/apt-packages.txt, then runs npm start into the report dir', () => {
    const runs = steps.map((s) => s.run ?? '');
    const index = (re: RegExp) => runs.findIndex((r) => re.test(r));
    expect(existsSync(path.join(REPO_ROOT, '.ci/apt-packages.txt'))).toBe(true);
    const apt = index(/apt-get install .*\.ci\/apt-packages\.txt/);
    const ci = index(/^npm ci\b/);
    const start = index(/npm start -- /);
    expect(apt).toBeGreaterThan(-1);
    expect(ci).toBeGreaterThan(apt);
    expect(start).toBeGreaterThan(ci);
    expect(runs[start]).toContain('--report-dir "$REPORT_DIR"');
    expect(runs[start]).toContain('--baseline baseline/results.json');
    expect((job.env as Record<string, string>).REPORT_DIR).toBe('reports/nightly');
  });

  it('uploads the reports and publishes the JUnit file even when the lab step failed, from the same report dir', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toMatch(/!cancelled\(\)|always\(\)/);
    expect(upload.with!.path).toBe('reports/nightly/');
    const junit = steps.find((s) => s.uses?.startsWith('EnricoMi/publish-unit-test-result-action'))!;
    expect(junit.if).toMatch(/!cancelled\(\)|always\(\)/);
    expect(junit.with!.files).toBe('reports/nightly/junit.xml');
    expect((wf.permissions as Record<string, string>).checks).toBe('write');
    const summary = steps.find((s) => s.run?.includes('GITHUB_STEP_SUMMARY'))!;
    expect(summary.run).toContain('$REPORT_DIR/summary.md');
  });

  it('keeps the results of a good night only as the next baseline', () => {
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save@'))!;
    const restore = steps.find((s) => s.uses?.startsWith('actions/cache/restore@'))!;
    expect(save.if).toContain('success()');
    expect(restore.with!['restore-keys']).toBe('atomic-lab-baseline-');
    expect(steps.indexOf(restore)).toBeLessThan(steps.findIndex((s) => s.id === 'lab'));
  });
});
