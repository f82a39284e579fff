// Runs the real CLI (bin/atomic-lab.js) as a child process, as a user would.
import { execa } from 'execa';
import path from 'node:path';
import { REPO_ROOT } from './corpus.ts';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const r = await execa('node', [path.join(REPO_ROOT, 'bin/atomic-lab.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    reject: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    env: { ...options.env, CI: 'true' },
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
