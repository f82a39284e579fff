// ATTiRe 1.1 JSON for VECTR import (SecurityRiskAdvisors/ATTiRe attire-1-1-schema.json; reports.md §4),
// one file per attack test result under attire/. Required by the schema: `execution-data`
// {`execution-id`, `execution-source`, `target`} and `procedures[]` {`steps[]` {`command`, `order`
// (integer), `time-start`, `time-stop`}}; output items need `type`, `level`, `content`. Every level
// allows additional properties, which carry the lab's per-rule outcomes in VECTR's vocabulary
// (reports.md §5) as `x-atomic-lab-detections`.
//
// execution-id = the run id, procedure-id = the atomic's auto_generated_guid, one step per command run
// (results.json `execution`, test then cleanup). A replayed result has no executed command: its one step
// is the root process's command line from the telemetry (or a note naming the recording), and its times
// bracket the captured processes — the window a VECTR user searches — else the run's start and end.
// Benign scenarios are not attack procedures and get no ATTiRe file.
import type { ResultsFile, TestResult } from '../verdicts/results.ts';
import { isBenign, provenanceText, STATUS, statusMessage, statusOf, testId } from './status.ts';
import { ms } from './time.ts';
import type { ReportFile, Writer } from './types.ts';

const TOOL: Readonly<Record<string, string>> = { spl: 'Splunk', cql: 'CrowdStrike Falcon LogScale', sigma: 'Sigma' };

const iso = (s: string | undefined, fallback: string): string => {
  const t = ms(s) ?? ms(fallback);
  return t === undefined ? fallback : new Date(t).toISOString();
};

function steps(results: ResultsFile, r: TestResult): Array<Record<string, unknown>> {
  const { started, finished } = results.run;
  const proof = (r.proof ?? []).map((p) => ({
    type: 'proof',
    level: p.ok ? 'INFO' : 'WARN',
    content: `${p.ok ? 'shown' : 'not shown'}: ${p.description}${p.detail ? ` (${p.detail})` : ''}`,
  }));
  const executed = r.execution ?? [];
  if (executed.length) {
    return executed.map((x, i) => ({
      order: i + 1,
      command: x.command,
      ...(x.executor ? { executor: x.executor } : {}),
      'time-start': iso(x.started, started),
      'time-stop': iso(x.finished ?? x.started, finished),
      ...(x.exitCode !== undefined ? { 'exit-code': x.exitCode } : {}),
      ...(x.timedOut !== undefined ? { 'is-timeout': x.timedOut } : {}),
      'x-atomic-lab-phase': x.phase,
      output: x.phase === 'test' ? proof : [],
    }));
  }
  const procs = r.telemetry.processes ?? [];
  const root = procs.find((p) => !p.parentId || !procs.some((q) => q.id === p.parentId));
  const times = procs.map((p) => ms(p.time)).filter((t): t is number => t !== undefined);
  const command = root?.commandLine ?? root?.image;
  return [
    {
      order: 1,
      command: command ?? `(command not recorded: ${provenanceText(r)})`,
      'time-start': times.length ? new Date(Math.min(...times)).toISOString() : iso(started, started),
      'time-stop': times.length ? new Date(Math.max(...times)).toISOString() : iso(finished, finished),
      'x-atomic-lab-command-source': command ? 'telemetry' : 'none',
      output: proof,
    },
  ];
}

export function buildAttire(results: ResultsFile, r: TestResult): Record<string, unknown> {
  const detections = r.detections.map((d) => {
    const status = statusOf(r, d);
    return {
      tool: TOOL[d.language] ?? d.language,
      rule: d.rule,
      ...(d.profile ? { profile: d.profile } : {}),
      expected: d.expected,
      observed: d.observed,
      verdict: d.verdict,
      outcome: STATUS[status].vectr,
      note: statusMessage(r, d, status),
    };
  });
  return {
    'attire-version': '1.1',
    'execution-data': {
      'execution-source': 'atomic-lab',
      'execution-id': results.run.id,
      'execution-category': { name: 'atomic-lab', abbreviation: 'AL' },
      ...(results.run.command ? { 'execution-command': results.run.command.join(' ') } : {}),
      target: { ...(results.run.host ? { host: results.run.host } : {}), 'x-atomic-lab-target': r.target },
      'time-generated': iso(results.run.finished, results.run.finished),
      'x-atomic-lab-provenance': provenanceText(r),
    },
    procedures: [
      {
        'procedure-name': r.test.name,
        'procedure-description': `${testId(r.test)}, ${provenanceText(r)}${r.marker ? `, run marker ${r.marker}` : ''}${r.error ? `; lab error: ${r.error}` : ''}`,
        'procedure-id': { type: 'guid', id: r.test.guid },
        'mitre-technique-id': r.test.technique,
        order: 1,
        steps: steps(results, r),
        'x-atomic-lab-detections': detections,
      },
    ],
  };
}

export const attireWriter: Writer = (results) => {
  const used = new Set<string>();
  const files: ReportFile[] = [];
  for (const r of results.results) {
    if (isBenign(r.test)) continue;
    const base = `attire/${testId(r.test)}-${r.target.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
    let name = `${base}.json`;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}.json`;
    used.add(name);
    files.push({ path: name, content: JSON.stringify(buildAttire(results, r), null, 2) + '\n' });
  }
  return files;
};
