// What "the host is unchanged" means for the integration suite, as data to compare before/after:
// processes and mounts that belong to a run (found by its work folder or run markers in their
// command line or environment: other users of the machine may run Wine or strace too), and files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Live processes whose command line or environment mentions any of `needles`. */
export function processesMentioning(needles: readonly string[]): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    let text = '';
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // zombies hold nothing
      text = `${readFileSync(`/proc/${pid}/cmdline`, 'utf8')}\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}`;
    } catch {
      continue;
    }
    if (needles.some((n) => text.includes(n))) out.push(`${pid} ${text.split('\0').slice(0, 4).join(' ').slice(0, 160)}`);
  }
  return out;
}

/** Mount points under a folder (in this mount namespace, the host's). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4]?.startsWith(dir));
}

export function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
