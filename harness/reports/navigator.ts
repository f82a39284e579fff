// ATT&CK Navigator layer, format 4.5 (attack-navigator layers/spec/v4.5/layerformat.md), encoded as
// reports.md §3 recommends: an explicit colour per state (it overrides the score colour), a numeric
// score for the states that have one, a legend, and per-procedure results in technique metadata.
//
// Per procedure (one attack test result): detected = every applicable rule fired the expected type;
// partial = some did; wrong type = none did but some fired another type; missed = none fired; lab
// error = no verdict; not applicable = every rule's telemetry is one the target cannot observe. A
// known gap counts as a miss (it is one, a known one); a known gap that now fires counts as detected.
// Per technique the procedures combine the same way. Score = 100 × expectations detected / applicable
// (lab errors and not-applicable excluded), so aggregates are not dragged by rows with no verdict;
// lab error is grey and unscored, not applicable is `enabled: false`. The technique has no `tactic`,
// so T1546 sub-techniques show under Persistence and Privilege Escalation alike.
import type { ResultsFile, TestResult } from '../verdicts/results.ts';
import { historyOf, historyHeadline, describeChange, type HistoryDiff } from './history.ts';
import { isBenign, ruleLabel, runProvenance, STATUS, statusOf, testId, type Status } from './status.ts';
import type { Writer } from './types.ts';

export type CoverageState = 'detected' | 'partial' | 'wrong-type' | 'missed' | 'lab-error' | 'not-applicable';

export const COVERAGE: Readonly<Record<CoverageState, { label: string; color: string }>> = {
  detected: { label: 'detected', color: STATUS.detected.color },
  partial: { label: 'partially detected', color: '#ffe766' },
  'wrong-type': { label: 'wrong detection type', color: STATUS['wrong-type'].color },
  missed: { label: 'missed', color: STATUS.missed.color },
  'lab-error': { label: 'lab error (unscored)', color: STATUS['lab-error'].color },
  'not-applicable': { label: 'not applicable (disabled)', color: '#e4e4e4' },
};

/** Navigator/ATT&CK versions written into the layer (`versions`); layer must be "4.5", navigator ≥ "4.9.0". */
export const LAYER_VERSIONS = { attack: '18', navigator: '5.2.0', layer: '4.5' } as const;

interface Coverage {
  state: CoverageState;
  detected: number;
  applicable: number;
}

const DETECTS: ReadonlySet<Status> = new Set(['detected', 'unexpected-pass']);

/** Coverage of one attack test result. */
export function procedureCoverage(r: TestResult): Coverage {
  const statuses = r.detections.map((d) => statusOf(r, d));
  const applicable = statuses.filter((s) => s !== 'not-observable' && s !== 'lab-error');
  const detected = applicable.filter((s) => DETECTS.has(s)).length;
  let state: CoverageState;
  if (applicable.length === 0) state = statuses.length > 0 && statuses.every((s) => s === 'not-observable') ? 'not-applicable' : 'lab-error';
  else if (detected === applicable.length) state = 'detected';
  else if (detected > 0) state = 'partial';
  else if (applicable.includes('wrong-type')) state = 'wrong-type';
  else state = 'missed';
  return { state, detected, applicable: applicable.length };
}

function combine(parts: Coverage[]): Coverage {
  const scored = parts.filter((p) => p.applicable > 0);
  const detected = scored.reduce((n, p) => n + p.detected, 0);
  const applicable = scored.reduce((n, p) => n + p.applicable, 0);
  const states = new Set(scored.map((p) => p.state));
  let state: CoverageState;
  if (scored.length === 0) state = parts.some((p) => p.state === 'lab-error') ? 'lab-error' : 'not-applicable';
  else if (states.size === 1) state = [...states][0]!;
  else state = detected > 0 ? 'partial' : states.has('wrong-type') ? 'wrong-type' : 'missed';
  return { state, detected, applicable };
}

type MetaItem = { name: string; value: string } | { divider: true };

function procedureMetadata(r: TestResult): MetaItem {
  const groups = new Map<Status, string[]>();
  for (const d of r.detections) {
    const s = statusOf(r, d);
    groups.set(s, [...(groups.get(s) ?? []), ruleLabel(d)]);
  }
  const text = [...groups].map(([s, rules]) => `${STATUS[s].label}: ${rules.join(', ')}`);
  if (r.error) text.unshift(`lab error: ${r.error}`);
  const how = r.provenance === 'executed' ? `executed on ${r.target}` : `replayed, ${r.target}`;
  return { name: `${testId(r.test)} ${r.test.name} (${how})`, value: text.join('; ') || 'no rule evaluated' };
}

function falsePositives(r: TestResult): MetaItem[] {
  return r.detections
    .filter((d) => statusOf(r, d) === 'false-positive')
    .map((d) => ({ name: `false positive on benign ${testId(r.test)}`, value: `${ruleLabel(d)} fired as ${d.observed.join(', ')}${d.rows !== undefined ? ` (${d.rows} rows)` : ''}` }));
}

function regressionsFor(technique: string, diff: HistoryDiff | undefined): MetaItem[] {
  if (!diff) return [];
  return diff.newMisses
    .filter((c) => c.after?.result.test.technique === technique)
    .map((c) => ({ name: `REGRESSION ${testId(c.after!.result.test)}`, value: `${ruleLabel(c.after!.detection)}: ${describeChange(c)}` }));
}

export function buildLayer(results: ResultsFile, diff: HistoryDiff | undefined): Record<string, unknown> {
  const techniques = new Map<string, TestResult[]>();
  for (const r of results.results) techniques.set(r.test.technique, [...(techniques.get(r.test.technique) ?? []), r]);
  const entries = [...techniques].map(([techniqueID, list]) => {
    const attacks = list.filter((r) => !isBenign(r.test));
    const fps = list.filter((r) => isBenign(r.test)).flatMap(falsePositives);
    const regressions = regressionsFor(techniqueID, diff);
    const metadata: MetaItem[] = [];
    attacks.forEach((r, i) => {
      if (i > 0) metadata.push({ divider: true });
      metadata.push(procedureMetadata(r));
    });
    for (const group of [fps, regressions]) if (group.length) metadata.push({ divider: true }, ...group);
    if (attacks.length === 0) {
      return { techniqueID, comment: `benign scenarios only: ${fps.length} false positive${fps.length === 1 ? '' : 's'}`, metadata };
    }
    const per = attacks.map(procedureCoverage);
    const cov = combine(per);
    const counted = per.filter((p) => p.state === 'detected').length;
    const comment = [
      `${COVERAGE[cov.state].label}: ${counted} of ${attacks.length} procedure${attacks.length === 1 ? '' : 's'} fully detected, ${cov.detected} of ${cov.applicable} rule expectations met`,
      ...(per.some((p) => p.state === 'lab-error') ? [`${per.filter((p) => p.state === 'lab-error').length} with lab errors`] : []),
      ...(fps.length ? [`${fps.length} false positive${fps.length === 1 ? '' : 's'} on benign scenarios`] : []),
      ...(regressions.length ? [`${regressions.length} new miss${regressions.length === 1 ? '' : 'es'} since baseline ${diff!.baseline.id}`] : []),
    ].join('; ');
    const entry: Record<string, unknown> = { techniqueID };
    if (cov.state === 'not-applicable') entry.enabled = false;
    else {
      if (cov.state !== 'lab-error') entry.score = Math.round((100 * cov.detected) / cov.applicable);
      entry.color = COVERAGE[cov.state].color;
    }
    entry.comment = comment;
    entry.metadata = metadata;
    return entry;
  });
  const meta: MetaItem[] = [
    { name: 'run', value: results.run.id },
    { name: 'started', value: results.run.started },
    { name: 'finished', value: results.run.finished },
    { name: 'atomic-lab', value: `${results.run.version} (${results.run.commit})` },
    ...(results.run.host ? [{ name: 'host', value: results.run.host }] : []),
    ...runProvenance(results.results).map((value) => ({ name: 'provenance', value })),
  ];
  if (diff) {
    meta.push({ divider: true }, { name: 'history', value: historyHeadline(diff) });
    for (const c of diff.newMisses) {
      meta.push({ name: `new miss ${testId(c.after!.result.test)}`, value: `${ruleLabel(c.after!.detection)}: ${describeChange(c)}` });
    }
  }
  return {
    name: `atomic-lab ${results.run.id}`,
    versions: { ...LAYER_VERSIONS },
    domain: 'enterprise-attack',
    description: `Detection coverage measured by atomic-lab ${results.run.version} (${results.run.commit}): ${runProvenance(results.results).join('; ') || 'no tests'}`,
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, showAggregateScores: true, countUnscored: false, aggregateFunction: 'min', expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques: entries,
    gradient: { colors: [COVERAGE.missed.color, COVERAGE.partial.color, COVERAGE.detected.color], minValue: 0, maxValue: 100 },
    legendItems: (Object.keys(COVERAGE) as CoverageState[]).map((k) => ({ label: COVERAGE[k].label, color: COVERAGE[k].color })),
    metadata: meta,
  };
}

export const navigatorWriter: Writer = (results, options) => [
  { path: 'navigator-layer.json', content: JSON.stringify(buildLayer(results, historyOf(results, options.baseline)), null, 2) + '\n' },
];
