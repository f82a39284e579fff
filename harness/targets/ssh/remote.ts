// One job on a lab machine reached through a Transport (ssh/scp, or the Vagrant CLI): stage it on
// the host, upload it, run the runner (lab/linux/run-atomic.sh or lab/windows/run-atomic.ps1),
// bring the output folder back as a base64 tar stream between markers on stdout, unpack it and
// remove the run folder from the machine.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import { linuxDescribe, shQuote, unpackResults, writeLinuxJob, type LinuxJob } from './linux-job.ts';
import { readRunnerOutput, type RunnerOutput } from './runner-output.ts';
import { windowsDescribe, windowsRunDir, windowsRunnerCommand, writeWindowsJob, type WindowsJob } from './windows-job.ts';

export interface RemoteOutput {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface Transport {
  /** what the machine is, for messages */
  readonly label: string;
  /** copies the contents of `localDir` into `remoteDir` (created) */
  upload(localDir: string, remoteDir: string, o: { timeoutMs: number; signal?: AbortSignal }): Promise<void>;
  /** runs a command: a POSIX shell line (Linux) or PowerShell (Windows) */
  exec(command: string, o: { timeoutMs: number; signal?: AbortSignal; elevated?: boolean }): Promise<RemoteOutput>;
}

export const B64_BEGIN = 'ATOMIC-LAB-B64-BEGIN';
export const B64_END = 'ATOMIC-LAB-B64-END';

/** The bytes printed between the markers (whitespace and line breaks inside are ignored). */
export function extractBase64(stdout: string): Buffer | undefined {
  const a = stdout.indexOf(B64_BEGIN);
  const b = stdout.indexOf(B64_END, a + B64_BEGIN.length);
  if (a < 0 || b < 0) return undefined;
  return Buffer.from(stdout.slice(a + B64_BEGIN.length, b).replace(/\s+/g, ''), 'base64');
}

export interface RemoteRun {
  output: RunnerOutput;
  /** the runner's own stdout/stderr (progress lines, errors) */
  runner: RemoteOutput;
}

async function fetchResults(t: Transport, command: string, resultsDir: string, timeoutMs: number): Promise<void> {
  const r = await t.exec(command, { timeoutMs, elevated: true });
  const bytes = extractBase64(r.stdout);
  if (!bytes) {
    throw new LabError('E_REMOTE_RESULTS', `could not read the results back from ${t.label} (exit ${r.exitCode ?? 'none'}): ${(r.stderr.trim() || r.stdout.trim()).slice(-400)}`);
  }
  mkdirSync(resultsDir, { recursive: true });
  const tar = path.join(resultsDir, '..', `${path.basename(resultsDir)}.tar`);
  writeFileSync(tar, bytes);
  try {
    await unpackResults(tar, resultsDir);
  } finally {
    rmSync(tar, { force: true });
  }
}

function checkRunner(t: Transport, r: RemoteOutput, timeoutMs: number): void {
  if (r.timedOut) throw new LabError('E_REMOTE_TIMEOUT', `the lab runner on ${t.label} did not finish within ${timeoutMs / 1000} s`);
}

/** Linux: `base` is the machine's lab folder; the run lands in <base>/runs/<run id>/. */
export async function runLinuxJob(t: Transport, job: LinuxJob, o: { base: string; sudo: boolean; resultsDir: string; timeoutMs: number; signal?: AbortSignal }): Promise<RemoteRun> {
  const staging = mkdtempSync(path.join(path.dirname(o.resultsDir), 'stage-'));
  const remote = `${o.base}/runs/${job.runId}`;
  const sudo = o.sudo ? 'sudo -n ' : '';
  try {
    writeLinuxJob(staging, job);
    await t.upload(staging, remote, { timeoutMs: 600_000, ...(o.signal ? { signal: o.signal } : {}) });
    const runner = await t.exec(`${sudo}sh ${shQuote(`${remote}/job/run-atomic.sh`)} ${shQuote(`${remote}/job`)} ${shQuote(`${remote}/out`)}`,
      { timeoutMs: o.timeoutMs, ...(o.signal ? { signal: o.signal } : {}) });
    checkRunner(t, runner, o.timeoutMs);
    await fetchResults(t, `${sudo}sh -c ${shQuote(`echo ${B64_BEGIN}; tar -C '${remote}/out' -cf - . | base64 -w0; echo; echo ${B64_END}; rm -rf '${remote}'`)}`, o.resultsDir, 300_000);
    return { output: readRunnerOutput(o.resultsDir, { ...job, describe: linuxDescribe(job) }), runner };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Windows: the run lands in C:\atomic-lab\runs\<run id>\. */
export async function runWindowsJob(t: Transport, job: WindowsJob, o: { resultsDir: string; timeoutMs: number; signal?: AbortSignal }): Promise<RemoteRun> {
  const staging = mkdtempSync(path.join(path.dirname(o.resultsDir), 'stage-'));
  const remote = windowsRunDir(job.runId);
  try {
    writeWindowsJob(staging, job);
    await t.upload(staging, remote, { timeoutMs: 600_000, ...(o.signal ? { signal: o.signal } : {}) });
    const runner = await t.exec(windowsRunnerCommand(remote, job.runId), { timeoutMs: o.timeoutMs, elevated: true, ...(o.signal ? { signal: o.signal } : {}) });
    checkRunner(t, runner, o.timeoutMs);
    // tar.exe (bsdtar) ships with Windows 10 1803 and later
    await fetchResults(t, [
      `tar.exe -cf '${remote}\\out.tar' -C '${remote}\\out' .`,
      `Write-Output '${B64_BEGIN}'`,
      `[Convert]::ToBase64String([IO.File]::ReadAllBytes('${remote}\\out.tar'))`,
      `Write-Output '${B64_END}'`,
      `Remove-Item -Recurse -Force '${remote}'`,
    ].join('; '), o.resultsDir, 300_000);
    return { output: readRunnerOutput(o.resultsDir, { ...job, describe: windowsDescribe(job.executor) }), runner };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
