// `atomic-lab check-rules DIR` (CONTRACTS.md): one line per rule that is not ok, then exactly
// `N/M rules compiled`; exit 0 all compile, 1 some do not, 2 DIR cannot be read.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../support/cli.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';

describe('atomic-lab check-rules', () => {
  it('the lab\'s rules: only the verbatim seed LogScale rule fails, with its position; exit 1', async () => {
    const r = await runCli(['check-rules', 'detections']);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^\d+\/\d+ rules compiled$/);
    const [ok, total] = lines.at(-1)!.split(' ')[0]!.split('/').map(Number);
    expect(total! - ok!).toBe(1);
    expect(lines[0]).toMatch(/^detections\/cql\/t1546\.016-installer-packages\.seed\.cql:9:18: if\(\) is missing its required parameter 'then' \(\+10 more: /);
  });

  it('a folder whose rules all compile: exit 0 and only the total', async () => {
    const r = await runCli(['check-rules', 'detections/sigma']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^4\/4 rules compiled\n?$/);
  });

  it('reports rules of every language in a mixed folder, JSON lines with --format json', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atomic-lab-check-'));
    cpSync(path.join(REPO_ROOT, 'test/fixtures/detect/unknown-command.spl'), path.join(dir, 'a.spl'));
    cpSync(path.join(REPO_ROOT, 'detections/sigma/installer_script_child_win.yml'), path.join(dir, 'b.yml'));
    const r = await runCli(['check-rules', dir, '--format', 'json']);
    expect(r.exitCode).toBe(1);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).toMatchObject({ line: 2, column: 3, kind: 'error', reason: "Unknown search command 'frobnicate'." });
    expect(out.at(-1)).toEqual({ compiled: 1, total: 2, summary: '1/2 rules compiled' });
  });

  it('a folder that cannot be read: exit 2 naming it', async () => {
    const r = await runCli(['check-rules', 'no/such/dir']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no/such/dir: cannot read rule folder');
  });
});
