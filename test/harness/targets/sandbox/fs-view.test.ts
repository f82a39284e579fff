// Reading a sandbox's files from the host after the run (fs-view.ts): upper layer over lower,
// whiteouts, binds, symlinks and #! interpreters (execve(2), "Interpreter scripts").
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxFsView } from '../../../../harness/targets/sandbox/fs-view.ts';

describe('SandboxFsView', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'fsview-'));
  const upper = path.join(root, 'upper');
  const lower = path.join(root, 'lower'); // stands for the host's own files
  const cache = path.join(root, 'cache');
  for (const d of [upper, lower, cache]) mkdirSync(d, { recursive: true });
  // a venv the sandbox created through the payload bind, and a script the sandbox wrote
  mkdirSync(path.join(cache, 'venv/bin'), { recursive: true });
  symlinkSync(`${lower}/python3.11`, path.join(cache, 'venv/bin/python3'));
  writeFileSync(path.join(cache, 'venv/bin/pip'), `#!/payloads/venv/bin/python3\nimport pip\n`);
  writeFileSync(path.join(lower, 'python3.11'), '\x7fELF');
  mkdirSync(path.join(upper, lower), { recursive: true });
  writeFileSync(path.join(upper, lower, 'new.sh'), '#!/bin/sh -e\necho\n');
  const fs = new SandboxFsView(upper, [{ mode: 'rw', source: cache, target: '/payloads' }]);

  it('a path under a bind is read from the bind source', () => {
    expect(fs.hostPath('/payloads/venv/bin/pip')).toBe(path.join(cache, 'venv/bin/pip'));
  });
  it('a file the sandbox wrote is read from the upper layer, others from the host', () => {
    expect(fs.hostPath(`${lower}/new.sh`)).toBe(path.join(upper, lower, 'new.sh'));
    expect(fs.hostPath(`${lower}/python3.11`)).toBe(`${lower}/python3.11`);
    expect(fs.exists('/definitely/not/here')).toBe(false);
  });
  it('resolveExec: a #! script runs its interpreter, symlinks resolved like /proc/<pid>/exe', () => {
    expect(fs.resolveExec('/payloads/venv/bin/pip')).toEqual({ image: `${lower}/python3.11`, argvPrefix: ['/payloads/venv/bin/python3'] });
    expect(fs.resolveExec(`${lower}/new.sh`).argvPrefix).toEqual(['/bin/sh', '-e']);
    expect(fs.resolveExec(`${lower}/python3.11`)).toEqual({ image: `${lower}/python3.11`, argvPrefix: [] });
  });
  it('lists the changed files (the upper layer) as paths inside', () => {
    expect(fs.changedFiles()).toEqual([`${lower}/new.sh`]);
  });
});
