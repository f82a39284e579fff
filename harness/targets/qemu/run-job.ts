// One test in the QEMU lab VM: pack the job, boot a fresh overlay of the cached image, unpack the
// results the guest wrote, remove the overlay. Used by the qemu target and bench/qemu-target.ts.
import { mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '../process-tree.ts';
import { linuxDescribe, packJob, unpackResults, writeLinuxJob, type LinuxJob } from '../ssh/linux-job.ts';
import { readRunnerOutput, type RunnerOutput } from '../ssh/runner-output.ts';
import type { Accel } from './accel.ts';
import { qemuCacheDir, type LabImage } from './image.ts';
import { bootJob, type BootResult } from './vm.ts';

/** Where the input tar is unpacked in the guest (lab/qemu/init); PathToAtomicsFolder is <base>/atomics. */
export const GUEST_BASE = '/opt/atomic-lab';
export const GUEST_ATOMICS = `${GUEST_BASE}/atomics`;
/** The scratch folder a test may write to (a tmpfs in the guest) */
export const GUEST_TMP = '/tmp';

export interface VmJobOptions {
  image: LabImage;
  accel: Accel;
  memoryMb: number;
  cpus: number;
  network: 'none' | 'user';
  bootTimeoutSec: number;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
  /** where the guest's results and the serial log go (the overlay and disks are always removed) */
  resultsDir: string;
}

export interface VmJobResult {
  output: RunnerOutput;
  boot: BootResult;
  /** "ATOMIC: error ..." lines the guest printed */
  guestErrors: string[];
}

const RUNS = () => path.join(qemuCacheDir(), 'runs');

/** Removes run folders left by harness processes that no longer exist (killed before cleanup). */
export function removeStaleRuns(): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(RUNS());
  } catch {
    return;
  }
  for (const e of entries) {
    const pid = Number(/^(\d+)-/.exec(e)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) rmSync(path.join(RUNS(), e), { recursive: true, force: true });
  }
}

export async function runJobInVm(job: LinuxJob, o: VmJobOptions): Promise<VmJobResult> {
  removeStaleRuns();
  mkdirSync(RUNS(), { recursive: true });
  const runDir = mkdtempSync(path.join(RUNS(), `${process.pid}-`));
  const guestErrors: string[] = [];
  mkdirSync(o.resultsDir, { recursive: true });
  try {
    writeLinuxJob(path.join(runDir, 'job-src'), job);
    const inputTar = path.join(runDir, 'in.tar');
    await packJob(path.join(runDir, 'job-src'), inputTar);
    const boot = await bootJob({
      image: o.image,
      accel: o.accel,
      runDir,
      inputTar,
      serialLog: path.join(o.resultsDir, 'serial.log'),
      memoryMb: o.memoryMb,
      cpus: o.cpus,
      network: o.network,
      bootTimeoutMs: o.bootTimeoutSec * 1000,
      // the runner's own timeouts bound the job: prerequisites, test and cleanup each get
      // timeoutSec; the margin covers auditd, the listener and the result copy under TCG
      jobTimeoutMs: (job.timeoutSec * (3 + (job.dependencies?.length ?? 0) * 3) + 120) * 1000,
      ...(o.signal ? { signal: o.signal } : {}),
      onLine: (line) => {
        if (line.startsWith('ATOMIC: error')) guestErrors.push(line.slice('ATOMIC: '.length));
        o.onLine?.(line);
      },
    });
    await unpackResults(boot.outputDisk, o.resultsDir);
    const output = readRunnerOutput(o.resultsDir, { ...job, describe: linuxDescribe(job) });
    return { output, boot, guestErrors };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}
