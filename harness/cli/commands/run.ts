// atomic-lab run: execute atomics for real, capture their telemetry, evaluate every rule, report
// (CONTRACTS.md `atomic-lab run`). Exit 0 all expectations met, 1 not met or a regression against
// the baseline, 2 bad input, 3 lab error.
import path from 'node:path';
import { loadAtomicsStrict } from '../../atomics/load.ts';
import { loadLabConfig } from '../../lab-config/load.ts';
import { selectTests } from '../../atomics/select.ts';
import { UsageError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { Progress } from '../../core/progress.ts';
import { evaluateTest, type Evaluated } from '../../run/evaluate.ts';
import { type ExecutedBundle, InterruptedError, executeTests } from '../../run/execute.ts';
import { finishRun, planRun } from '../../run/finish.ts';
import { bundleInput } from '../../run/from-bundle.ts';
import { REPO_ROOT, loadRuleSet } from '../../run/rule-set.ts';
import type { TargetChoice } from '../../targets/index.ts';
import { loadExpectations } from '../../verdicts/expectations.ts';
import { flag, list, str } from '../parse.ts';
import type { CommandSpec } from '../spec.ts';

export const ATOMICS_DIR = path.join(REPO_ROOT, 'atomics');

export const runCommand: CommandSpec = {
  name: 'run',
  summary: 'Run atomic tests for real, capture their telemetry and check every detection',
  positionals: [{ name: 'ID', variadic: true, description: 'more test ids, as for --tests' }],
  options: [
    { name: 'target', type: 'string', argument: 'NAME', choices: ['auto', 'wine', 'sandbox', 'qemu', 'vagrant', 'ssh'], default: 'auto', description: 'where the atomics run' },
    { name: 'tests', type: 'string', argument: 'ID', multiple: true, description: 'T1546.016-1, T1546.016-benign-1, an auto_generated_guid, or a test name' },
    { name: 'rules', type: 'string', argument: 'GLOB', description: 'rules to evaluate, e.g. "detections/sigma/*" (default: every rule under detections/)' },
    { name: 'report-dir', type: 'string', argument: 'DIR', description: 'where reports go (default: reports/<run-id>/ and reports/latest/)' },
    { name: 'baseline', type: 'string', argument: 'FILE', description: 'results.json of an earlier run to diff against (default: the previous run under reports/)' },
    { name: 'get-prereqs', type: 'boolean', description: 'install what the selected targets and tests need, then run' },
    { name: 'allow-host', type: 'boolean', description: 'allow commands to run on the host outside a sandbox, Wine prefix or VM' },
    { name: 'timeout', type: 'string', argument: 'SECONDS', description: 'per-test command timeout (default 120)' },
    { name: 'config', type: 'string', argument: 'FILE', description: 'lab config file for the qemu, vagrant and ssh targets (default: ./atomic-lab.yaml, else built-in settings)' },
  ],
  async run(args) {
    const ids = [...list(args, 'tests'), ...args.positionals].flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const timeout = str(args, 'timeout');
    if (timeout !== undefined && !(Number(timeout) > 0)) throw new UsageError(`option --timeout: expected seconds > 0, got '${timeout}'`);

    // everything that can be bad input is checked before any attack runs
    const selection = selectTests(loadAtomicsStrict(ATOMICS_DIR), ids);
    const expectations = loadExpectations(ATOMICS_DIR);
    const rules = await loadRuleSet(str(args, 'rules'));
    if (rules.length === 0) throw new UsageError(`--rules ${str(args, 'rules')} matches no rule under detections/`);
    const config = str(args, 'config');
    if (config) loadLabConfig({ file: config });
    const plan = planRun(str(args, 'report-dir'));
    logger.info(`run ${plan.runId}: ${selection.length} test(s), ${rules.length} rule(s)`);

    const progress = new Progress({ quiet: args.options.quiet === true });
    let bundles: readonly ExecutedBundle[];
    let interrupted = false;
    try {
      bundles = await executeTests(selection, {
        target: (str(args, 'target') ?? 'auto') as TargetChoice,
        reportDir: plan.reportDir,
        getPrereqs: flag(args, 'get-prereqs'),
        allowHost: flag(args, 'allow-host'),
        ...(timeout ? { timeoutMs: Number(timeout) * 1000 } : {}),
        ...(config ? { configFile: config } : {}),
        progress,
      });
    } catch (e) {
      if (!(e instanceof InterruptedError)) throw e;
      // what was captured before the signal is still evaluated and reported
      logger.warn(e.message);
      bundles = e.bundles as ExecutedBundle[];
      interrupted = true;
    }

    const step = progress.step(`evaluating ${rules.length} rule(s) over ${bundles.length} capture(s)`);
    const evaluated: Evaluated[] = [];
    for (const b of bundles) evaluated.push(await evaluateTest(bundleInput(b, 'executed'), rules, expectations));
    step.end('ok');
    const baseline = str(args, 'baseline');
    return finishRun(evaluated, { plan, argv: ['run', ...process.argv.slice(3)], ...(baseline ? { baseline } : {}), interrupted });
  },
};
