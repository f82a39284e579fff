import { describe, expect, it } from 'vitest';
import { attireWriter, buildAttire } from '../../../harness/reports/attire.ts';
import { fixture, resultsOf, testResult, detection } from './fixtures.ts';

/**
 * The constraints of SecurityRiskAdvisors/ATTiRe attire-1-1-schema.json (draft-07), written out:
 * required execution-data {execution-id, execution-source, target (object)} and procedures; each
 * procedure requires steps; each step requires command (string), order (integer), time-start and
 * time-stop (strings); each output item requires type, level, content (strings); procedure order is
 * an integer; additional properties are allowed everywhere.
 */
function schemaProblems(doc: Record<string, unknown>): string[] {
  const p: string[] = [];
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const ed = doc['execution-data'];
  if (!obj(ed)) p.push('execution-data');
  else {
    for (const k of ['execution-id', 'execution-source']) if (typeof ed[k] !== 'string') p.push(k);
    if (!obj(ed.target)) p.push('target');
    for (const k of ['time-generated', 'executable', 'assessment-name', 'group-name', 'execution-command']) if (k in ed && typeof ed[k] !== 'string') p.push(k);
  }
  if (!Array.isArray(doc.procedures)) return [...p, 'procedures'];
  for (const proc of doc.procedures as unknown[]) {
    if (!obj(proc) || !Array.isArray(proc.steps)) {
      p.push('procedure.steps');
      continue;
    }
    if ('order' in proc && !Number.isInteger(proc.order)) p.push('procedure.order');
    for (const k of ['procedure-name', 'mitre-technique-id']) if (k in proc && typeof proc[k] !== 'string') p.push(k);
    for (const s of proc.steps as Array<Record<string, unknown>>) {
      if (typeof s.command !== 'string') p.push('step.command');
      if (!Number.isInteger(s.order)) p.push('step.order');
      for (const k of ['time-start', 'time-stop']) if (typeof s[k] !== 'string' || Number.isNaN(Date.parse(s[k] as string))) p.push(`step.${k}`);
      if ('output' in s) {
        if (!Array.isArray(s.output)) p.push('step.output');
        else for (const o of s.output as Array<Record<string, unknown>>) for (const k of ['type', 'level', 'content']) if (typeof o[k] !== 'string') p.push(`output.${k}`);
      }
    }
  }
  return p;
}

describe('ATTiRe 1.1 for VECTR (reports.md §4)', () => {
  it('writes one file per attack test result, none for benign scenarios, each meeting the 1.1 schema', () => {
    const files = attireWriter(fixture('nightly'), {});
    expect(files.map((f) => f.path)).toEqual(['attire/T1546.016-1-wine.json', 'attire/T1546.016-2-sandbox.json', 'attire/T1546.016-3-wine.json', 'attire/T1546.016-2-qemu.json']);
    for (const f of files) expect(schemaProblems(JSON.parse(f.content))).toEqual([]);
    for (const f of attireWriter(fixture('replay'), {})) expect(schemaProblems(JSON.parse(f.content))).toEqual([]);
    // the checker rejects what the schema rejects
    expect(schemaProblems({ 'execution-data': { 'execution-id': 1, target: [] }, procedures: [{ steps: [{ command: 'x', order: 1.5, 'time-start': 'never' }] }] })).toEqual([
      'execution-id', 'execution-source', 'target', 'step.order', 'step.time-start', 'step.time-stop',
    ]);
  });

  it('uses the run id as execution-id, the GUID as procedure-id and one step per command run (test, cleanup)', () => {
    const nightly = fixture('nightly');
    const doc = buildAttire(nightly, nightly.results[0]!) as { 'attire-version': string; 'execution-data': Record<string, unknown>; procedures: Array<Record<string, unknown> & { steps: Array<Record<string, unknown>> }> };
    expect(doc['attire-version']).toBe('1.1');
    expect(doc['execution-data']).toMatchObject({ 'execution-id': '2026-11-23T020005Z-7f3a', 'execution-source': 'atomic-lab', target: { host: 'lab-runner-1', 'x-atomic-lab-target': 'wine' } });
    const proc = doc.procedures[0]!;
    expect(proc['procedure-id']).toEqual({ type: 'guid', id: '7c1e8d2a-5b1f-4f7e-9a43-0c2f1d9e6b01' });
    expect(proc['mitre-technique-id']).toBe('T1546.016');
    expect(proc.steps.map((s) => [s.order, s['x-atomic-lab-phase'], s['time-start'], s['time-stop'], s['exit-code']])).toEqual([
      [1, 'test', '2026-11-23T02:00:06.100Z', '2026-11-23T02:00:14.912Z', 0],
      [2, 'cleanup', '2026-11-23T02:00:15.000Z', '2026-11-23T02:00:17.250Z', 0],
    ]);
    expect(proc.steps[0]!.output).toContainEqual({ type: 'proof', level: 'INFO', content: 'shown: callback received on 127.0.0.1:8765 (GET /callback?run=al-2f9c1e)' });
  });

  it('records per-rule outcomes in VECTR\'s vocabulary (reports.md §5)', () => {
    const nightly = fixture('nightly');
    const outcomes = (i: number) => ((buildAttire(nightly, nightly.results[i]!).procedures as Array<Record<string, Array<{ outcome: string }>>>)[0]!['x-atomic-lab-detections']!).map((d) => d.outcome);
    expect(outcomes(0)).toEqual(['Alerted', 'Logged', 'Logged', 'Alerted']);
    expect(outcomes(1)).toEqual(['Alerted', 'None', 'Logged', 'Alerted']);
    expect(outcomes(2)).toEqual(['Alerted', 'N/A', 'TBD']);
  });

  it('brackets a replayed result with the captured processes\' times and takes the command from the root process', () => {
    const replay = fixture('replay');
    const proc = (buildAttire(replay, replay.results[0]!).procedures as Array<{ steps: Array<Record<string, unknown>> }>)[0]!;
    expect(proc.steps).toHaveLength(1);
    expect(proc.steps[0]).toMatchObject({
      command: 'cmd.exe /c msiexec /q /i C:\\atomics\\T1546.016\\cradle.msi MARKER=al-2f9c1e',
      'time-start': '2026-11-23T02:00:06.120Z',
      'time-stop': '2026-11-23T02:00:07.500Z',
      'x-atomic-lab-command-source': 'telemetry',
    });
    const bare = resultsOf([testResult([detection()], { provenance: 'replayed', source: 'x.evtx' })]);
    const step = (buildAttire(bare, bare.results[0]!).procedures as Array<{ steps: Array<Record<string, unknown>> }>)[0]!.steps[0]!;
    expect(step).toMatchObject({ command: '(command not recorded: replayed from x.evtx (wine))', 'time-start': '2026-01-01T00:00:00.000Z', 'time-stop': '2026-01-01T00:00:10.000Z' });
  });
});
