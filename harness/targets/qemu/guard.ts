// QEMU processes that die with the harness: util-linux `setpriv --pdeathsig KILL` sets the
// parent-death signal and execs QEMU, so the kernel SIGKILLs it whenever the harness process ends,
// however it ends (SIGINT, SIGTERM, SIGKILL, a crash) — no handler of ours has to run.
import { execa } from 'execa';

let setprivChecked: boolean | undefined;
async function hasSetpriv(): Promise<boolean> {
  if (setprivChecked === undefined) {
    const r = await execa('setpriv', ['--help'], { reject: false });
    setprivChecked = r.exitCode === 0 && /--pdeathsig/.test(String(r.stdout));
  }
  return setprivChecked;
}

/** argv that dies with the harness: `setpriv --pdeathsig KILL -- argv` when util-linux has it. */
export async function dieWithParent(argv: string[]): Promise<string[]> {
  return (await hasSetpriv()) ? ['setpriv', '--pdeathsig', 'KILL', '--', ...argv] : argv;
}
