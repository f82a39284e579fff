// Expected vs observed for one (test, rule, view profile): the verdict and the reason a person
// reads. Pure: the caller evaluates the rule and the telemetry; this decides what it means.
import type { Verdict } from './results.ts';

export interface Expectation {
  /** the DetectionType the rule must fire with, or null when it must stay silent */
  expected: string | null;
  /** the rule is known not to fire (or not to compile) here; the reason points at the defect */
  knownGap?: string;
  /** the rule is known to fire although expected to stay silent; the reason says why */
  knownFalsePositive?: string;
}

export interface Observation {
  /** distinct DetectionTypes in the rule's rows */
  observed: string[];
  rows: number;
  /** the rule could not be compiled or evaluated */
  ruleError?: string;
  /** the lab could not produce telemetry (prereq/execution failed, sensor failed) */
  labError?: string;
  /** expected signals the target could observe but did not find, or an empty view */
  telemetryGap?: string;
  /** computed only for a miss: the predicates that were false on the nearest events */
  whyNot?: () => string;
}

export interface Decision {
  verdict: Verdict;
  why?: string;
  /** what made the run red or not: 'lab' errors exit 3, 'rule' errors exit 2 */
  errorKind?: 'lab' | 'rule';
}

const list = (types: string[]) => types.join(', ');

export function decide(exp: Expectation, obs: Observation): Decision {
  if (obs.labError) return { verdict: 'ERROR', why: `lab error: ${obs.labError}`, errorKind: 'lab' };
  if (obs.ruleError) {
    if (exp.knownGap) return { verdict: 'KNOWN_GAP', why: `rule does not compile, as expected: ${obs.ruleError}` };
    return { verdict: 'ERROR', why: `rule error: ${obs.ruleError}`, errorKind: 'rule' };
  }
  const fired = obs.rows > 0;

  if (exp.expected === null) {
    if (!fired) {
      if (exp.knownFalsePositive) {
        return { verdict: 'FAIL', why: `stale expectation: the known false positive no longer fires (${exp.knownFalsePositive}); update the expectation` };
      }
      return { verdict: 'PASS' };
    }
    const what = obs.observed.length ? `fired with ${list(obs.observed)}` : `returned ${obs.rows} row(s)`;
    if (exp.knownFalsePositive) return { verdict: 'KNOWN_GAP', why: `known false positive: ${what}` };
    return { verdict: 'FAIL', why: `false positive: ${what} on a scenario where it must stay silent` };
  }

  if (obs.observed.includes(exp.expected)) {
    if (exp.knownGap) {
      return { verdict: 'FAIL', why: `stale expectation: the known gap no longer reproduces, the rule detected ${exp.expected} (gap: ${exp.knownGap}); update the expectation` };
    }
    const others = obs.observed.filter((t) => t !== exp.expected);
    return { verdict: 'PASS', ...(others.length ? { why: `also fired with ${list(others)}` } : {}) };
  }
  if (exp.knownGap) return { verdict: 'KNOWN_GAP', why: obs.whyNot ? obs.whyNot() : 'no match' };
  if (obs.telemetryGap) return { verdict: 'NO_TELEMETRY', why: obs.telemetryGap };
  if (obs.observed.length) {
    return { verdict: 'FAIL', why: `wrong DetectionType: fired with ${list(obs.observed)}, expected ${exp.expected}` };
  }
  if (fired) return { verdict: 'FAIL', why: `returned ${obs.rows} row(s) without a DetectionType, expected ${exp.expected}` };
  return { verdict: 'FAIL', why: obs.whyNot ? obs.whyNot() : `no result, expected ${exp.expected}` };
}

/** The run's exit code (CONTRACTS.md): 3 lab error, 2 unexpected rule error, 1 expectation not met, 0. */
export function exitCodeOf(decisions: readonly Decision[]): 0 | 1 | 2 | 3 {
  if (decisions.some((d) => d.errorKind === 'lab')) return 3;
  if (decisions.some((d) => d.errorKind === 'rule')) return 2;
  if (decisions.some((d) => d.verdict === 'FAIL' || d.verdict === 'NO_TELEMETRY' || d.verdict === 'ERROR')) return 1;
  return 0;
}
