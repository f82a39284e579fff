// The end of `run` and `replay`: results.json and every report into the report folder (and
// reports/latest/), the terminal summary, the history diff against a baseline, the exit code.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { version } from '../cli/main.ts';
import { logger } from '../core/logger.ts';
import { hasRegression, historyOf } from '../reports/history.ts';
import { findPreviousResults, readResults } from '../reports/load.ts';
import { writeReports } from '../reports/registry.ts';
import type { ResultsFile } from '../verdicts/results.ts';
import { type Decision, exitCodeOf } from '../verdicts/verdict.ts';
import type { Evaluated } from './evaluate.ts';
import { REPO_ROOT } from './rule-set.ts';
import { renderSummary } from './summary.ts';

export const REPORTS_ROOT = path.join(REPO_ROOT, 'reports');

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export interface RunPlan {
  runId: string;
  started: string;
  /** where this run's reports go */
  reportDir: string;
  /** true when reportDir is reports/<run-id>/, which is then copied to reports/latest/ */
  defaultDir: boolean;
}

export function planRun(reportDirOption: string | undefined): RunPlan {
  const runId = newRunId();
  const reportDir = reportDirOption ? path.resolve(reportDirOption) : path.join(REPORTS_ROOT, runId);
  mkdirSync(reportDir, { recursive: true });
  return { runId, started: new Date().toISOString(), reportDir, defaultDir: !reportDirOption };
}

export interface FinishOptions {
  plan: RunPlan;
  argv: string[];
  baseline?: string;
  /** only when the run could not finish (e.g. interrupted): forces exit 3 after writing */
  interrupted?: boolean;
}

export async function finishRun(evaluated: readonly Evaluated[], options: FinishOptions): Promise<number> {
  const { plan } = options;
  const results: ResultsFile = {
    run: {
      id: plan.runId,
      started: plan.started,
      finished: new Date().toISOString(),
      version: version(),
      commit: gitCommit(),
      command: ['atomic-lab', ...options.argv],
      host: hostname(),
    },
    results: evaluated.map((e) => e.result),
  };
  // without --baseline: the previous run under reports/ (CONTRACTS.md), only when this run writes
  // there too; a run into a folder of the user's choosing has no implicit baseline
  const baseline = options.baseline
    ? { file: options.baseline, results: await readResults(options.baseline) }
    : plan.defaultDir
      ? await findPreviousResults(REPORTS_ROOT, plan.runId)
      : undefined;
  const written = await writeReports(results, plan.reportDir, baseline ? { baseline: baseline.results } : {});
  if (plan.defaultDir) {
    const latest = path.join(REPORTS_ROOT, 'latest');
    if (existsSync(latest)) rmSync(latest, { recursive: true, force: true });
    cpSync(plan.reportDir, latest, { recursive: true });
  }
  process.stdout.write(renderSummary(results));
  const diff = historyOf(results, baseline?.results);
  const regression = hasRegression(diff);
  if (baseline) {
    logger.info(
      regression
        ? `REGRESSION against ${baseline.file}: ${diff!.newMisses.length} new miss(es); see the history section of the reports`
        : `no regression against ${baseline.file}`,
    );
  }
  const report = written.find((f) => f.endsWith('report.html'));
  logger.info(`reports: ${path.relative(process.cwd(), plan.reportDir) || '.'}/${report ? ` (open ${path.relative(process.cwd(), report)})` : ''}`);
  const decisions: Decision[] = evaluated.flatMap((e) => e.decisions);
  const code = exitCodeOf(decisions);
  // a lab error is exit 3 even when no rule was evaluated for that test
  if (options.interrupted || evaluated.some((e) => e.result.error)) return 3;
  return code === 0 && regression ? 1 : code;
}
