// The cheap half of the data path: canonical events of one test → every rule over its view
// profiles → verdicts against the expectations. Works the same for executed and replayed tests.
import type { CompiledRule, MissExplanation, ResultRow, ViewEvent } from '../../detections/engines/types.ts';
import type { CanonicalEvent } from '../telemetry/model.ts';
import { getView, viewOfProfile } from '../telemetry/views/index.ts';
import { type ExpectationEntry, expectationFor } from '../verdicts/expectations.ts';
import type { DetectionResult, Signal, TestResult } from '../verdicts/results.ts';
import { type Decision, decide } from '../verdicts/verdict.ts';
import { processTree } from './process-tree.ts';
import { type RuleUnderTest, detectionTypes } from './rule-set.ts';

/** What a test gives to evaluation: the result's own fields, its signals and its canonical events. */
export type EvaluationInput = Pick<TestResult, 'test' | 'target' | 'provenance' | 'source' | 'marker' | 'status' | 'proof' | 'execution' | 'error'> & {
  signals: Signal[];
  events: CanonicalEvent[];
};

export interface Evaluated {
  result: TestResult;
  decisions: Decision[];
}

async function collect(rule: CompiledRule, events: readonly ViewEvent[]): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for await (const r of rule.evaluate(events)) rows.push(r);
  return rows;
}

function describeEvent(e: ViewEvent | undefined): string {
  if (!e) return 'event';
  const pick = (...keys: string[]) => keys.map((k) => e[k]).find((v) => typeof v === 'string' && v !== '' && v !== '-') as string | undefined;
  const image = pick('Image', 'NewProcessName', 'ImageFileName', 'FileName', 'process_path');
  const parent = pick('ParentImage', 'ParentProcessName', 'ParentBaseFileName');
  const type = pick('EventCode', 'EventID', '#event_simpleName', 'event_simpleName');
  return [type ? `EventCode ${type}` : '', image ?? '', parent ? `parent ${parent}` : ''].filter(Boolean).join(', ');
}

/** The miss explanation as one paragraph: summary, then the nearest events' false predicates. */
export function formatMiss(m: MissExplanation, events: readonly ViewEvent[], limit = 3): string {
  const parts = [m.summary];
  for (const n of m.nearest.slice(0, limit)) {
    const failed = n.failed
      .map((f) => `${f.predicate}${f.position?.line !== undefined ? ` [${f.position.line}:${f.position.column ?? 1}]` : ''}${f.detail ? ` (${f.detail})` : ''}`)
      .join('; ');
    parts.push(`nearest event #${n.eventIndex} (${describeEvent(events[n.eventIndex])}): false: ${failed || 'nothing recorded'}`);
  }
  return parts.join(' | ');
}

function telemetryGap(signals: readonly Signal[], viewEvents: number, profile: string): string | undefined {
  const missing = signals.filter((s) => s.observable !== false && !s.found);
  if (missing.length) return `expected signal not in the telemetry: ${missing.map((s) => s.description).join('; ')}`;
  if (viewEvents === 0) return `the ${profile} view has no events for this test`;
  return undefined;
}

export async function evaluateTest(input: EvaluationInput, rules: readonly RuleUnderTest[], expectations: readonly ExpectationEntry[]): Promise<Evaluated> {
  const detections: DetectionResult[] = [];
  const decisions: Decision[] = [];
  const tree = processTree(input.events);
  const views = new Map<string, { events: ViewEvent[]; origin: number[] }>();
  const viewOf = (profile: string): { events: ViewEvent[]; origin: number[] } => {
    const hit = views.get(profile);
    if (hit) return hit;
    const view = getView(viewOfProfile(profile) ?? 'sigma', profile);
    const events: ViewEvent[] = [];
    const origin: number[] = [];
    input.events.forEach((e, i) => {
      const r = view.render(e);
      if (r) {
        events.push(r);
        origin.push(i);
      }
    });
    views.set(profile, { events, origin });
    return { events, origin };
  };

  for (const rule of rules) {
    for (const profile of rule.profiles) {
      const { expectation, source } = expectationFor(expectations, input.test, rule.file, profile);
      const base = {
        rule: rule.file,
        language: rule.language,
        expected: expectation.expected,
        profile,
        ...(rule.compiled?.meta.title ? { title: rule.compiled.meta.title } : {}),
        ...(expectation.knownGap || expectation.knownFalsePositive
          ? { reason: `${expectation.knownGap ?? expectation.knownFalsePositive} (${source})` }
          : {}),
      };
      let decision: Decision;
      let observed: string[] = [];
      let rows: ResultRow[] = [];
      if (input.error) {
        decision = decide(expectation, { observed, rows: 0, labError: input.error });
      } else if (!rule.compiled) {
        decision = decide(expectation, { observed, rows: 0, ruleError: rule.error?.message ?? 'rule did not load' });
      } else {
        const compiled = rule.compiled;
        const { events, origin } = viewOf(profile);
        try {
          rows = await collect(compiled, events);
          observed = detectionTypes(rule, rows);
          const gap = telemetryGap(input.signals, events.length, profile);
          decision = decide(expectation, {
            observed,
            rows: rows.length,
            ...(gap ? { telemetryGap: gap } : {}),
            whyNot: () => formatMiss(compiled.whyNot(events), events),
          });
          if (rows.length > 0) await attribute(compiled, rule.file, events, origin, tree);
        } catch (e) {
          decision = decide(expectation, { observed, rows: 0, ruleError: (e as Error).message });
        }
      }
      decisions.push(decision);
      detections.push({ ...base, observed, verdict: decision.verdict, ...(decision.why ? { why: decision.why } : {}), rows: rows.length });
    }
  }

  const result: TestResult = {
    test: input.test,
    target: input.target,
    provenance: input.provenance,
    ...(input.source ? { source: input.source } : {}),
    ...(input.marker ? { marker: input.marker } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.proof ? { proof: input.proof } : {}),
    ...(input.error ? { error: input.error } : {}),
    ...(input.execution ? { execution: input.execution } : {}),
    telemetry: {
      events: input.events.length,
      signals: input.signals,
      processes: tree.map(({ eventIndex: _i, ...n }) => n),
    },
    detections,
  };
  if (result.status === 'telemetry_present' && detections.some((d) => d.verdict === 'PASS' && d.expected !== null)) {
    result.status = 'detected';
  }
  return { result, decisions };
}

/**
 * Which captured processes a rule fired on: an event is attributed when the rule, run over that
 * event alone, returns a row. Rules that need several events at once (joins) are attributed to
 * none of them; the report then shows the rule fired without a highlighted process.
 */
async function attribute(rule: CompiledRule, file: string, events: readonly ViewEvent[], origin: readonly number[], tree: ReturnType<typeof processTree>): Promise<void> {
  for (const node of tree) {
    // one mark per rule, whichever of its view profiles matched first
    if (node.eventIndex === undefined || node.matchedBy?.includes(file)) continue;
    const at = origin.indexOf(node.eventIndex);
    if (at < 0) continue;
    const rows = await collect(rule, [events[at]!]);
    if (rows.length) (node.matchedBy ??= []).push(file);
  }
}
