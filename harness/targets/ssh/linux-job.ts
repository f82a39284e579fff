// A job for lab/linux/run-atomic.sh: the folder a Linux lab machine (the QEMU VM, an ssh host, the
// Vagrant Linux box) receives for one test, packed as a tar stream. Layout inside the stream:
//   job/      job.env, test.env, command, cleanup, prereq/ID.check|get|executor, collect,
//             audit.rules, run-atomic.sh, listener.py
//   atomics/  the test's technique folder (PathToAtomicsFolder/<TID>/...) copied from the repo
// The machine unpacks it into its base folder (the VM: /opt/atomic-lab), so PathToAtomicsFolder is
// <base>/atomics there and files always come from the repo at run time.
import { execa } from 'execa';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../../core/errors.ts';
import { shellCommand, type DescribeCommand } from './runner-output.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const LAB_DIR = path.resolve(HERE, '..', '..', '..', 'lab');
export const RUNNER = path.join(LAB_DIR, 'linux', 'run-atomic.sh');
export const AUDIT_RULES = path.join(LAB_DIR, 'linux', 'audit.rules');
export const LISTENER = path.resolve(HERE, '..', 'listener.py');

export interface LinuxJob {
  runId: string;
  executor: 'sh' | 'bash';
  /** after argument substitution; null: check the prerequisites only */
  command: string | null;
  cleanup?: string | null;
  dependencyExecutor?: 'sh' | 'bash';
  /** `id` names the dependency in the runner's status (`prereq.<id>`): digits and '-' */
  dependencies?: LinuxDependency[];
  getPrereqs?: boolean;
  /** the test's environment */
  env?: Record<string, string>;
  /** guest paths copied out after the command (proof files) */
  collect?: string[];
  timeoutSec: number;
  listener?: { port: number; serve?: string };
  /** folders whose file creations are audited */
  watchDirs: string[];
  /** load audit rules for the test (false: the machine has no auditd sensor) */
  audit: boolean;
  /** key prefix of this run's audit rules (letters, digits, '_'; ≤ 24 characters) */
  auditKey: string;
  auditExport: 'ausearch' | 'none';
  /** a persistent ExternalPayloads folder on the machine, linked as PathToAtomicsFolder/../ExternalPayloads */
  payloadsDir?: string;
  /** file systems in which to list the files the test created or changed (only on machines of our own) */
  changedFilesIn?: string[];
  /** host technique folders to ship as atomics/<name>/ */
  techniqueDirs: string[];
}

/** How the Linux runner invokes a script: `<executor> -c <script> atomic-lab-<run id>`. */
export function linuxDescribe(job: Pick<LinuxJob, 'executor' | 'runId'>): DescribeCommand {
  return (script) => shellCommand(job.executor, script, job.runId);
}

/** `'…'` for POSIX shells. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

export interface LinuxDependency {
  id: string;
  check: string;
  get: string | null;
  executor?: 'sh' | 'bash';
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function jobEnv(job: LinuxJob): string {
  const vars: Record<string, string> = {
    ATOMIC_RUN_ID: job.runId,
    ATOMIC_EXECUTOR: job.executor,
    ATOMIC_DEP_EXECUTOR: job.dependencyExecutor ?? job.executor,
    ATOMIC_GET_PREREQS: job.getPrereqs ? '1' : '0',
    ATOMIC_TIMEOUT: String(job.timeoutSec),
    ATOMIC_AUDIT: job.audit ? '1' : '0',
    ATOMIC_AUDIT_KEY: job.auditKey,
    ATOMIC_AUDIT_EXPORT: job.auditExport,
    ATOMIC_WATCH_DIRS: job.watchDirs.join(' '),
    ATOMIC_LISTENER_PORT: job.listener ? String(job.listener.port) : '',
    ATOMIC_LISTENER_SERVE: job.listener?.serve ?? '',
    ATOMIC_CHANGED_FILES: (job.changedFilesIn ?? []).join(' '),
    ATOMIC_PAYLOADS_DIR: job.payloadsDir ?? '',
  };
  return Object.entries(vars).map(([k, v]) => `${k}=${shQuote(v)}\n`).join('');
}

export function testEnv(env: Record<string, string>): string {
  return Object.entries(env).map(([k, v]) => {
    if (!ENV_NAME.test(k)) throw new LabError('E_JOB_ENV', `environment variable name ${JSON.stringify(k)} is not valid in a POSIX shell`);
    return `export ${k}=${shQuote(v)}\n`;
  }).join('');
}

/** Writes the job folder under `dir` (job/ and atomics/). */
export function writeLinuxJob(dir: string, job: LinuxJob): void {
  if (!/^[A-Za-z0-9_]{1,24}$/.test(job.auditKey)) throw new LabError('E_JOB_KEY', `audit key ${JSON.stringify(job.auditKey)} must be 1-24 letters, digits or '_'`);
  const j = path.join(dir, 'job');
  mkdirSync(path.join(j, 'prereq'), { recursive: true });
  writeFileSync(path.join(j, 'job.env'), jobEnv(job));
  writeFileSync(path.join(j, 'test.env'), testEnv(job.env ?? {}));
  if (job.command !== null) writeFileSync(path.join(j, 'command'), job.command);
  writeFileSync(path.join(j, 'cleanup'), job.cleanup ?? '');
  for (const d of job.dependencies ?? []) {
    if (!/^[0-9][0-9-]*$/.test(d.id)) throw new LabError('E_JOB_PREREQ', `dependency id ${JSON.stringify(d.id)} must be digits and '-'`);
    writeFileSync(path.join(j, 'prereq', `${d.id}.check`), d.check);
    writeFileSync(path.join(j, 'prereq', `${d.id}.get`), d.get ?? '');
    if (d.executor) writeFileSync(path.join(j, 'prereq', `${d.id}.executor`), d.executor);
  }
  writeFileSync(path.join(j, 'collect'), (job.collect ?? []).map((p) => p + '\n').join(''));
  cpSync(RUNNER, path.join(j, 'run-atomic.sh'));
  cpSync(AUDIT_RULES, path.join(j, 'audit.rules'));
  cpSync(LISTENER, path.join(j, 'listener.py'));
  const atomics = path.join(dir, 'atomics');
  mkdirSync(atomics, { recursive: true });
  for (const t of job.techniqueDirs) cpSync(t, path.join(atomics, path.basename(t)), { recursive: true });
}

/** Packs `dir`'s job/ and atomics/ into a tar stream owned by root (GNU tar). */
export async function packJob(dir: string, tarFile: string): Promise<void> {
  const r = await execa('tar', ['--owner=0', '--group=0', '-C', dir, '-cf', tarFile, 'job', 'atomics'], { reject: false, all: true });
  if (r.exitCode !== 0) throw new LabError('E_JOB_PACK', `tar could not pack the job: ${String(r.all).trim()}`);
}

/** Unpacks a tar stream (e.g. the VM's output disk) into `dir`. */
export async function unpackResults(tarFile: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const r = await execa('tar', ['--no-same-owner', '-C', dir, '-xf', tarFile], { reject: false, all: true });
  if (r.exitCode !== 0) throw new LabError('E_JOB_RESULTS', `the results written by the lab machine could not be unpacked: ${String(r.all).trim()}`);
}
