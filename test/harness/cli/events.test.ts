// `atomic-lab events FILE... [--view canonical|splunk|falcon|sigma] [--profile NAME]`, run as a user would.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

const fx = (name: string) => path.join(REPO_ROOT, 'test/fixtures/readers', name);
const lines = (stdout: string) => stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('atomic-lab events', () => {
  it('prints canonical events as JSON lines, one per event, files in the order given (readers in normalize mode)', async () => {
    const r = await runCli(['events', fx('security-4688.xml'), fx('otrf.json')]);
    expect(r.exitCode).toBe(0);
    const evs = lines(r.stdout);
    expect(evs).toHaveLength(6);
    expect(evs.map((e) => e.kind)).toEqual(['process_creation', 'process_creation', 'process_creation', 'process_creation', 'network_connection', 'raw']);
    // normalize mode: the OTRF objects are parsed, not kept flat
    expect((evs[3]!.record as { type: string }).type).toBe('win');
    expect(evs[2]).toMatchObject({ process: { pid: '424' }, parent: { image: 'C:\\Windows\\System32\\msiexec.exe' }, origin: { format: 'event-xml', record: 103 } });
  });

  it('--view sigma renders each event with Sigma taxonomy field names (views/ mapping)', async () => {
    const r = await runCli(['events', '--view', 'sigma', fx('sysmon-splunk-raw.xml')]);
    expect(r.exitCode).toBe(0);
    const [p] = lines(r.stdout);
    expect(p).toMatchObject({ Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', ParentImage: 'C:\\Windows\\System32\\msiexec.exe' });
  });

  it('--view splunk --profile splunk-legacy renders _raw, legacy sourcetype and the add-on CIM fields', async () => {
    const r = await runCli(['events', '--view', 'splunk', '--profile', 'splunk-legacy', fx('security-4688.xml')]);
    expect(r.exitCode).toBe(0);
    const [v0, , v2] = lines(r.stdout);
    expect(v0).toMatchObject({ index: 'wineventlog', sourcetype: 'XmlWinEventLog:Security', source: 'XmlWinEventLog:Security', EventCode: '4688' });
    expect(String(v0!._raw)).toMatch(/^<Event xmlns='http:\/\/schemas\.microsoft\.com\/win\/2004\/08\/events\/event'><System>/);
    // 4688 v0 has no ParentProcessName, so no parent_process_name either; v2 has both
    expect(v0).not.toHaveProperty('parent_process_name');
    expect(v2).toMatchObject({ parent_process_name: 'msiexec.exe' });
  });

  it('--profile alone picks its view', async () => {
    const r = await runCli(['events', '--profile', 'falcon-fdr', fx('falcon.ndjson')]);
    expect(r.exitCode).toBe(0);
    expect(lines(r.stdout)[0]).toMatchObject({ event_simpleName: 'ProcessRollup2', ImageFileName: '/lab/venv/bin/python3' });
  });

  it('bad input: the events before it are printed, then exit 2 with file:line:column on stderr', async () => {
    const r = await runCli(['events', fx('flat.jsonl'), fx('bad-json-line.jsonl'), fx('otrf.json')]);
    expect(r.exitCode).toBe(2);
    expect(lines(r.stdout)).toHaveLength(4);
    expect(r.stderr).toContain(`atomic-lab events: ${fx('bad-json-line.jsonl')}:2:39: not valid JSON: Unexpected token 'o'`);
  });

  it('an empty file and an unknown format exit 2 with a clear message', async () => {
    const empty = await runCli(['events', fx('empty.json')]);
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toContain('the file is empty');
    const unknown = await runCli(['events', fx('unknown-format.txt')]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unrecognised format');
  });

  it('warnings (a truncated auditd event) go to stderr, the readable part to stdout, exit 0', async () => {
    const r = await runCli(['events', fx('auditd-truncated.log')]);
    expect(r.exitCode).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1);
    expect(r.stderr).toContain('EXECVE argc=3 but argument a2 is missing');
  });

  it('usage errors: a profile of another view, an unknown profile, no FILE', async () => {
    const other = await runCli(['events', '--view', 'splunk', '--profile', 'falcon', fx('flat.jsonl')]);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain("profile 'falcon' belongs to the falcon view, not splunk");
    const unknown = await runCli(['events', '--profile', 'nope', fx('flat.jsonl')]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown profile 'nope'");
    expect((await runCli(['events'])).exitCode).toBe(2);
  });
});
