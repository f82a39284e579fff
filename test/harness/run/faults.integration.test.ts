// Fault injection on the real lab: the command fails, hangs past its timeout, or the harness gets
// SIGINT / SIGTERM mid-test. Each time the test's cleanup command must have run (its output is in
// the capture bundle) and the host must be unchanged: no processes or mounts left from the run,
// no work folders, and none of the files the test wrote outside its sandbox.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadAtomicsStrict } from '../../../harness/atomics/load.ts';
import { selectTests } from '../../../harness/atomics/select.ts';
import { readBundle } from '../../../harness/capture/bundle.ts';
import { executeTests } from '../../../harness/run/execute.ts';
import { REPO_ROOT } from '../../support/corpus.ts';
import { ensureLab } from '../targets/lab-ready.ts';
import { entries, mountsUnder, processesMentioning } from './host-state.ts';

const FAULTS = path.join(REPO_ROOT, 'test/fixtures/atomics/faults');
const tests = loadAtomicsStrict(FAULTS);
let prefix = '';
let base = '';

beforeAll(async () => {
  ({ prefix } = await ensureLab());
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

function fresh(): { reportDir: string; workRoot: string } {
  base = mkdtempSync(path.join(tmpdir(), 'atomic-lab-it-'));
  return { reportDir: path.join(base, 'report'), workRoot: path.join(base, 'work') };
}

async function expectHostUnchanged(workRoot: string, marker: string): Promise<void> {
  // the namespace's processes may take a moment to be reaped after its PID 1 exits
  for (let i = 0; i < 40 && processesMentioning([workRoot, marker]).length; i++) await new Promise((r) => setTimeout(r, 100));
  expect(processesMentioning([workRoot, marker])).toEqual([]);
  expect(mountsUnder(workRoot)).toEqual([]);
  expect(entries(workRoot)).toEqual([]);
  expect(existsSync(`/root/atomic-lab-fault-${marker}`)).toBe(false);
  expect(existsSync(`/var/tmp/atomic-lab-fault-${marker}`)).toBe(false);
}

function expectCleanupRan(dir: string, marker: string): void {
  const b = readBundle(dir);
  expect(b.cleanup, 'cleanup record').toBeTruthy();
  expect(b.cleanup!.exitCode).toBe(0);
  expect(readFileSync(path.join(dir, b.cleanup!.stdout!), 'utf8')).toContain(`cleanup ran ${marker}`);
}

describe('fault injection', () => {
  it('the command fails: execution_failed with its exit code, cleanup ran, host unchanged', async () => {
    const { reportDir, workRoot } = fresh();
    const [b] = await executeTests(selectTests(tests, ['T0000.001-1']), { reportDir, workRoot, timeoutMs: 60_000 });
    expect(b!.status).toBe('execution_failed');
    expect(b!.exitCode).toBe(3);
    expect(b!.error).toMatch(/exit code 3/);
    expectCleanupRan(b!.dir, b!.marker);
    await expectHostUnchanged(workRoot, b!.marker);
  });

  it('the command hangs past its timeout: its whole process tree is killed, cleanup ran, host unchanged', async () => {
    const { reportDir, workRoot } = fresh();
    const started = Date.now();
    const [b] = await executeTests(selectTests(tests, ['T0000.001-2']), { reportDir, workRoot, timeoutMs: 3_000 });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(b!.status).toBe('execution_failed');
    expect(b!.timedOut).toBe(true);
    expect(b!.exitCode).toBeNull();
    expect(readFileSync(path.join(b!.dir, b!.stdout!), 'utf8')).toContain(`started ${b!.marker}`);
    expectCleanupRan(b!.dir, b!.marker);
    await expectHostUnchanged(workRoot, b!.marker);
  });

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('the harness gets %s mid-test: the test is stopped, cleanup ran, bundle written, exit %i, host unchanged', async (signal, code) => {
    const { reportDir, workRoot } = fresh();
    // one node process (no npx/tsx wrapper in between), so the signal reaches the harness itself
    const child = execa(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/harness/run/interrupt-child.ts'), FAULTS, 'T0000.001-3', reportDir, workRoot], {
      cwd: REPO_ROOT, reject: false, env: { CI: 'true' }, stdin: 'ignore',
    });
    // wait until the test command is running (its stdout file says so), then interrupt the harness
    let running = false;
    for (let i = 0; i < 600 && !running; i++) {
      await new Promise((r) => setTimeout(r, 100));
      running = testStarted(workRoot);
    }
    expect(running, 'the fixture test started').toBe(true);
    child.kill(signal);
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toContain(`${signal} received`);
    const b = readBundle(path.join(reportDir, 'captures', 't0000.001-3'));
    expect(b.status).toBe('execution_failed');
    expect(b.error).toBe(`interrupted by ${signal}`);
    expectCleanupRan(b.dir, b.marker);
    await expectHostUnchanged(workRoot, b.marker);
  });

  it('a Windows command fails under Wine: cleanup ran, the file it wrote stayed in the throwaway prefix layer', async () => {
    const { reportDir, workRoot } = fresh();
    const [b] = await executeTests(selectTests(tests, ['T0000.001-4']), { reportDir, workRoot, timeoutMs: 60_000 });
    expect(b!.target).toBe('wine');
    expect(b!.status).toBe('execution_failed');
    expect(b!.exitCode).toBe(5);
    expect(b!.changedFiles!.some((f) => f.endsWith('/drive_c/atomic-lab-fault.txt'))).toBe(true);
    expect(existsSync(path.join(prefix, 'drive_c', 'atomic-lab-fault.txt'))).toBe(false);
    expectCleanupRan(b!.dir, b!.marker);
    await expectHostUnchanged(workRoot, b!.marker);
  });
});

describe('prerequisites', () => {
  it('without getPrereqs, a missing prerequisite stops the run before any test with a LabError (exit 3) listing the command that installs it', async () => {
    const { reportDir, workRoot } = fresh();
    const run = executeTests(selectTests(tests, ['T0000.001-5']), { reportDir, workRoot });
    await expect(run).rejects.toMatchObject({ code: 'E_PREREQS', exitCode: 3 });
    await expect(run).rejects.toThrow(/T0000\.001-5 Dependency that is never met: A file that never exists must exist\n\s+install: echo "fetching /);
    expect(existsSync(path.join(reportDir, 'captures'))).toBe(false);
    expect(entries(workRoot)).toEqual([]);
  });

  it('with getPrereqs, get_prereq_command runs, the check is repeated, and the test is prereq_failed, never run', async () => {
    const { reportDir, workRoot } = fresh();
    const [b] = await executeTests(selectTests(tests, ['T0000.001-5']), { reportDir, workRoot, getPrereqs: true });
    expect(b!.status).toBe('prereq_failed');
    expect(b!.prerequisites).toEqual([expect.objectContaining({ met: false, description: 'A file that never exists must exist' })]);
    expect(b!.execution!.map((s) => s.phase)).toEqual(['prereq', 'prereq', 'prereq']);
    expect(b!.execution![1]!.command).toMatch(/^sh -c 'echo "fetching [0-9a-f-]{36}"'/);
    expect(b!.execution!.some((s) => s.phase === 'test')).toBe(false);
  });
});

/** true when the test command's stdout file (under <workRoot>/atomic-lab-XXXX/<test>/run/) says it started. */
function testStarted(workRoot: string): boolean {
  for (const run of entries(workRoot)) {
    for (const test of entries(path.join(workRoot, run))) {
      const dir = path.join(workRoot, run, test, 'run');
      for (const f of entries(dir)) {
        try {
          if (f.endsWith('-test.stdout') && readFileSync(path.join(dir, f), 'utf8').includes('started')) return true;
        } catch {
          // removed meanwhile
        }
      }
    }
  }
  return false;
}
