// `atomic-lab detect` as CONTRACTS.md specifies it, run as a user would, for all three languages.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../support/cli.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';

const fx = (name: string) => path.join('test/fixtures/detect', name);
const rows = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const SEED_SPL = 'detections/spl/t1546.016-installer-packages.seed.spl';
const EVTX = 'test/fixtures/evtx/lab-msi-chain.evtx';

describe('atomic-lab detect', () => {
  it('SPL over flat JSON: the objects are the Splunk view as-is; rows are product-style strings ("1", not 1)', async () => {
    const r = await runCli(['detect', '--rule', SEED_SPL, '--events', fx('splunk-view.jsonl'), '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const [row, ...rest] = rows(r.stdout);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ EventCode: '1', DetectionType: 'INSTALLER_SCRIPT_CHILD', host: 'WIN1', Image: 'C:\\Windows\\System32\\cmd.exe' });
    // table _time, host, User, EventCode, DetectionType, Image, CommandLine, ParentImage: in that order
    expect(Object.keys(row!)).toEqual(['_time', 'host', 'User', 'EventCode', 'DetectionType', 'Image', 'CommandLine', 'ParentImage']);
  });

  it('SPL over .evtx: the legacy profile selects what the seed rule assumes, the current naming selects nothing', async () => {
    const legacy = await runCli(['detect', '--rule', SEED_SPL, '--events', EVTX, '--profile', 'splunk-legacy', '--format', 'json']);
    expect(legacy.exitCode).toBe(0);
    expect(rows(legacy.stdout).map((x) => x.DetectionType)).toEqual(['INSTALLER_SCRIPT_CHILD']);
    const current = await runCli(['detect', '--rule', SEED_SPL, '--events', EVTX, '--format', 'json']);
    expect(current.exitCode).toBe(0);
    expect(current.stdout).toBe('');
  });

  it('CQL over flat JSON (Falcon view as-is, tag field #event_simpleName)', async () => {
    const r = await runCli(['detect', '--rule', 'detections/cql/t1546.016-installer-packages.corrected.cql', '--events', fx('falcon-view.jsonl'), '--format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(rows(r.stdout)).toEqual([expect.objectContaining({ EventType: 'INSTALLER_SCRIPT_CHILD', ComputerName: 'WIN1', EventCount: '1' })]);
  });

  it('Sigma: a row is the matching event as given plus sigma.rule_id and sigma.title', async () => {
    const r = await runCli(['detect', '--rule', 'detections/sigma/installer_script_child_win.yml', '--events', fx('sigma-view.jsonl'), '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const out = rows(r.stdout);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ EventID: '1', Image: 'C:\\Windows\\System32\\cmd.exe', 'sigma.rule_id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'sigma.title': expect.any(String) });
  });

  it('--language overrides the extension; --format table prints a table', async () => {
    const r = await runCli(['detect', '--rule', SEED_SPL, '--language', 'spl', '--events', fx('splunk-view.jsonl')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^_time +host +User +EventCode +DetectionType +Image/);
  });

  it('the verbatim seed LogScale rule is rejected (exit 2) with every LogScale reason and its line:column', async () => {
    const r = await runCli(['detect', '--rule', 'detections/cql/t1546.016-installer-packages.seed.cql', '--events', fx('falcon-view.jsonl')]);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe("atomic-lab detect: detections/cql/t1546.016-installer-packages.seed.cql:9:18: if() is missing its required parameter 'then'");
    expect(r.stderr).toContain("detections/cql/t1546.016-installer-packages.seed.cql:22:9: drop() is missing its required parameter 'fields'");
    expect(r.stderr).toMatch(/:10:21: a regex literal \/…\/ is a filter, not an expression/);
  });

  it.each([
    ['syntax-error.spl', ':3:1: The expression is malformed. Expected ) to close if(.'],
    ['unknown-command.spl', ":2:3: Unknown search command 'frobnicate'."],
    ['undefined-macro.spl', ":1:1: The search specifies a macro 'no_such_macro' that cannot be found."],
    ['unsupported-regex.spl', ':2:23: Unsupported regular expression construct lookbehind (?<='],
  ])('an SPL rule Splunk would reject (%s) is exit 2 with file:line:column', async (file, message) => {
    const r = await runCli(['detect', '--rule', fx(file), '--events', fx('splunk-view.jsonl')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`test/fixtures/detect/${file}${message}`);
  });

  it('usage and input errors are exit 2 naming the problem', async () => {
    const noExt = await runCli(['detect', '--rule', 'README.md', '--events', fx('sigma-view.jsonl')]);
    expect(noExt.exitCode).toBe(2);
    expect(noExt.stderr).toContain('cannot tell the language of README.md');
    const missing = await runCli(['detect', '--rule', SEED_SPL, '--events', 'no/such/file.jsonl']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no/such/file.jsonl');
    const noRule = await runCli(['detect', '--events', fx('sigma-view.jsonl')]);
    expect(noRule.exitCode).toBe(2);
    expect(noRule.stderr).toContain('missing --rule FILE');
    const badProfile = await runCli(['detect', '--rule', SEED_SPL, '--events', EVTX, '--profile', 'splunk-xyz']);
    expect(badProfile.exitCode).toBe(2);
    expect(badProfile.stderr).toContain("unknown splunk profile 'splunk-xyz'");
  });

  it('bad events after good ones: the rows produced so far are printed, then exit 2 with the position', async () => {
    const r = await runCli(['detect', '--rule', 'detections/sigma/installer_script_child_win.yml', '--events', fx('sigma-view.jsonl'), '--events', 'test/fixtures/readers/bad-json-line.jsonl', '--format', 'json'], { cwd: REPO_ROOT });
    expect(r.exitCode).toBe(2);
    // the matching events before the bad line are printed (one per file); the second file stops at its line 2
    expect(rows(r.stdout).map((x) => x.Image)).toEqual(['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']);
    expect(r.stderr).toMatch(/bad-json-line\.jsonl:2:\d+/);
  });
});
