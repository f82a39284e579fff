// The ssh target against a real sshd on loopback (sshd.ts), running the harmless fixture atomic
// test/fixtures/ssh/atomics/T0000.001 through the whole Target seam. No auditd sensor: the
// host's kernel audit state is shared with everyone on it, so this test leaves it alone (auditd
// over the same runner is exercised inside the QEMU VM by the qemu target's integration test).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtomicsStrict } from '../../../../harness/atomics/load.ts';
import { targetFromSettings } from '../../../../harness/lab-config/validate.ts';
import type { SshTargetConfig } from '../../../../harness/lab-config/types.ts';
import { CALLBACK_BASE } from '../../../../harness/targets/lab-session.ts';
import { execaRunner, type CommandRunner } from '../../../../harness/targets/ssh/command.ts';
import { SshTarget } from '../../../../harness/targets/ssh/index.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';
import { startSshd, type LoopbackSshd } from './sshd.ts';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/ssh/atomics');
const MARKER = '0f4c1d2e-3b5a-4c6d-8e7f-90a1b2c3d4e5';

describe('ssh target against a real sshd on 127.0.0.1', () => {
  let sshd: LoopbackSshd;
  let work: string;
  let remoteDir: string;
  const calls: string[][] = [];
  const recording: CommandRunner = (argv, o) => {
    calls.push(argv);
    return execaRunner(argv, o);
  };

  beforeAll(async () => {
    sshd = await startSshd();
    work = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-ssh-test-'));
    remoteDir = path.join(work, 'remote');
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('checks reachability, fetches a prerequisite, runs the test with the marker and its cleanup, and removes the run folder', async () => {
    const config = targetFromSettings('lo', 'ssh', {
      host: '127.0.0.1', port: sshd.port, user: sshd.user, key: sshd.key, known_hosts: sshd.knownHosts,
      platform: 'linux', sensors: [], work_dir: remoteDir, connect_timeout: 10,
    }, REPO_ROOT) as SshTargetConfig;
    const target = new SshTarget(config, recording);
    const test = loadAtomicsStrict(FIXTURE)[0]!.tests[0]!;
    expect(target.unsupported(test)).toBeUndefined();

    const reqs = await target.requirements([test], new Map());
    expect(reqs.find((r) => r.id === 'ssh:lo')).toMatchObject({ met: true });

    const deps = await target.dependencies([test], { getPrereqs: true, workDir: work, marker: MARKER, timeoutMs: 60_000 });
    const [dep] = deps.get(test)!;
    expect(dep).toMatchObject({ met: true, description: `The payload file must exist in ${remoteDir}/runs/${MARKER}/atomics/../ExternalPayloads/T0000.001` });
    expect(dep!.check.exitCode).toBe(1);
    expect(dep!.fetch?.exitCode).toBe(0);
    expect(dep!.recheck?.exitCode).toBe(0);
    // the payload folder persists on the host; the run folder does not
    const payloads = path.join(remoteDir, 'ExternalPayloads', 'T0000.001');
    expect(readFileSync(path.join(payloads, 'payload.txt'), 'utf8')).toBe('fetched-by-get-prereq\n');
    expect(existsSync(path.join(remoteDir, 'runs', MARKER))).toBe(false);

    const markerFile = path.join(payloads, 'marker.txt');
    const spec = { guid: test.guid!, file: 'lab.yaml', packages: [], inputs: {}, signals: [], proof: [{ description: 'marker file', file: { path: markerFile, contains: MARKER } }] };
    const p = await target.prepare(test, { marker: MARKER, callbackBase: CALLBACK_BASE, spec, workDir: path.join(work, 'test') });
    expect(p.command).toContain(`${remoteDir}/runs/${MARKER}/atomics/T0000.001/src/data.txt`);
    const exec = await target.execute(p, { timeoutMs: 60_000 });
    expect(exec).toMatchObject({ exitCode: 0, failed: false, timedOut: false });
    expect(exec.argv).toEqual(['sh', '-c', p.command, `atomic-lab-${MARKER}`]);
    expect(exec.stdout).toBe("data from the repo's atomics folder\nfetched-by-get-prereq\n");
    const collected = await target.collect(p);
    expect(collected.readFile(markerFile)).toBe(`marker ${MARKER}\n`);
    expect(collected.callbacks).toEqual([expect.objectContaining({ path: '/fixture', marker: MARKER, user_agent: expect.stringMatching(/^curl\//) })]);
    expect(collected.warnings).toContain('no auditd sensor on this machine: no process, network or file telemetry');
    const cleanup = await target.cleanup(p);
    expect(cleanup).toMatchObject({ exitCode: 0 });
    expect(existsSync(markerFile)).toBe(false);
    await target.dispose(p);
    expect(existsSync(path.join(remoteDir, 'runs', MARKER))).toBe(false);

    // every command went through ssh with batch mode, the key and the pinned host key
    const ssh = calls.filter((c) => c[0] === 'ssh');
    expect(ssh.length).toBe(calls.length);
    for (const c of ssh) {
      expect(c).toEqual(expect.arrayContaining(['BatchMode=yes', '-i', sshd.key, `UserKnownHostsFile=${sshd.knownHosts}`, 'StrictHostKeyChecking=yes']));
      expect(c.slice(-3, -1)).toEqual([`${sshd.user}@127.0.0.1`, '--']);
    }
    const remoteCommands = ssh.map((c) => c.at(-1)!.split(' ')[0]);
    // requirements probe; prerequisite job: upload, runner, fetch; test job: upload, runner, fetch
    expect(remoteCommands).toEqual(['uname', 'mkdir', 'sh', 'sh', 'mkdir', 'sh', 'sh']);
  });

  it('an unreachable host is a requirement that is not met, with the command to try', async () => {
    const config = targetFromSettings('gone', 'ssh', { host: '127.0.0.1', port: 1, user: 'nobody', platform: 'linux', connect_timeout: 3 }, REPO_ROOT) as SshTargetConfig;
    const reqs = await new SshTarget(config).requirements([], new Map());
    const ssh = reqs.find((r) => r.id === 'ssh:gone')!;
    expect(ssh.met).toBe(false);
    expect(ssh.detail).toMatch(/Connection refused/);
    expect(ssh.install).toContain('ssh -p 1 nobody@127.0.0.1 true');
  });
});
