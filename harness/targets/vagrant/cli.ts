// The Vagrant CLI as the vagrant target drives it. Every call goes through one CommandRunner, so
// the target's exact command sequence can be replayed from a recorded transcript in tests
// (test/fixtures/vagrant/), where no Windows VM can run.
//
// Output formats read here (Vagrant 2.3.4 source, lib/vagrant/ui.rb MachineReadable#machine):
// `--machine-readable` lines are `<unix time>,<target>,<type>,<data>...` with ',' in data written as
// `%!(VAGRANT_COMMA)` and newlines as `\n`.
import { LabError } from '../../core/errors.ts';
import { execaRunner, type CommandOutput, type CommandRunner } from '../ssh/command.ts';

export interface MachineLine {
  time: number;
  target: string;
  type: string;
  data: string[];
}

export function parseMachineReadable(stdout: string): MachineLine[] {
  const out: MachineLine[] = [];
  for (const line of stdout.split('\n')) {
    const parts = line.replace(/\r$/, '').split(',');
    if (parts.length < 3 || !/^\d+$/.test(parts[0]!)) continue;
    out.push({
      time: Number(parts[0]),
      target: parts[1]!,
      type: parts[2]!,
      data: parts.slice(3).map((d) => d.replace(/%!\(VAGRANT_COMMA\)/g, ',').replace(/\\n/g, '\n').replace(/\\r/g, '\r')),
    });
  }
  return out;
}

/** `vagrant status --machine-readable`: the `state` line (running, poweroff, not_created, saved, ...). */
export function machineState(stdout: string, machine: string): string | undefined {
  return parseMachineReadable(stdout).find((l) => l.type === 'state' && l.target === machine)?.data[0];
}

/**
 * `vagrant snapshot list --machine-readable`: an `output` line (empty text) then one `detail` line
 * per snapshot; with none, the output line says "No snapshots have been taken yet!" followed by
 * a detail line of advice (templates/locales/en.yml list_none / list_none_detail).
 */
export function snapshotNames(stdout: string, machine: string): string[] {
  const ui = parseMachineReadable(stdout).filter((l) => l.type === 'ui' && (l.target === machine || l.target === ''));
  if (ui.some((l) => l.data[0] === 'output' && /No snapshots have been taken yet/.test(l.data[1] ?? ''))) return [];
  if (ui.some((l) => /not created/i.test(l.data[1] ?? ''))) return [];
  return ui.filter((l) => l.data[0] === 'detail').map((l) => (l.data[1] ?? '').trim()).filter(Boolean);
}

/** One machine of a Vagrantfile, driven through the CLI. */
export class VagrantMachine {
  constructor(
    readonly dir: string,
    readonly machine: string,
    private readonly runner: CommandRunner = execaRunner,
    private readonly defaultTimeoutMs = 600_000,
  ) {}

  /** Runs `vagrant <args>`; a failure is a LabError naming the command and Vagrant's message. */
  async run(args: string[], o: { timeoutMs?: number; signal?: AbortSignal; allowFailure?: boolean } = {}): Promise<CommandOutput> {
    const argv = ['vagrant', ...args];
    const timeoutMs = o.timeoutMs ?? this.defaultTimeoutMs;
    const r = await this.runner(argv, { cwd: this.dir, timeoutMs, ...(o.signal ? { signal: o.signal } : {}) });
    if (r.timedOut) throw new LabError('E_VAGRANT_TIMEOUT', `\`${argv.join(' ')}\` did not finish within ${timeoutMs / 1000} s`);
    if (r.exitCode !== 0 && !o.allowFailure) {
      const why = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-4).join(' | ');
      throw new LabError('E_VAGRANT', `\`${argv.slice(0, 4).join(' ')}\` failed (exit ${r.exitCode ?? 'none'}): ${why}`);
    }
    return r;
  }

  async state(): Promise<string> {
    const r = await this.run(['status', this.machine, '--machine-readable'], { timeoutMs: 120_000 });
    const s = machineState(r.stdout, this.machine);
    if (!s) throw new LabError('E_VAGRANT', `\`vagrant status ${this.machine}\` reported no state: is '${this.machine}' defined in ${this.dir}/Vagrantfile?`);
    return s;
  }

  async snapshots(): Promise<string[]> {
    return snapshotNames((await this.run(['snapshot', 'list', this.machine, '--machine-readable'], { timeoutMs: 120_000 })).stdout, this.machine);
  }
}
