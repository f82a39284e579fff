// The vagrant target: the Vagrantfile's machines (Windows 10 with Sysmon, or Debian with auditd),
// reset to a snapshot before and after every test (lab-recipes §7.2):
//
//   vagrant status <m> --machine-readable         → `vagrant up <m>` when it is not running
//   vagrant snapshot list <m> --machine-readable  → `vagrant snapshot save <m> <snap>` when missing
//   vagrant snapshot restore <m> <snap> --no-provision
//   (Windows) vagrant winrm <m> --shell powershell --command <licence probe>: an expired evaluation
//             box is a lab error (it shuts down hourly: gusztavvargadr/packer#241)
//   vagrant upload --compress <staged run> <run folder> <m>       (atomic's files, host-built MSIs, runner)
//   vagrant winrm <m> --elevated --shell powershell --command <runner>   |  vagrant ssh <m> -c <runner>
//   … the runner exports Sysmon, Security, Application for the run window (wevtutil qe /f:xml) or
//     this run's audit records (ausearch -k), and the output folder comes back as base64 tar
//   vagrant status <m>  (still running? a machine that stopped mid-test is a lab error)
//   vagrant snapshot restore <m> <snap> --no-provision
//
// Never does `snapshot push/pop`: they do not mix with save/restore.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AtomicTest } from '../../atomics/model.ts';
import { LabError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { defaultTarget } from '../../lab-config/load.ts';
import type { VagrantTargetConfig } from '../../lab-config/types.ts';
import type { LabTestSpec } from '../../run/lab-spec.ts';
import { packageRequirements } from '../packages.ts';
import { execaRunner, type CommandRunner } from '../ssh/command.ts';
import { MachineTarget, type MachineSettings } from '../ssh/machine-target.ts';
import type { RemoteOutput, Transport } from '../ssh/remote.ts';
import type { Requirement } from '../types.ts';
import { VagrantMachine } from './cli.ts';

/** Prints the licence state of the Windows installation (SoftwareLicensingProduct, Windows application id). */
export const LICENCE_PROBE = [
  "$l = Get-CimInstance -ClassName SoftwareLicensingProduct -Filter \"PartialProductKey IS NOT NULL AND ApplicationID='55c92734-d682-4d71-983e-d6ec3f16059f'\" | Select-Object -First 1",
  "Write-Output \"ATOMIC-LICENCE status=$($l.LicenseStatus) grace=$($l.GracePeriodRemaining) description=$($l.Description)\"",
].join('; ');

export interface Licence {
  /** SoftwareLicensingProduct.LicenseStatus: 1 licensed, 5 notification (expired), ... */
  status: number;
  /** minutes left */
  grace: number;
  description: string;
}

export function parseLicence(stdout: string): Licence | undefined {
  const m = /ATOMIC-LICENCE status=(\d+) grace=(\d+) description=(.*)/.exec(stdout);
  return m ? { status: Number(m[1]), grace: Number(m[2]), description: m[3]!.trim() } : undefined;
}

/** An evaluation edition (description has TIMEBASED_EVAL) that is out of its licensed period. */
export function evaluationExpired(l: Licence): boolean {
  return /EVAL/i.test(l.description) && (l.status !== 1 || l.grace <= 0);
}

class VagrantTransport implements Transport {
  readonly label: string;
  constructor(private readonly vm: VagrantMachine, private readonly platform: 'linux' | 'windows') {
    this.label = `vagrant machine ${vm.machine}`;
  }

  async upload(localDir: string, remoteDir: string, o: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    await this.vm.run(['upload', '--compress', localDir, remoteDir, this.vm.machine], { timeoutMs: o.timeoutMs, ...(o.signal ? { signal: o.signal } : {}) });
  }

  async exec(command: string, o: { timeoutMs: number; signal?: AbortSignal; elevated?: boolean }): Promise<RemoteOutput> {
    const args = this.platform === 'windows'
      ? ['winrm', this.vm.machine, ...(o.elevated ? ['--elevated'] : []), '--shell', 'powershell', '--command', command]
      : ['ssh', this.vm.machine, '-c', command];
    const r = await this.vm.run(args, { timeoutMs: o.timeoutMs, allowFailure: true, ...(o.signal ? { signal: o.signal } : {}) });
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut };
  }
}

export class VagrantTarget extends MachineTarget {
  readonly name = 'vagrant' as const;
  protected readonly settings: MachineSettings;
  readonly vm: VagrantMachine;
  private restored = false;

  constructor(readonly config: VagrantTargetConfig = defaultTarget('vagrant') as VagrantTargetConfig, runner: CommandRunner = execaRunner) {
    super();
    this.vm = new VagrantMachine(config.vagrantfileDir, config.machine, runner);
    this.settings = {
      platform: config.platform,
      sensors: config.sensors,
      linuxBase: '/var/tmp/atomic-lab',
      // test 2's venv, made by lab/linux/provision.sh before the snapshot was taken
      payloadsDir: '/opt/atomic-lab/ExternalPayloads',
      sudo: true,
      testTimeoutSec: config.testTimeout,
    };
  }

  protected transport(): Transport {
    return new VagrantTransport(this.vm, this.config.platform);
  }

  /** Running, on the snapshot, and (Windows) within its licence. */
  protected override async beforeJob(signal?: AbortSignal): Promise<void> {
    const { machine, snapshot } = this.config;
    const sig = signal ? { signal } : {};
    const state = await this.vm.state();
    if (state !== 'running') {
      logger.info(`vagrant: ${machine} is ${state}; vagrant up ${machine} (Windows boxes take minutes)`);
      await this.vm.run(['up', machine], { timeoutMs: this.config.upTimeout * 1000, ...sig });
    }
    if (!(await this.vm.snapshots()).includes(snapshot)) {
      logger.info(`vagrant: no snapshot '${snapshot}' of ${machine} yet: saving the current, freshly provisioned state as '${snapshot}'`);
      await this.vm.run(['snapshot', 'save', machine, snapshot], { timeoutMs: 1_800_000, ...sig });
    }
    await this.vm.run(['snapshot', 'restore', machine, snapshot, '--no-provision'], { timeoutMs: 1_800_000, ...sig });
    this.restored = true;
    if (this.config.platform === 'windows') await this.checkLicence();
  }

  private async checkLicence(): Promise<void> {
    const r = await this.vm.run(['winrm', this.config.machine, '--shell', 'powershell', '--command', LICENCE_PROBE], { timeoutMs: 300_000, allowFailure: true });
    const licence = parseLicence(r.stdout);
    if (!licence) {
      throw new LabError('E_VAGRANT_WINRM', `could not reach ${this.config.machine} over WinRM after the snapshot restore (exit ${r.exitCode}): ` +
        `${(r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' | ')}. Check \`vagrant winrm ${this.config.machine} --command hostname\`; ` +
        'Debian\'s vagrant package has no WinRM support (no winrm gem): use HashiCorp\'s vagrant or `vagrant plugin install winrm winrm-fs winrm-elevated`');
    }
    if (evaluationExpired(licence)) {
      throw new LabError('E_VAGRANT_EVAL_EXPIRED', `the Windows evaluation licence of ${this.config.machine} has expired (LicenseStatus ${licence.status}, ` +
        `${licence.grace} minutes left, ${licence.description}): such boxes shut down every hour, so results would be unreliable. ` +
        `Get a current box: vagrant box update && vagrant destroy -f ${this.config.machine} && vagrant up ${this.config.machine}`);
    }
  }

  protected override async afterJob(): Promise<void> {
    const state = await this.vm.state();
    if (state !== 'running') {
      throw new LabError('E_VAGRANT_STOPPED', `${this.config.machine} is ${state} after the test: the machine stopped while the test ran` +
        (this.config.platform === 'windows' ? ' (an expired evaluation box shuts down every hour; check its licence with slmgr /dlv)' : ''));
    }
  }

  protected override async afterTest(): Promise<void> {
    if (!this.restored) return;
    this.restored = false;
    await this.vm.run(['snapshot', 'restore', this.config.machine, this.config.snapshot, '--no-provision'], { timeoutMs: 1_800_000 });
  }

  async requirements(_tests: readonly AtomicTest[], _specs: ReadonlyMap<string, LabTestSpec>): Promise<Requirement[]> {
    const out = await packageRequirements(['vagrant']);
    const file = path.join(this.config.vagrantfileDir, 'Vagrantfile');
    out.push({
      id: 'vagrantfile', description: `Vagrantfile in ${this.config.vagrantfileDir}`, met: existsSync(file),
      install: `set vagrantfile_dir of the vagrant target in atomic-lab.yaml to the folder holding the Vagrantfile (the repo has one)`,
    });
    return out;
  }

  async versions(): Promise<Record<string, string>> {
    const r = await this.vm.run(['--version'], { timeoutMs: 60_000, allowFailure: true });
    return { vagrant: r.stdout.trim() || 'not installed', 'vagrant-machine': `${this.config.machine} (${this.config.platform}), snapshot ${this.config.snapshot}` };
  }
}
