// atomic-lab replay: re-evaluate rules over capture bundles written by `run`, or over recorded
// telemetry files, and check the expectations that apply (CONTRACTS.md `atomic-lab replay`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BUNDLE_FILE, readBundle } from '../../capture/bundle.ts';
import { InputError, UsageError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { Progress } from '../../core/progress.ts';
import { evaluateTest, type EvaluationInput, type Evaluated } from '../../run/evaluate.ts';
import { finishRun, planRun } from '../../run/finish.ts';
import { bundleInput } from '../../run/from-bundle.ts';
import { recordedInput } from '../../run/recorded.ts';
import { loadRuleSet } from '../../run/rule-set.ts';
import { loadExpectations } from '../../verdicts/expectations.ts';
import { str } from '../parse.ts';
import type { CommandSpec } from '../spec.ts';
import { ATOMICS_DIR } from './run.ts';

/** A bundle folder, a report folder (its captures/), or a telemetry file. */
export function expandReplayArgs(args: readonly string[]): { bundles: string[]; files: string[] } {
  const bundles: string[] = [];
  const files: string[] = [];
  for (const a of args) {
    if (!existsSync(a)) throw new InputError('E_READ', 'no such file or folder', { file: a });
    if (statSync(a).isDirectory()) {
      if (existsSync(path.join(a, BUNDLE_FILE))) bundles.push(a);
      else if (existsSync(path.join(a, 'captures'))) {
        for (const d of readdirSync(path.join(a, 'captures')).sort()) {
          if (existsSync(path.join(a, 'captures', d, BUNDLE_FILE))) bundles.push(path.join(a, 'captures', d));
        }
      } else throw new UsageError(`${a} is a folder but neither a capture bundle (no ${BUNDLE_FILE}) nor a report folder (no captures/)`);
    } else if (path.basename(a) === BUNDLE_FILE) bundles.push(path.dirname(a));
    else files.push(a);
  }
  return { bundles, files };
}

export const replayCommand: CommandSpec = {
  name: 'replay',
  summary: 'Evaluate rules over capture bundles or recorded telemetry and check expectations',
  positionals: [{ name: 'CAPTURE_OR_FILE', required: true, variadic: true, description: 'capture bundle, report folder (all its captures) or telemetry file' }],
  options: [
    { name: 'rules', type: 'string', argument: 'GLOB', description: 'rules to evaluate (default: every rule under detections/)' },
    { name: 'report-dir', type: 'string', argument: 'DIR', description: 'where reports go (default: reports/<run-id>/ and reports/latest/)' },
    { name: 'baseline', type: 'string', argument: 'FILE', description: 'results.json of an earlier run to diff against (default: the previous run under reports/)' },
  ],
  async run(args) {
    const { bundles, files } = expandReplayArgs(args.positionals);
    if (bundles.length + files.length === 0) throw new UsageError('nothing to replay');
    const expectations = loadExpectations(ATOMICS_DIR);
    const rules = await loadRuleSet(str(args, 'rules'));
    if (rules.length === 0) throw new UsageError(`--rules ${str(args, 'rules')} matches no rule under detections/`);
    // read every input before writing anything: a bad file is exit 2 with nothing half-written
    const inputs: EvaluationInput[] = [];
    for (const b of bundles) inputs.push(bundleInput(readBundle(b), 'replayed', path.resolve(b)));
    for (const [i, f] of files.entries()) inputs.push(await recordedInput(f, i));
    const plan = planRun(str(args, 'report-dir'));
    logger.info(`replay ${plan.runId}: ${inputs.length} input(s), ${rules.length} rule(s)`);

    const step = new Progress({ quiet: args.options.quiet === true }).step(`evaluating ${rules.length} rule(s) over ${inputs.length} input(s)`);
    const evaluated: Evaluated[] = [];
    for (const input of inputs) evaluated.push(await evaluateTest(input, rules, expectations));
    step.end('ok');
    const baseline = str(args, 'baseline');
    return finishRun(evaluated, { plan, argv: ['replay', ...process.argv.slice(3)], ...(baseline ? { baseline } : {}) });
  },
};
