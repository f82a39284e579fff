// Corpus-test support: events of a recorded file through the shared readers and the Sigma view
// (harness/telemetry/readers + views), exactly as `atomic-lab detect` sees them.
import { readFileSync } from 'node:fs';
import type { ViewEvent } from '../../../../detections/engines/types.ts';
import { sigmaEngine } from '../../../../detections/engines/sigma/index.ts';
import type { SigmaCompiledRule } from '../../../../detections/engines/sigma/compiled-rule.ts';
import { readEvents } from '../../../../harness/telemetry/readers/index.ts';
import { getView } from '../../../../harness/telemetry/views/index.ts';

export async function sigmaEvents(file: string): Promise<ViewEvent[]> {
  const view = getView('sigma');
  const out: ViewEvent[] = [];
  for await (const e of readEvents(file)) {
    const v = view.render(e);
    if (v) out.push(v);
  }
  return out;
}

export function compileFile(file: string): SigmaCompiledRule {
  return sigmaEngine.compile(readFileSync(file, 'utf8'), { file });
}

/** EventRecordIDs of the events the rule matches */
export function hits(rule: SigmaCompiledRule, events: readonly ViewEvent[]): string[] {
  return events.filter((e) => rule.matches(e)).map((e) => String(e.EventRecordID));
}
