// atomic-lab list (CONTRACTS.md): json = one object per test per line with at least technique,
// number, guid, name, platforms, executor; a file that does not load → stderr with path and
// reason, exit 2.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../support/cli.ts';

describe('atomic-lab list', () => {
  it('lists the lab atomics as JSON lines with the contract fields (default folder atomics/)', async () => {
    const r = await runCli(['list', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatchObject({
      technique: 'T1546.016', number: 1, guid: 'ca90561e-4a0c-44f9-b8d7-aace0802f6a9',
      name: 'MSI custom action spawns PowerShell with a download cradle', platforms: ['windows'], executor: 'command_prompt',
    });
    expect(rows.filter((x) => x.kind === 'benign')).toHaveLength(3);
  });

  it('prints a table by default', async () => {
    const r = await runCli(['list', '--atomics', 'test/fixtures/atomics/valid']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^ID\s+GUID\s+EXECUTOR\s+PLATFORMS\s+NAME$/);
    expect(r.stdout).toContain('T0001.001-5');
  });

  it('reports each file that does not load with path:line:column and the reason, lists the rest, exits 2', async () => {
    const r = await runCli(['list', '--atomics', 'test/fixtures/atomics/layout', '--format', 'json']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/layout\/T0004\/T0004\.yaml: does not load: .*T0004\.yaml:4:3: reused_guid: GUID 33333333-4444-4555-8666-777777777777 reused/);
    expect(r.stderr).toMatch(/T0005\.yml:1:1: invalid_filename/);
  });

  it('an unreadable folder is an input error (exit 2)', async () => {
    const r = await runCli(['list', '--atomics', 'no/such/folder']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no/such/folder');
  });
});
