// Reading the sandbox's file system from the host, after the fact: a path inside the sandbox is
// found under its bind when it lies under one (rw/ro: the host path; cow: the bind's upper folder,
// else the host path), else in the root overlay: the upper layer when the sandbox wrote it, else
// the host's own file (the lower layer). Used to check proofs (custom_action_test.txt in the prefix) and to
// resolve what an execve really ran (symlinks, `#!` interpreters) the way /proc/<pid>/exe and
// the kernel's binfmt_script would have shown it.
import { existsSync, lstatSync, openSync, readSync, closeSync, readlinkSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Bind } from './session.ts';

export class SandboxFsView {
  constructor(
    private readonly upperDir: string,
    private readonly binds: readonly Bind[],
  ) {}

  /** Candidate host paths for an inside path, most specific first. */
  private candidates(inside: string): string[] {
    const norm = path.posix.normalize(inside);
    const bind = [...this.binds]
      .filter((b) => norm === b.target || norm.startsWith(b.target.endsWith('/') ? b.target : `${b.target}/`))
      .sort((a, b) => b.target.length - a.target.length)[0];
    if (bind) {
      const rest = norm.slice(bind.target.length);
      return bind.mode === 'cow' && bind.upper ? [path.join(bind.upper, rest), path.join(bind.source, rest)] : [path.join(bind.source, rest)];
    }
    return [path.join(this.upperDir, norm), norm];
  }

  /** The host path holding `inside` (upper layer first), or undefined. Whiteouts (deleted files) count as absent. */
  hostPath(inside: string): string | undefined {
    for (const c of this.candidates(inside)) {
      try {
        const st = lstatSync(c);
        if (st.isCharacterDevice() && st.rdev === 0) return undefined; // overlayfs whiteout
        return c;
      } catch {
        // next layer
      }
    }
    return undefined;
  }

  exists(inside: string): boolean {
    return this.hostPath(inside) !== undefined;
  }

  /** realpath inside the sandbox (symlinks followed component by component, absolute targets re-rooted). */
  realpath(inside: string, depth = 0): string {
    if (depth > 40) return inside;
    const parts = path.posix.normalize(inside).split('/').filter(Boolean);
    let cur = '/';
    for (let i = 0; i < parts.length; i++) {
      const next = path.posix.join(cur, parts[i]!);
      const host = this.hostPath(next);
      if (host) {
        try {
          if (lstatSync(host).isSymbolicLink()) {
            const target = readlinkSync(host);
            const resolved = target.startsWith('/') ? target : path.posix.join(cur, target);
            return this.realpath(path.posix.join(resolved, ...parts.slice(i + 1)), depth + 1);
          }
        } catch {
          // unreadable: keep the name
        }
      }
      cur = next;
    }
    return cur;
  }

  /** The first bytes of a file inside the sandbox. */
  head(inside: string, bytes = 256): Buffer | undefined {
    const host = this.hostPath(this.realpath(inside));
    if (!host) return undefined;
    try {
      const fd = openSync(host, 'r');
      try {
        const buf = Buffer.alloc(bytes);
        const n = readSync(fd, buf, 0, bytes, 0);
        return buf.subarray(0, n);
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
  }

  /**
   * What the kernel runs for execve(path): the real binary (symlinks resolved, as /proc/<pid>/exe
   * shows it) and, for a `#!` script, the interpreter words that binfmt_script puts before the
   * script path in argv (interpreter and at most one argument: execve(2), "Interpreter scripts").
   */
  resolveExec(inside: string): { image: string; argvPrefix: string[] } {
    let prefix: string[] = [];
    let target = inside;
    for (let depth = 0; depth < 4; depth++) {
      const head = this.head(target, 256);
      if (!head || head[0] !== 0x23 || head[1] !== 0x21) break;
      const line = head.toString('latin1').slice(2).split('\n')[0]!.trim();
      const m = /^(\S+)(?:\s+(.*))?$/.exec(line);
      if (!m) break;
      prefix = [m[1]!, ...(m[2] ? [m[2].trim()] : []), ...prefix];
      target = m[1]!;
    }
    return { image: this.realpath(target), argvPrefix: prefix };
  }

  /** Files the sandbox created or changed (the upper layers), as inside paths, sorted; at most `limit`. */
  changedFiles(limit = 20_000): string[] {
    const out: string[] = [];
    const walk = (dir: string, rel: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (out.length >= limit) return;
        const p = path.posix.join(rel, e.name);
        if (e.isDirectory()) walk(path.join(dir, e.name), p);
        else out.push(p);
      }
    };
    if (existsSync(this.upperDir)) walk(this.upperDir, '/');
    for (const b of this.binds) if (b.mode === 'cow' && b.upper && existsSync(b.upper)) walk(b.upper, b.target);
    return out.sort();
  }
}
