// Small helpers for the Sigma engine's unit tests: a rule from a detection body, and its verdict
// on one event.
import { sigmaEngine } from '../../../../detections/engines/sigma/index.ts';
import type { SigmaCompiledRule } from '../../../../detections/engines/sigma/compiled-rule.ts';
import type { RuleError } from '../../../../harness/core/errors.ts';

export const ID = '11111111-2222-4333-8444-555555555555';

/** A rule with the given `detection:` body (YAML, indented by 4) and logsource (default: none). */
export function ruleText(detection: string, logsource = '{}'): string {
  return `title: unit test rule\nid: ${ID}\nlogsource: ${logsource}\ndetection:\n${detection.replace(/^\n/, '')}\n`;
}

export function rule(detection: string, logsource = '{}'): SigmaCompiledRule {
  return sigmaEngine.compile(ruleText(detection, logsource), { file: 'unit.yml' });
}

/** One selection `sel` with one item, condition `sel`. */
export function item(key: string, value: string): SigmaCompiledRule {
  return rule(`    sel:\n        ${key}: ${value}\n    condition: sel`);
}

export function compileError(text: string): RuleError {
  try {
    sigmaEngine.compile(text, { file: 'bad.yml' });
  } catch (e) {
    return e as RuleError;
  }
  throw new Error('expected a RuleError');
}
