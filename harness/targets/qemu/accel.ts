// KVM or TCG. An openable /dev/kvm is not enough: on this project's own build host (a Firecracker
// guest with nested KVM) /dev/kvm opens, QEMU starts with -accel kvm and runs BIOS code, but the
// Linux kernel stalls forever right after "Probing EDD" while burning host CPU in the kernel.
// So `auto` proves KVM by booting the lab kernel without a root disk: it must print its
// "Kernel panic ... Unable to mount root fs" (panic=-1 + -no-reboot make QEMU exit there) within
// PROBE_TIMEOUT_MS. Under working KVM that takes well under a second, under TCG about 2 s.
// The verdict is cached per host kernel, QEMU version and lab kernel.
import { execa } from 'execa';
import { constants, accessSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { dieWithParent } from './guard.ts';

export type Accel = 'kvm' | 'tcg';

export interface AccelChoice {
  accel: Accel;
  reason: string;
}

export const QEMU = 'qemu-system-x86_64';
const PROBE_TIMEOUT_MS = 20_000;

export function kvmDeviceUsable(dev = '/dev/kvm'): boolean {
  try {
    accessSync(dev, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export async function qemuVersion(binary = QEMU): Promise<string | undefined> {
  const r = await execa(binary, ['--version'], { reject: false });
  if (r.exitCode !== 0) return undefined;
  return /version (\S+)/.exec(String(r.stdout))?.[1];
}

/** Boots `kernel` under `accel` with no root disk; true when it reached its panic in time. */
export async function probeBoot(kernel: string, accel: Accel, scratchDir: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<{ ok: boolean; detail: string; seconds: number }> {
  mkdirSync(scratchDir, { recursive: true });
  const serial = path.join(scratchDir, `probe-${accel}-${process.pid}.log`);
  const t0 = Date.now();
  const argv = await dieWithParent([
    QEMU, '-accel', accel, '-M', 'pc', '-m', '256', '-display', 'none', '-nodefaults', '-monitor', 'none',
    '-serial', `file:${serial}`, '-no-reboot', '-kernel', kernel, '-append', 'console=ttyS0 panic=-1 loglevel=0',
  ]);
  const r = await execa(argv[0]!, argv.slice(1), { reject: false, timeout: timeoutMs, forceKillAfterDelay: 1000, stdin: 'ignore', all: true });
  const seconds = (Date.now() - t0) / 1000;
  const text = existsSync(serial) ? readFileSync(serial, 'latin1') : '';
  rmSync(serial, { force: true });
  if (r.timedOut) return { ok: false, detail: `no kernel panic within ${timeoutMs / 1000} s (the guest kernel stalls)`, seconds };
  if (/Kernel panic/.test(text)) return { ok: true, detail: `kernel reached its panic in ${seconds.toFixed(1)} s`, seconds };
  const err = String(r.all ?? '').trim().split('\n').filter((l) => !/warning: host doesn't support/.test(l)).slice(-2).join(' ');
  return { ok: false, detail: `QEMU exited (${r.exitCode ?? r.signal}) before the kernel ran${err ? `: ${err}` : ''}`, seconds };
}

interface ProbeCache {
  [fingerprint: string]: { ok: boolean; detail: string; when: string };
}

/**
 * The accelerator to use. `kvm` insists (LabError when it does not work), `tcg` never probes,
 * `auto` uses KVM only when /dev/kvm is usable and a probe boot of `kernel` proves it.
 */
export async function chooseAccel(requested: 'auto' | Accel, kernel: string, cacheDir: string): Promise<AccelChoice> {
  if (requested === 'tcg') return { accel: 'tcg', reason: 'tcg requested' };
  if (!kvmDeviceUsable()) {
    if (requested === 'kvm') {
      throw new LabError('E_QEMU_NO_KVM', 'accel: kvm was requested but /dev/kvm is missing or not writable by this user: ' +
        'load the module (modprobe kvm_intel or kvm_amd) and add the user to the kvm group (sudo adduser $USER kvm), or set accel: auto');
    }
    return { accel: 'tcg', reason: '/dev/kvm missing or not writable' };
  }
  const fingerprint = `${os.release()}|${(await qemuVersion()) ?? '?'}|${path.basename(path.dirname(kernel))}`;
  const cacheFile = path.join(cacheDir, 'accel-probe.json');
  let cache: ProbeCache = {};
  try {
    cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as ProbeCache;
  } catch {
    // no verdict yet
  }
  let verdict = cache[fingerprint];
  if (!verdict) {
    const probe = await probeBoot(kernel, 'kvm', cacheDir);
    verdict = { ok: probe.ok, detail: probe.detail, when: new Date().toISOString() };
    cache[fingerprint] = verdict;
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(cache, null, 2) + '\n');
    logger.debug(`KVM probe: ${probe.ok ? 'works' : 'does not work'} (${probe.detail})`);
  }
  if (verdict.ok) return { accel: 'kvm', reason: `KVM probe boot succeeded (${verdict.detail})` };
  if (requested === 'kvm') {
    throw new LabError('E_QEMU_KVM_BROKEN', `accel: kvm was requested but a probe boot under KVM failed: ${verdict.detail}. ` +
      `Use accel: tcg (or auto), or delete ${cacheFile} to probe again`);
  }
  return { accel: 'tcg', reason: `/dev/kvm opens but a probe boot under KVM failed: ${verdict.detail}` };
}
