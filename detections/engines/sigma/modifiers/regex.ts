// Regular expressions (`re` with the sub-modifiers i, m, s). Spec: "Regular expressions are
// case-sensitive unless the i flag is given"; a regex matches anywhere in the value unless it
// anchors itself (pySigma backends emit unanchored searches, e.g. Splunk `| regex`).
//
// Matching uses RE2 (npm `re2`), which runs in time linear in the input: no rule can hang a run
// with catastrophic backtracking. RE2 has no lookaround and no backreferences; a rule that needs
// them is reported as unsupported with RE2's own reason.
import RE2 from 're2';
import type { ValueTest } from './values.ts';

export const REGEX_FLAGS: Record<string, string> = { i: 'i', ignorecase: 'i', m: 'm', multiline: 'm', s: 's', dotall: 's' };

export function compileRegex(source: string, flags: string): { test: ValueTest; regex: RE2 } | { error: string } {
  let re: RE2;
  try {
    re = new RE2(source, flags);
  } catch (e) {
    return { error: `regular expression /${source}/ cannot be compiled by RE2 (linear-time engine): ${(e as Error).message}` };
  }
  return { regex: re, test: (fv) => fv.strs.some((s) => re.test(s)) };
}

/** True when the pattern neither starts with ^ nor ends with $ (explain lint). */
export function isUnanchored(source: string): boolean {
  return !source.startsWith('^') && !(source.endsWith('$') && !source.endsWith('\\$'));
}
