import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';

describe('atomic-lab CLI', () => {
  it('prints help listing every contract command and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.exitCode).toBe(0);
    for (const c of ['run', 'replay', 'detect', 'explain', 'list', 'check-rules', 'events']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    }
  });

  it('rejects an unknown option with exit 2 and names it (CONTRACTS.md: exit 2 = bad usage)', async () => {
    const r = await runCli(['detect', '--no-such-flag']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("'--no-such-flag'");
  });

  it('rejects an unknown command with exit 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it('rejects a value outside an option\'s choices with exit 2', async () => {
    const r = await runCli(['detect', '--language', 'kql']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("'kql' is not one of spl, cql, sigma");
  });

  it('shows per-command help generated from the option table', async () => {
    const r = await runCli(['detect', '--help']);
    expect(r.exitCode).toBe(0);
    for (const o of ['--rule FILE', '--events FILE', '--language LANG', '--macros FILE', '--profile NAME', '--format FMT']) {
      expect(r.stdout).toContain(o);
    }
  });
});
