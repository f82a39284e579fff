// atomic-lab doctor through the real CLI: each check with the command that fixes it, exit 3 when
// something is missing (a lab problem), exit 2 with file:line:column for a bad lab config.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChecks } from '../../../../harness/lab-config/checks.ts';
import { runCli } from '../../../support/cli.ts';

let dir: string;
beforeAll(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-doctor-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('atomic-lab doctor', () => {
  it('an unreachable ssh host: MISSING with the ssh command to try, exit 3', async () => {
    const config = path.join(dir, 'lab.yaml');
    writeFileSync(config, 'targets:\n  web01:\n    type: ssh\n    host: 127.0.0.1\n    port: 1\n    user: nobody\n    platform: linux\n    connect_timeout: 3\n');
    const r = await runCli(['doctor', '--config', config]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(/^ok +web01 +Debian package openssh-client$/m);
    expect(r.stdout).toMatch(/^MISSING web01 +ssh login to nobody@127\.0\.0\.1:1 \(ssh to nobody@127\.0\.0\.1:1 failed: .*Connection refused\)\n +fix: check host, port, user and key of target 'web01' in the lab config; try: ssh -p 1 nobody@127\.0\.0\.1 true$/m);
    expect(r.stdout).toMatch(/^1 of 2 checks failed$/m);
  });

  it('a bad lab config is bad input: exit 2 naming file:line:column', async () => {
    const config = path.join(dir, 'bad.yaml');
    writeFileSync(config, 'targets:\n  qemu:\n    acel: kvm\n');
    const r = await runCli(['doctor', '--config', config]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`atomic-lab doctor: ${config}:3:5: target 'qemu' (qemu): unknown setting 'acel'`);
  });

  it('--target names a target that is not configured: usage error (exit 2)', async () => {
    const r = await runCli(['doctor', '--config', path.join(dir, 'lab.yaml'), '--target', 'nope']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no target 'nope' in .*lab\.yaml \(targets: web01\)/);
  });

  it('formats one line per check, informational lines marked info, the fix under a failed one', () => {
    expect(formatChecks([
      { target: 'qemu', item: 'accelerator', ok: true, info: true, detail: 'TCG' },
      { target: 'qemu', item: 'QEMU lab image', ok: false, fix: 'atomic-lab doctor --build-image' },
    ])).toBe('info    qemu    accelerator (TCG)\nMISSING qemu    QEMU lab image\n               fix: atomic-lab doctor --build-image\n');
  });
});
