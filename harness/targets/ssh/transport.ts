// OpenSSH as a Transport (remote.ts): `ssh` for commands, a tar stream over ssh (Linux) or `scp`
// (Windows OpenSSH) for uploads. Non-interactive: BatchMode (never prompts for a password or a
// host key), the lab config's key with IdentitiesOnly, its known_hosts file with strict checking.
// On Windows the remote default shell is cmd.exe, so PowerShell goes as -EncodedCommand
// (UTF-16LE base64: no quoting layer in between).
import { execa } from 'execa';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import type { SshTargetConfig } from '../../lab-config/types.ts';
import { execaRunner, type CommandRunner } from './command.ts';
import { shQuote } from './linux-job.ts';
import type { RemoteOutput, Transport } from './remote.ts';

export type SshEndpoint = Pick<SshTargetConfig, 'host' | 'port' | 'user' | 'key' | 'knownHosts' | 'connectTimeout' | 'platform'>;

export function sshOptions(e: SshEndpoint): string[] {
  return [
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${e.connectTimeout}`,
    '-o', 'ServerAliveInterval=15',
    '-o', 'LogLevel=ERROR',
    ...(e.key ? ['-i', e.key, '-o', 'IdentitiesOnly=yes'] : []),
    ...(e.knownHosts ? ['-o', `UserKnownHostsFile=${e.knownHosts}`, '-o', 'StrictHostKeyChecking=yes'] : []),
  ];
}

export function sshArgv(e: SshEndpoint, command: string): string[] {
  return ['ssh', ...sshOptions(e), '-p', String(e.port), `${e.user}@${e.host}`, '--', command];
}

/** `powershell -EncodedCommand`: the script as base64 of its UTF-16LE bytes. */
export function encodedPowerShell(script: string): string {
  return `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ${Buffer.from(script, 'utf16le').toString('base64')}`;
}

export class SshTransport implements Transport {
  readonly label: string;

  constructor(readonly endpoint: SshEndpoint, private readonly runner: CommandRunner = execaRunner) {
    this.label = `${endpoint.user}@${endpoint.host}:${endpoint.port}`;
  }

  async exec(command: string, o: { timeoutMs: number; signal?: AbortSignal }): Promise<RemoteOutput> {
    const remote = this.endpoint.platform === 'windows' ? encodedPowerShell(command) : command;
    const r = await this.runner(sshArgv(this.endpoint, remote), { timeoutMs: o.timeoutMs, ...(o.signal ? { signal: o.signal } : {}) });
    // ssh exits 255 for its own errors (connection refused, authentication, host key)
    if (r.exitCode === 255) throw new LabError('E_SSH', `ssh to ${this.label} failed: ${r.stderr.trim().split('\n').slice(-2).join(' | ') || 'exit 255'}`);
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut };
  }

  async upload(localDir: string, remoteDir: string, o: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    const sig = o.signal ? { signal: o.signal } : {};
    if (this.endpoint.platform === 'windows') {
      await this.exec(`New-Item -ItemType Directory -Force -Path '${remoteDir}' | Out-Null`, { timeoutMs: o.timeoutMs, ...sig });
      const entries = readdirSync(localDir).map((f) => path.join(localDir, f));
      const e = this.endpoint;
      const argv = ['scp', '-r', ...sshOptions(e), '-P', String(e.port), ...entries, `${e.user}@${e.host}:${remoteDir.replace(/\\/g, '/')}/`];
      const r = await this.runner(argv, { timeoutMs: o.timeoutMs, ...sig });
      if (r.exitCode !== 0) throw new LabError('E_SSH_UPLOAD', `scp to ${this.label} failed: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
      return;
    }
    const tmp = mkdtempSync(path.join(tmpdir(), 'atomic-lab-upload-'));
    try {
      const tar = path.join(tmp, 'upload.tar');
      await execa('tar', ['-C', localDir, '-cf', tar, '.']);
      const r = await this.runner(sshArgv(this.endpoint, `mkdir -p ${shQuote(remoteDir)} && tar -C ${shQuote(remoteDir)} -xf -`),
        { timeoutMs: o.timeoutMs, inputFile: tar, ...sig });
      if (r.exitCode !== 0) throw new LabError('E_SSH_UPLOAD', `upload to ${this.label}:${remoteDir} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}
