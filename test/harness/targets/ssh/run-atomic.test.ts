// lab/linux/run-atomic.sh, run for real with /bin/sh on harmless jobs (no audit rules, no
// listener: those need root and a machine of their own, and are covered by the QEMU and ssh
// integration tests), read back with runner-output.ts.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linuxDescribe, RUNNER, writeLinuxJob, type LinuxJob } from '../../../../harness/targets/ssh/linux-job.ts';
import { readRunnerOutput } from '../../../../harness/targets/ssh/runner-output.ts';

const MARKER = '5d0a1c2b-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-runner-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function job(over: Partial<LinuxJob>): LinuxJob {
  return {
    runId: MARKER, executor: 'sh', command: 'true', timeoutSec: 30, watchDirs: [dir], audit: false, auditKey: 'al_unit', auditExport: 'ausearch',
    techniqueDirs: [], ...over,
  };
}

async function run(j: LinuxJob) {
  writeLinuxJob(dir, j);
  const r = await execa('sh', [RUNNER, path.join(dir, 'job'), path.join(dir, 'out')], { reject: false });
  expect(r.exitCode).toBe(0);
  return { output: readRunnerOutput(path.join(dir, 'out'), { ...j, describe: linuxDescribe(j) }), stdout: String(r.stdout) };
}

describe('lab/linux/run-atomic.sh (the Linux lab machines\' runner)', () => {
  it('checks prerequisites (fetching a missing one), runs the command with the marker as $0 and its environment, copies proof files before the cleanup', async () => {
    const proof = path.join(dir, 'proof.txt');
    const payload = path.join(dir, 'payload');
    const { output, stdout } = await run(job({
      command: `echo "$0 $ATOMIC_LAB_MARKER" > ${proof}; cat ${payload}; echo err >&2; exit 3`,
      cleanup: `rm ${proof}`,
      env: { ATOMIC_LAB_MARKER: MARKER },
      collect: [proof, path.join(dir, 'never-written')],
      getPrereqs: true,
      dependencies: [
        { id: '1', check: 'command -v sh', get: null },
        { id: '2', check: `test -s ${payload}`, get: `echo "it's here" > ${payload}` },
      ],
    }));
    expect(stdout).toContain(`ATOMIC: test start ${MARKER}`);
    expect([...output.prereqs]).toEqual([['1', 'met'], ['2', 'fetched']]);
    expect(output.test).toMatchObject({ exitCode: 3, failed: true, timedOut: false, stdout: "it's here\n", stderr: 'err\n' });
    expect(output.test!.argv).toEqual(['sh', '-c', expect.stringContaining('echo "$0'), `atomic-lab-${MARKER}`]);
    expect(output.cleanup).toMatchObject({ exitCode: 0, failed: false });
    expect(existsSync(proof)).toBe(false);
    expect([...output.collected.keys()]).toEqual([proof]);
    expect(readFileSync(output.collected.get(proof)!, 'utf8')).toBe(`atomic-lab-${MARKER} ${MARKER}\n`);
    expect(output.status.get('audit')).toEqual(['off']);
    expect(output.auditLog).toBeUndefined();
    expect(Date.parse(output.test!.finished)).toBeGreaterThanOrEqual(Date.parse(output.test!.started));
  });

  it('a command past its time limit is killed and read as timed out (timeout -s KILL → 137 at the limit)', async () => {
    const { output } = await run(job({ command: 'sleep 30', timeoutSec: 1 }));
    expect(output.test).toMatchObject({ exitCode: null, timedOut: true, signal: 'SIGKILL', failed: true });
    // a command that itself exits 137 early is not a timeout
    const again = await run(job({ command: 'exit 137', timeoutSec: 20, runId: '5d0a1c2b-3e4f-4a5b-8c6d-7e8f9a0b1c2e' }));
    expect(again.output.test).toMatchObject({ exitCode: 137, timedOut: false });
  });

  it('an unmet prerequisite without --get-prereqs stops the test; without a command the job only checks', async () => {
    const { output } = await run(job({ command: 'touch ran', dependencies: [{ id: '1', check: 'false', get: 'true' }], getPrereqs: false }));
    expect([...output.prereqs]).toEqual([['1', 'missing']]);
    expect(output.test).toBeUndefined();
    expect(output.status.get('prereqs')).toEqual(['missing']);
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-runner-'));
    const only = await run(job({ command: null, dependencies: [{ id: '1-1', check: 'true', get: null }, { id: '2-1', check: 'false', get: null }] }));
    expect([...only.output.prereqs]).toEqual([['1-1', 'met'], ['2-1', 'missing']]);
    expect(only.output.test).toBeUndefined();
    expect(only.stdout).toContain('ATOMIC: prerequisites checked (missing)');
  });

  it('a persistent payloads folder is linked as PathToAtomicsFolder/../ExternalPayloads', async () => {
    const payloads = path.join(dir, 'persistent');
    const { output } = await run(job({ command: 'ls -d ../../ExternalPayloads/ && readlink ../../ExternalPayloads', payloadsDir: payloads }));
    expect(output.test).toMatchObject({ exitCode: 0, stdout: `../../ExternalPayloads/\n${payloads}\n` });
  });
});
