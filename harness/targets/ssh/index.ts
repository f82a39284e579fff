// The ssh target: any lab host named in the lab config (address, port, user, key, platform,
// sensors). Linux hosts run lab/linux/run-atomic.sh (auditd: this run's rules only, exported with
// `ausearch -k`; `sudo: true` when the user is not root); Windows hosts with OpenSSH and Sysmon run
// lab/windows/run-atomic.ps1 and export Sysmon, Security and Application for the run window.
// The host is shared and long-lived: runs land in <work_dir>/runs/<run id>/ and are removed after;
// <work_dir>/ExternalPayloads persists (what get_prereq_command fetched stays fetched).
import type { AtomicTest } from '../../atomics/model.ts';
import type { SshTargetConfig } from '../../lab-config/types.ts';
import type { LabTestSpec } from '../../run/lab-spec.ts';
import { packageRequirements } from '../packages.ts';
import type { Requirement } from '../types.ts';
import { execaRunner, type CommandRunner } from './command.ts';
import { MachineTarget, type MachineSettings } from './machine-target.ts';
import type { Transport } from './remote.ts';
import { SshTransport } from './transport.ts';

export class SshTarget extends MachineTarget {
  readonly name = 'ssh' as const;
  protected readonly settings: MachineSettings;
  private readonly ssh: SshTransport;

  constructor(readonly config: SshTargetConfig, runner: CommandRunner = execaRunner) {
    super();
    this.ssh = new SshTransport(config, runner);
    this.settings = {
      platform: config.platform,
      sensors: config.sensors,
      linuxBase: config.workDir,
      payloadsDir: `${config.workDir}/ExternalPayloads`,
      sudo: config.sudo,
      testTimeoutSec: config.testTimeout,
    };
  }

  protected transport(): Transport {
    return this.ssh;
  }

  /** One command on the host; undefined when it could not run (unreachable, refused). */
  private async probe(command: string): Promise<{ ok: boolean; text: string; stdout: string }> {
    try {
      const r = await this.ssh.exec(command, { timeoutMs: (this.config.connectTimeout + 30) * 1000 });
      return { ok: r.exitCode === 0, text: (r.stdout.trim() || r.stderr.trim()).split('\n').slice(-2).join(' | '), stdout: r.stdout };
    } catch (e) {
      return { ok: false, text: (e as Error).message, stdout: '' };
    }
  }

  async requirements(_tests: readonly AtomicTest[], _specs: ReadonlyMap<string, LabTestSpec>): Promise<Requirement[]> {
    const out = await packageRequirements(['openssh-client']);
    const c = this.config;
    const login = `ssh${c.key ? ` -i ${c.key}` : ''} -p ${c.port} ${c.user}@${c.host}`;
    const reach = await this.probe(c.platform === 'windows' ? '$PSVersionTable.PSVersion.ToString()' : 'uname -sr');
    out.push({ id: `ssh:${c.name}`, description: `ssh login to ${this.ssh.label}`, met: reach.ok, detail: reach.text,
      install: `check host, port, user and key of target '${c.name}' in the lab config; try: ${login} true` });
    if (!reach.ok) return out;
    const sudo = c.sudo ? 'sudo -n ' : '';
    if (c.platform === 'linux') {
      if (c.sudo) {
        const s = await this.probe('sudo -n true');
        out.push({ id: `sudo:${c.name}`, description: `passwordless sudo for ${c.user} on ${c.host}`, met: s.ok, detail: s.text,
          install: `on ${c.host}: echo '${c.user} ALL=(ALL) NOPASSWD: ALL' | sudo tee /etc/sudoers.d/atomic-lab` });
      }
      if (c.sensors.includes('auditd')) {
        const a = await this.probe(`${sudo}auditctl -s`);
        out.push({ id: `auditd:${c.name}`, description: `auditd running on ${c.host}`, met: a.ok && /^enabled [12]$/m.test(a.stdout), detail: a.stdout.split('\n')[0] || a.text,
          install: `on ${c.host}: sudo apt-get install -y auditd && sudo systemctl enable --now auditd (or run lab/linux/provision.sh there)` });
      }
    } else if (c.sensors.includes('sysmon')) {
      const s = await this.probe('(Get-Service -Name Sysmon64,Sysmon -ErrorAction SilentlyContinue | Where-Object Status -eq Running).Name');
      out.push({ id: `sysmon:${c.name}`, description: `Sysmon running on ${c.host}`, met: s.ok && /Sysmon/i.test(s.text), detail: s.text,
        install: `on ${c.host}: copy lab/windows/sysmon-config.xml to C:\\atomic-lab\\ and run lab/windows/provision.ps1 elevated` });
    }
    return out;
  }

  async versions(): Promise<Record<string, string>> {
    const r = await this.probe(this.config.platform === 'windows' ? '[Environment]::OSVersion.VersionString' : 'uname -srm');
    return { [`ssh:${this.config.name}`]: `${this.ssh.label}: ${r.text}` };
  }
}
