// A job for lab/windows/run-atomic.ps1, staged on the host and uploaded to a Windows lab machine
// (vagrant winrm, OpenSSH). Layout of the staged folder (becomes C:\atomic-lab\runs\<id>\):
//   job\        job.json, run-atomic.ps1, listener.ps1
//   atomics\    the test's technique folder (PathToAtomicsFolder\<TID>\...) from the repo
//   ExternalPayloads\<TID>\   the files the host built for it (the MSIs wixl made), not folders
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LAB_DIR } from './linux-job.ts';
import type { DescribeCommand } from './runner-output.ts';

export const WIN_RUNNER = path.join(LAB_DIR, 'windows', 'run-atomic.ps1');
export const WIN_LISTENER = path.join(LAB_DIR, 'windows', 'listener.ps1');
export const WIN_BASE = 'C:\\atomic-lab';
/** The event channels exported per sensor name (lab-config SENSORS). */
export const CHANNELS: Record<string, string> = {
  sysmon: 'Microsoft-Windows-Sysmon/Operational',
  security: 'Security',
  application: 'Application',
};

export interface WindowsDependency {
  id: string;
  check: string;
  get: string | null;
  executor: 'command_prompt' | 'powershell';
}

export interface WindowsJob {
  runId: string;
  executor: 'command_prompt' | 'powershell';
  /** after argument substitution; null: check the prerequisites only */
  command: string | null;
  cleanup: string | null;
  timeoutSec: number;
  dependencies: WindowsDependency[];
  getPrereqs: boolean;
  /** Windows paths copied out after the command */
  collect: string[];
  env: Record<string, string>;
  /** 0: no listener */
  listenerPort: number;
  /** event log channels exported for the run window */
  channels: string[];
  /** host technique folders (atomics\<name>) */
  techniqueDirs: string[];
  /** host folders whose top-level files are shipped as ExternalPayloads\<folder name>\ */
  payloadDirs: string[];
}

/** `C:\atomic-lab\runs\<id>`: where a run's folder lands on the machine. */
export function windowsRunDir(runId: string, base = WIN_BASE): string {
  return `${base}\\runs\\${runId}`;
}

export function writeWindowsJob(dir: string, job: WindowsJob): void {
  const j = path.join(dir, 'job');
  mkdirSync(j, { recursive: true });
  const { techniqueDirs: _t, payloadDirs: _p, ...spec } = job;
  writeFileSync(path.join(j, 'job.json'), JSON.stringify(spec, null, 2) + '\n');
  cpSync(WIN_RUNNER, path.join(j, 'run-atomic.ps1'));
  cpSync(WIN_LISTENER, path.join(j, 'listener.ps1'));
  for (const t of job.techniqueDirs) cpSync(t, path.join(dir, 'atomics', path.basename(t)), { recursive: true });
  for (const p of job.payloadDirs) {
    if (!existsSync(p)) continue;
    const dest = path.join(dir, 'ExternalPayloads', path.basename(p));
    mkdirSync(dest, { recursive: true });
    for (const f of readdirSync(p)) if (statSync(path.join(p, f)).isFile()) cpSync(path.join(p, f), path.join(dest, f));
  }
}

/** How lab/windows/run-atomic.ps1 invokes a script (Invoke-AtomicRedTeam's wrapping). */
export function windowsDescribe(executor: WindowsJob['executor'], join: ' & ' | ' && ' = ' & '): DescribeCommand {
  return (script) => {
    if (executor === 'command_prompt') {
      const line = script.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join(join);
      return { argv: ['cmd.exe', '/c', line], display: `cmd.exe /c "${line}"` };
    }
    const arg = `& {${script.replace(/"/g, '\\"')}}`;
    return { argv: ['powershell.exe', '-NoProfile', '-Command', arg], display: `powershell.exe -NoProfile -Command "${arg}"` };
  };
}

/** The runner invocation (PowerShell syntax, for `vagrant winrm --shell powershell` or OpenSSH). */
export function windowsRunnerCommand(runDir: string, marker: string): string {
  return `powershell.exe -NoProfile -ExecutionPolicy Bypass -File '${runDir}\\job\\run-atomic.ps1' -Job '${runDir}\\job' -Out '${runDir}\\out' -Marker ${marker}`;
}
