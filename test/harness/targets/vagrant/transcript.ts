// Replays a recorded vagrant transcript (test/fixtures/vagrant/*.transcript.yaml) as the target's
// CommandRunner: each call must be the next recorded argv, exactly (placeholders filled in), and
// gets the recorded exit code and output. `{STAGE}` matches any path and hands the staged folder to
// `onStage`, so the test can look at what would have been uploaded.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { CommandRunner } from '../../../../harness/targets/ssh/command.ts';

interface RecordedCall {
  argv: string[];
  exit: number;
  stdout: string;
  stderr?: string;
}

export interface Transcript {
  runner: CommandRunner;
  /** argv of every call made so far */
  calls: string[][];
  /** recorded calls not made */
  remaining(): number;
}

export async function tarBase64(dir: string): Promise<string> {
  const r = await execa('tar', ['--owner=0', '--group=0', '-C', dir, '-cf', '-', '.'], { encoding: 'buffer' });
  return Buffer.from(r.stdout).toString('base64');
}

export function loadTranscript(file: string, vars: Record<string, string>, onStage?: (dir: string) => void): Transcript {
  const recorded = (parse(readFileSync(file, 'utf8')) as { calls: RecordedCall[] }).calls;
  const fill = (s: string) => s.replace(/\{([A-Z_0-9]+)\}/g, (whole, k: string) => vars[k] ?? whole);
  const calls: string[][] = [];
  let next = 0;
  const runner: CommandRunner = async (argv) => {
    calls.push(argv);
    const rec = recorded[next++];
    if (!rec) throw new Error(`${path.basename(file)}: unexpected call #${next}: ${JSON.stringify(argv)}`);
    const expected = rec.argv.map(fill);
    let stage: string | undefined;
    const same = expected.length === argv.length && expected.every((e, i) => {
      if (e !== '{STAGE}') return e === argv[i];
      stage = argv[i];
      return true;
    });
    if (!same) throw new Error(`${path.basename(file)}: call #${next} differs from the recording:\n  expected ${JSON.stringify(expected)}\n  got      ${JSON.stringify(argv)}`);
    if (stage !== undefined) onStage?.(stage);
    const now = new Date().toISOString();
    const sub = (s: string) => fill(s).replace('{STAGE}', stage ?? '{STAGE}');
    return { argv, exitCode: rec.exit, stdout: sub(rec.stdout ?? ''), stderr: sub(rec.stderr ?? ''), timedOut: false, started: now, finished: now };
  };
  return { runner, calls, remaining: () => recorded.length - next };
}
