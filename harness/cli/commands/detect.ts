// atomic-lab detect: evaluate one rule over event files (CONTRACTS.md `atomic-lab detect`).
import { compileRuleFile } from '../../../detections/rules.ts';
import type { Language, ResultRow } from '../../../detections/engines/types.ts';
import { UsageError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { viewEvents } from '../../telemetry/view-stream.ts';
import { getView, viewOfProfile } from '../../telemetry/views/index.ts';
import { jsonLine, table } from '../format.ts';
import { list, str } from '../parse.ts';
import type { CommandSpec } from '../spec.ts';

export const detectCommand: CommandSpec = {
  name: 'detect',
  summary: 'Evaluate one SPL, LogScale (CQL) or Sigma rule over event files and print the result rows',
  options: [
    { name: 'rule', type: 'string', argument: 'FILE', description: 'the rule file (.spl, .cql/.logscale, .yml/.yaml)' },
    { name: 'events', type: 'string', argument: 'FILE', multiple: true, description: 'event file: JSON Lines/array, Windows Event XML, .evtx, auditd log, Splunk export JSON' },
    { name: 'language', type: 'string', argument: 'LANG', choices: ['spl', 'cql', 'sigma'], description: 'rule language (default: from the extension)' },
    { name: 'macros', type: 'string', argument: 'FILE', description: 'SPL macro definitions (macros.conf stanzas or YAML name: definition), on top of detections/macros/' },
    { name: 'profile', type: 'string', argument: 'NAME', description: 'field-mapping profile for non-flat events (splunk, splunk-legacy, falcon, falcon-fdr, sigma)' },
    { name: 'format', type: 'string', argument: 'FMT', choices: ['json', 'table'], default: 'table', description: 'output format' },
    { name: 'setting', type: 'string', argument: 'KEY=VALUE', multiple: true, description: 'engine setting, e.g. groupby-missing=keep for CQL' },
  ],
  async run(args) {
    const ruleFile = str(args, 'rule');
    const eventFiles = list(args, 'events');
    if (!ruleFile) throw new UsageError('missing --rule FILE');
    if (eventFiles.length === 0) throw new UsageError('missing --events FILE');
    const settings: Record<string, string> = {};
    for (const s of list(args, 'setting')) {
      const i = s.indexOf('=');
      if (i < 1) throw new UsageError(`option --setting: expected KEY=VALUE, got '${s}'`);
      settings[s.slice(0, i)] = s.slice(i + 1);
    }
    const macros = str(args, 'macros');
    const language = str(args, 'language') as Language | undefined;
    const rule = await compileRuleFile(ruleFile, {
      ...(language ? { language } : {}),
      ...(macros ? { macroFiles: [macros] } : {}),
      settings,
    });
    const profile = str(args, 'profile');
    const viewName = profile ? viewOfProfile(profile) : rule.view;
    if (!viewName) throw new UsageError(`unknown profile '${profile}'`);
    if (viewName !== rule.view) {
      logger.warn(`profile ${profile} is a ${viewName} view but a ${rule.language} rule reads the ${rule.view} view`);
    }
    const view = getView(viewName, profile);
    const events = viewEvents(eventFiles, view, { flatJson: 'view', onWarning: (m) => logger.warn(m) });

    const json = str(args, 'format') === 'json';
    const rows: ResultRow[] = [];
    try {
      for await (const row of rule.evaluate(events)) {
        if (json) process.stdout.write(jsonLine(row));
        else rows.push(row);
      }
    } finally {
      // an input error mid-stream still shows the rows produced before it
      if (!json) process.stdout.write(table(rows));
    }
    return 0;
  },
};
