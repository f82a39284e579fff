// One boot of the lab VM in init mode (lab-recipes §6.4): a fresh qcow2 overlay on the cached base
// image, the job as a tar stream on a read-only input disk, a zeroed output disk the guest writes
// its results onto as a tar stream, the serial console piped to us. The guest's PID 1
// (lab/qemu/init) prints "ATOMIC: ..." progress lines and powers off when done.
//
// The VM never outlives the harness: QEMU is started through `setpriv --pdeathsig KILL` (guard.ts), so the
// kernel kills it when the harness dies for any reason (SIGINT, SIGTERM, SIGKILL, crash); on
// top of that it is killed on boot timeout, job timeout, abort signal and process exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { LabError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { QEMU, type Accel } from './accel.ts';
import { dieWithParent } from './guard.ts';
import type { LabImage } from './image.ts';

export interface BootOptions {
  image: LabImage;
  accel: Accel;
  /** private folder for this boot: overlay and disks */
  runDir: string;
  /** where the serial console is written (default <runDir>/serial.log); outlives runDir on failure */
  serialLog?: string;
  /** tar stream for the input disk */
  inputTar: string;
  memoryMb: number;
  cpus: number;
  network: 'none' | 'user';
  /** until the guest's init prints its first line */
  bootTimeoutMs: number;
  /** from init start until the VM has powered off */
  jobTimeoutMs: number;
  outputDiskMb?: number;
  signal?: AbortSignal;
  /** each serial line, as it arrives */
  onLine?: (line: string) => void;
}

export interface BootResult {
  serialLog: string;
  /** the raw output disk (a tar stream when the guest wrote its results) */
  outputDisk: string;
  resultsWritten: boolean;
  /** seconds from QEMU start to "ATOMIC: init start", to "job end", and to QEMU exit */
  times: { boot: number; job: number; total: number };
  argv: string[];
}

const LIVE = new Set<ChildProcess>();
let exitHook = false;
function trackLive(child: ChildProcess): void {
  LIVE.add(child);
  child.once('exit', () => LIVE.delete(child));
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const c of LIVE) c.kill('SIGKILL');
    });
  }
}

/** QEMU processes of this harness still running (tests assert it returns to 0). */
export function liveVms(): number {
  return LIVE.size;
}

export function qemuArgs(o: BootOptions, overlay: string, outputDisk: string): string[] {
  return [
    QEMU, '-accel', o.accel, '-M', 'pc', '-smp', String(o.cpus), '-m', String(o.memoryMb),
    '-display', 'none', '-monitor', 'none', '-nodefaults', '-no-reboot',
    '-chardev', 'stdio,id=con,signal=off', '-serial', 'chardev:con',
    '-kernel', o.image.kernel, '-initrd', o.image.initrd,
    // panic=1 + -no-reboot: if PID 1 ever exits, QEMU exits instead of hanging
    '-append', 'root=/dev/vda rw console=ttyS0 quiet panic=1 init=/opt/atomic-lab/init',
    '-drive', `file=${overlay},if=none,id=root,format=qcow2`, '-device', 'virtio-blk-pci,drive=root',
    '-drive', `file=${o.inputTar},if=none,id=in,format=raw,readonly=on`, '-device', 'virtio-blk-pci,drive=in,serial=atomic-in',
    '-drive', `file=${outputDisk},if=none,id=out,format=raw`, '-device', 'virtio-blk-pci,drive=out,serial=atomic-out',
    ...(o.network === 'user' ? ['-nic', 'user,model=virtio-net-pci'] : ['-nic', 'none']),
  ];
}

export async function bootJob(o: BootOptions): Promise<BootResult> {
  mkdirSync(o.runDir, { recursive: true });
  const overlay = path.join(o.runDir, 'root.qcow2');
  const outputDisk = path.join(o.runDir, 'out.img');
  const serialLog = o.serialLog ?? path.join(o.runDir, 'serial.log');
  const img = await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', o.image.baseImage, '-F', 'raw', overlay], { reject: false, all: true });
  if (img.exitCode !== 0) {
    throw new LabError('E_QEMU_OVERLAY', `qemu-img could not create the per-test overlay ${overlay}: ${String(img.all).trim()} (is qemu-utils installed? sudo apt-get install -y qemu-utils)`);
  }
  writeFileSync(outputDisk, '');
  await execa('truncate', ['-s', `${o.outputDiskMb ?? 256}M`, outputDisk]);
  // a raw disk must be whole sectors; tar streams are whole 10 KiB records already
  if (statSync(o.inputTar).size % 512 !== 0) throw new LabError('E_QEMU_INPUT', `input disk ${o.inputTar} is not a whole number of 512-byte sectors`);

  const argv = await dieWithParent(qemuArgs(o, overlay, outputDisk));
  logger.debug(`qemu: ${argv.join(' ')}`);
  const serial = createWriteStream(serialLog);
  const t0 = Date.now();
  let bootAt: number | undefined;
  let jobEndAt: number | undefined;
  let resultsWritten = false;
  let failure: LabError | undefined;
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  trackLive(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4096); });

  const kill = (why: LabError) => {
    failure ??= why;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const serialTail = () => `see ${serialLog}`;
  let bootTimer: NodeJS.Timeout | undefined = setTimeout(() => kill(new LabError('E_QEMU_BOOT_TIMEOUT',
    `the lab VM did not reach its init within ${o.bootTimeoutMs / 1000} s (accel ${o.accel}); ${serialTail()}. ` +
    (o.accel === 'kvm' ? 'KVM may not work on this host: set accel: tcg for the qemu target in atomic-lab.yaml.' :
      'TCG is slow on a busy host: raise boot_timeout for the qemu target in atomic-lab.yaml.'))), o.bootTimeoutMs);
  let jobTimer: NodeJS.Timeout | undefined;
  const onAbort = () => kill(new LabError('E_INTERRUPTED', 'interrupted: the lab VM was killed'));
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();

  let pending = '';
  child.stdout!.on('data', (d: Buffer) => {
    serial.write(d);
    pending += d.toString('latin1');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).replace(/\r$/, '');
      pending = pending.slice(nl + 1);
      o.onLine?.(line);
      if (line.startsWith('ATOMIC: init start') && bootAt === undefined) {
        bootAt = Date.now();
        clearTimeout(bootTimer);
        bootTimer = undefined;
        jobTimer = setTimeout(() => kill(new LabError('E_QEMU_JOB_TIMEOUT',
          `the lab VM did not finish within ${o.jobTimeoutMs / 1000} s after boot; ${serialTail()}`)), o.jobTimeoutMs);
      } else if (line.startsWith('ATOMIC: job end')) {
        jobEndAt = Date.now();
      } else if (line.startsWith('ATOMIC: results written')) {
        resultsWritten = true;
      }
    }
  });

  const exit = await new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(bootTimer);
  clearTimeout(jobTimer);
  o.signal?.removeEventListener('abort', onAbort);
  await new Promise<void>((r) => serial.end(() => r()));
  const end = Date.now();

  if (exit.error) {
    throw new LabError('E_QEMU_START', `could not start ${QEMU}: ${exit.error.message} (sudo apt-get install -y qemu-system-x86)`, { cause: exit.error });
  }
  if (failure) throw failure;
  if (bootAt === undefined) {
    const err = stderr.split('\n').filter((l) => l && !/warning: host doesn't support/.test(l)).slice(-3).join(' ');
    throw new LabError('E_QEMU_NO_BOOT', `the lab VM stopped before its init ran (QEMU ${exit.signal ?? `exit code ${exit.code}`})${err ? `: ${err}` : ''}; ${serialTail()}`);
  }
  if (!resultsWritten) {
    throw new LabError('E_QEMU_NO_RESULTS', `the lab VM powered off without writing its results; ${serialTail()}`);
  }
  if (!existsSync(outputDisk)) throw new LabError('E_QEMU_NO_RESULTS', `output disk ${outputDisk} vanished`);
  return {
    serialLog,
    outputDisk,
    resultsWritten,
    times: { boot: (bootAt - t0) / 1000, job: ((jobEndAt ?? end) - bootAt) / 1000, total: (end - t0) / 1000 },
    argv,
  };
}
