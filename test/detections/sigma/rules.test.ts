// The lab's T1546.016 Sigma rules (detections/sigma/) over hand-made Sigma-view events for the
// three lab tests and their negatives (test/fixtures/sigma/t1546_016_events.jsonl): each event gets
// exactly the DetectionTypes it should, through the rules' `detection_type` attribute.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sigmaEngine } from '../../../detections/engines/sigma/index.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

const dir = path.join(REPO_ROOT, 'detections/sigma');
const rules = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => sigmaEngine.compile(readFileSync(path.join(dir, f), 'utf8'), { file: `detections/sigma/${f}` }));
const cases = readFileSync(path.join(REPO_ROOT, 'test/fixtures/sigma/t1546_016_events.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { name: string; expect: string[]; event: Record<string, unknown> });

describe('T1546.016 Sigma rules', () => {
  it('each rule declares a DetectionType, the ATT&CK tags and a uuid', () => {
    for (const r of rules) {
      expect(r.detectionType).toMatch(/^INSTALLER_/);
      expect(r.meta.tags).toEqual(expect.arrayContaining(['attack.t1546.016', 'attack.persistence', 'attack.privilege-escalation']));
      expect(r.meta.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
  for (const c of cases) {
    it(c.name, async () => {
      const observed: string[] = [];
      for (const r of rules) for await (const row of r.evaluate([c.event])) observed.push(row['sigma.detection_type'] as string);
      expect(observed.sort()).toEqual(c.expect);
    });
  }
  it('a miss is explained: on a 4688 v1 event without a parent the parent items are reported', () => {
    const r = rules.find((x) => x.detectionType === 'INSTALLER_SCRIPT_CHILD')!;
    const w = r.whyNot([{ Channel: 'Security', EventID: '4688', NewProcessName: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd' }]);
    expect(w.summary).toMatch(/ParentImage \(ParentProcessName\) is missing/);
  });
});
