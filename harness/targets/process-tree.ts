// Linux process-tree helpers over /proc: the descendants of a process, and killing a whole tree
// (Invoke-AtomicRedTeam kills only direct children on Linux, `pkill -9 -P`: reference/atomics.md
// §3.2; processes that re-parent themselves, like a daemonising wineserver, escape that).
import { readdirSync, readFileSync } from 'node:fs';

/** pid → ppid for every process visible in /proc. */
function parentTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces and parentheses: split after the last ')'
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), Number(rest[1]));
    } catch {
      // the process exited while we looked
    }
  }
  return table;
}

/** pids of every descendant of `pid` (not including it), parents before children. */
export function descendants(pid: number): number[] {
  const table = parentTable();
  const children = new Map<number, number[]>();
  for (const [p, pp] of table) {
    const list = children.get(pp) ?? [];
    list.push(p);
    children.set(pp, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILLs `pid` and all its descendants (children first found, then the root). Returns the pids signalled. */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): number[] {
  const pids = [...descendants(pid), pid];
  const signalled: number[] = [];
  for (const p of pids) {
    try {
      process.kill(p, signal);
      signalled.push(p);
    } catch {
      // already gone
    }
  }
  return signalled;
}

/** Waits until `pid` is gone (polling), up to `ms`. */
export async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid) || isZombie(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !isAlive(pid) || isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}
