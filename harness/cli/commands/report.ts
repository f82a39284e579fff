// atomic-lab report: regenerate reports from a results.json (and diff it against a baseline).
import path from 'node:path';
import { logger } from '../../core/logger.ts';
import { hasRegression, historyHeadline, historyOf } from '../../reports/history.ts';
import { readResults } from '../../reports/load.ts';
import { REPORTER_NAMES, writeReports } from '../../reports/registry.ts';
import { list, str } from '../parse.ts';
import type { CommandSpec } from '../spec.ts';

export const reportCommand: CommandSpec = {
  name: 'report',
  summary: 'Regenerate the reports (JUnit, HTML, Navigator, ATTiRe, Markdown) from a results.json',
  positionals: [{ name: 'RESULTS_JSON', required: true, description: 'results.json written by run or replay' }],
  options: [
    { name: 'report-dir', type: 'string', argument: 'DIR', description: "where reports go (default: the results file's folder)" },
    { name: 'reporter', type: 'string', argument: 'NAME', multiple: true, choices: REPORTER_NAMES, description: 'reports to write (default: all)' },
    { name: 'baseline', type: 'string', argument: 'FILE', description: 'results.json of an earlier run to diff against; exit 1 on a regression' },
  ],
  async run(args) {
    const file = args.positionals[0]!;
    const results = await readResults(file);
    const baselineFile = str(args, 'baseline');
    const baseline = baselineFile ? await readResults(baselineFile) : undefined;
    const dir = str(args, 'report-dir') ?? path.dirname(file);
    const reporters = list(args, 'reporter');
    const written = await writeReports(results, dir, { ...(reporters.length ? { reporters } : {}), ...(baseline ? { baseline } : {}) });
    for (const w of written) process.stdout.write(`${w}\n`);
    const diff = historyOf(results, baseline);
    if (diff) logger.info(historyHeadline(diff));
    return hasRegression(diff) ? 1 : 0;
  },
};
