// A recorded telemetry file (EVTX, Event XML, JSON, auditd, ...) replayed as if it were a test:
// its events are read in normalize mode and it is named after the file, so expectation files can
// address it by name (`tests: [T1218.007-11_Microsoft-Windows-Sysmon_Operational.evtx]`). With no
// expectation for it, every rule is expected to stay silent (a recording is benign until labelled).
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CanonicalEvent } from '../telemetry/model.ts';
import { readEvents } from '../telemetry/readers/index.ts';
import type { EvaluationInput } from './evaluate.ts';

export async function recordedInput(file: string, index: number): Promise<EvaluationInput> {
  const events: CanonicalEvent[] = [];
  for await (const e of readEvents(file, { flatJson: 'normalize' })) events.push(e);
  const name = path.basename(file);
  // atomic-evtx names recordings after the ART test (T1218.007-11_...): keep its technique and number
  const art = /(T\d{4}(?:\.\d{3})?)(?:-(\d+))?/.exec(name);
  const technique = art?.[1] ?? 'recorded';
  const digest = createHash('sha256').update(name).digest('hex');
  return {
    test: {
      technique,
      number: art?.[2] ? Number(art[2]) : index + 1,
      // a stable name-based uuid-shaped id, so history diffs match the same recording across runs
      guid: `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`,
      name,
    },
    target: 'replay',
    provenance: 'replayed',
    source: file,
    signals: [],
    events,
  };
}
