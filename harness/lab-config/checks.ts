// What `atomic-lab doctor` checks for each configured target: everything the target's own
// requirements() reports (packages, the Wine prefix, the QEMU image, ssh reachability...) plus the
// checks only a health report needs (namespaces usable, KVM or TCG, the Debian mirror reachable
// for an image build, the Vagrant machine's state). Each failed check carries the command that
// fixes it.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { createTarget } from '../targets/index.ts';
import { packageRequirements } from '../targets/packages.ts';
import { chooseAccel, kvmDeviceUsable } from '../targets/qemu/accel.ts';
import { cachedImage, qemuCacheDir } from '../targets/qemu/image.ts';
import { QemuTarget } from '../targets/qemu/index.ts';
import { SshTarget } from '../targets/ssh/index.ts';
import type { Requirement } from '../targets/types.ts';
import { VagrantMachine } from '../targets/vagrant/cli.ts';
import { VagrantTarget } from '../targets/vagrant/index.ts';
import type { QemuTargetConfig, TargetConfig, VagrantTargetConfig } from './types.ts';

export interface Check {
  target: string;
  item: string;
  ok: boolean;
  /** informational only: never makes doctor fail */
  info?: boolean;
  detail?: string;
  fix?: string;
}

function fromRequirement(target: string, r: Requirement): Check {
  return { target, item: r.description, ok: r.met, ...(r.detail ? { detail: r.detail } : {}), ...(r.met ? {} : { fix: r.install }) };
}

async function commandOk(argv: string[], timeoutMs = 20_000): Promise<{ ok: boolean; out: string }> {
  const r = await execa(argv[0]!, argv.slice(1), { reject: false, timeout: timeoutMs, all: true, stdin: 'ignore' });
  return { ok: r.exitCode === 0, out: String(r.all ?? '').trim() };
}

async function wineChecks(name: string): Promise<Check[]> {
  const reqs = await createTarget('wine').requirements([], new Map());
  const msi = await packageRequirements(['msitools', 'wixl']);
  return [...reqs, ...msi].map((r) => fromRequirement(name, r));
}

async function sandboxChecks(name: string): Promise<Check[]> {
  const out = (await createTarget('sandbox').requirements([], new Map())).map((r) => fromRequirement(name, r));
  const rootless = typeof process.getuid === 'function' && process.getuid() !== 0;
  const argv = ['unshare', '--fork', '--pid', '--mount', '--net', ...(rootless ? ['--map-root-user'] : []), 'true'];
  const u = await commandOk(argv);
  out.push({
    target: name, item: `namespaces usable (${argv.join(' ')})`, ok: u.ok, ...(u.out ? { detail: u.out } : {}),
    ...(u.ok ? {} : { fix: rootless ? 'sudo sysctl -w kernel.unprivileged_userns_clone=1 (or run as root)' : 'run on a kernel with user, PID, mount and network namespaces' }),
  });
  return out;
}

async function mirrorReachable(mirror: string, suite: string): Promise<Check['detail'] | undefined> {
  try {
    const r = await fetch(`${mirror.replace(/\/$/, '')}/dists/${suite}/Release`, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
    return r.ok ? undefined : `HTTP ${r.status}`;
  } catch (e) {
    return (e as Error).message;
  }
}

async function qemuChecks(config: QemuTargetConfig): Promise<Check[]> {
  const name = config.name;
  const target = new QemuTarget(config);
  const recipe = target.recipe;
  const out = (await target.requirements([], new Map())).map((r) => fromRequirement(name, r));
  const image = cachedImage(recipe);
  if (image) {
    out.push({ target: name, item: `guest kernel ${image.manifest.kernelVersion}`, ok: existsSync(image.kernel) && existsSync(image.initrd), detail: image.kernel,
      fix: `rm -rf ${image.dir} && atomic-lab doctor --build-image` });
    const accel = await chooseAccel(config.accel, image.kernel, qemuCacheDir()).then(
      (c) => ({ ok: true, detail: `${c.accel.toUpperCase()}: ${c.reason}` }),
      (e: Error) => ({ ok: false, detail: e.message }),
    );
    out.push({ target: name, item: `accelerator (accel: ${config.accel})`, ok: accel.ok, info: accel.ok, detail: accel.detail, fix: 'set accel: tcg (or auto) for this target' });
  } else {
    const problem = await mirrorReachable(recipe.mirror, recipe.suite);
    out.push({ target: name, item: `Debian mirror ${recipe.mirror} reachable (for the image build)`, ok: problem === undefined,
      ...(problem ? { detail: problem } : {}), fix: `allow HTTP to ${new URL(recipe.mirror).host}, or set mirror: in ${recipe.file}` });
    out.push({ target: name, item: 'KVM device', ok: true, info: true, detail: kvmDeviceUsable() ? '/dev/kvm usable (probed at the first boot)' : 'no usable /dev/kvm: TCG (slower, works)' });
  }
  return out;
}

async function vagrantChecks(config: VagrantTargetConfig): Promise<Check[]> {
  const name = config.name;
  const out = (await new VagrantTarget(config).requirements([], new Map())).map((r) => fromRequirement(name, r));
  if (!out.every((c) => c.ok)) return out;
  const vm = new VagrantMachine(config.vagrantfileDir, config.machine);
  const status = await vm.run(['status', config.machine, '--machine-readable'], { timeoutMs: 120_000, allowFailure: true });
  const text = `${status.stderr}\n${status.stdout}`;
  if (/cannot load such file -- winrm/.test(text)) {
    out.push({ target: name, item: 'Vagrant can talk WinRM', ok: false, detail: "this vagrant has no winrm gem (Debian's package ships without it)",
      fix: 'install HashiCorp\'s vagrant (https://developer.hashicorp.com/vagrant/install), or: vagrant plugin install winrm winrm-fs winrm-elevated' });
    return out;
  }
  const state = /,state,([^,\n]+)/.exec(status.stdout)?.[1];
  out.push({
    target: name, item: `machine ${config.machine} created`, ok: status.exitCode === 0 && state !== undefined && state !== 'not_created',
    detail: state ?? (status.stderr.trim().split('\n').at(-1) || `exit ${status.exitCode}`),
    fix: `cd ${config.vagrantfileDir} && vagrant up ${config.machine} && vagrant snapshot save ${config.machine} ${config.snapshot}`,
  });
  if (state && state !== 'not_created') {
    const snaps = await vm.snapshots().catch(() => [] as string[]);
    out.push({ target: name, item: `snapshot '${config.snapshot}' of ${config.machine}`, ok: snaps.includes(config.snapshot), detail: snaps.join(', ') || 'none',
      fix: `cd ${config.vagrantfileDir} && vagrant snapshot save ${config.machine} ${config.snapshot}` });
  }
  return out;
}

export async function checkTarget(config: TargetConfig): Promise<Check[]> {
  switch (config.type) {
    case 'wine':
      return wineChecks(config.name);
    case 'sandbox':
      return sandboxChecks(config.name);
    case 'qemu':
      return qemuChecks(config);
    case 'vagrant':
      return vagrantChecks(config);
    case 'ssh':
      return (await new SshTarget(config).requirements([], new Map())).map((r) => fromRequirement(config.name, r));
  }
}

/** One line per check: `ok`, `MISSING` or `info`, the target, the item, the detail and the fix. */
export function formatChecks(checks: readonly Check[]): string {
  const width = Math.max(6, ...checks.map((c) => c.target.length));
  return checks.map((c) => {
    const mark = c.ok ? (c.info ? 'info' : 'ok') : 'MISSING';
    const line = `${mark.padEnd(7)} ${c.target.padEnd(width)}  ${c.item}${c.detail ? ` (${c.detail})` : ''}`;
    return c.ok || !c.fix ? line : `${line}\n${' '.repeat(9 + width)}fix: ${c.fix}`;
  }).join('\n') + '\n';
}

