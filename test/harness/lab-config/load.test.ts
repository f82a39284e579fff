import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../../harness/core/errors.ts';
import { loadLabConfig, parseLabConfig, resolveTarget } from '../../../harness/lab-config/load.ts';

const REPO = '/repo';
const parse = (text: string) => parseLabConfig(text, '/etc/lab/atomic-lab.yaml', REPO);
/** The InputError of `text`, as `file:line:col: message`. */
function failure(text: string): string {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(2);
    return (e as InputError).describe();
  }
  throw new Error('no error');
}

describe('lab config (atomic-lab.yaml)', () => {
  it('fills every default; paths of the file resolve against its folder, default paths against the repo', () => {
    const c = parse([
      'targets:',
      '  qemu: {}',
      '  win:',
      '    type: vagrant',
      '    machine: win11',
      '  web01:',
      '    type: ssh',
      '    host: 192.0.2.10',
      '    user: root',
      '    key: keys/lab',
      '    platform: linux',
      '',
    ].join('\n'));
    expect(c.file).toBe('/etc/lab/atomic-lab.yaml');
    expect(c.targets.map((t) => [t.name, t.type])).toEqual([['qemu', 'qemu'], ['win', 'vagrant'], ['web01', 'ssh']]);
    expect(c.targets[0]).toMatchObject({ accel: 'auto', memory: 1024, cpus: 2, bootTimeout: 180, testTimeout: 300, network: 'none', recipe: '/repo/lab/qemu/recipe.yaml', position: { line: 2, column: 3 } });
    expect(c.targets[1]).toMatchObject({ machine: 'win11', platform: 'windows', snapshot: 'clean', vagrantfileDir: '/repo', sensors: ['sysmon', 'security', 'application'] });
    expect(c.targets[2]).toMatchObject({ host: '192.0.2.10', port: 22, key: '/etc/lab/keys/lab', sudo: false, sensors: ['auditd'], workDir: '/var/tmp/atomic-lab', connectTimeout: 15 });
  });

  it('an unknown setting names the file, line and column of the key, and lists the allowed ones', () => {
    expect(failure('targets:\n  web01:\n    type: ssh\n    hots: x\n')).toMatch(/^\/etc\/lab\/atomic-lab\.yaml:4:5: target 'web01' \(ssh\): unknown setting 'hots' \(allowed: type, test_timeout, host, port, /);
  });

  it('values are checked against their type, choices and range, at the value\'s position', () => {
    expect(failure('targets:\n  qemu:\n    accel: fast\n')).toBe("/etc/lab/atomic-lab.yaml:3:5: accel: expected one of auto, kvm, tcg, got \"fast\"");
    expect(failure('targets:\n  qemu:\n    memory: 64\n')).toBe('/etc/lab/atomic-lab.yaml:3:5: memory: 64 is out of range 256..65536');
    expect(failure('targets:\n  qemu:\n    cpus: two\n')).toBe('/etc/lab/atomic-lab.yaml:3:5: cpus: expected a whole number, got "two"');
    expect(failure('targets:\n  h:\n    type: ssh\n    host: a\n    user: u\n    platform: linux\n    sensors: [auditd, sysmon]\n')).toBe(
      "/etc/lab/atomic-lab.yaml:7:23: sensors: 'sysmon' does not exist on linux (use auditd)");
  });

  it('required settings, a type for names that are not types, and the document shape', () => {
    expect(failure('targets:\n  h:\n    type: ssh\n    user: u\n    platform: linux\n')).toBe("/etc/lab/atomic-lab.yaml:2:3: target 'h' (ssh): 'host' is required (address or name)");
    expect(failure('targets:\n  mybox:\n    memory: 2048\n')).toMatch(/^\/etc\/lab\/atomic-lab\.yaml:2:3: target 'mybox': add `type:`/);
    expect(failure('target:\n  qemu: {}\n')).toBe("/etc/lab/atomic-lab.yaml:1:1: unknown key 'target' (allowed: targets)");
    expect(failure('targets: []\n')).toMatch(/^\/etc\/lab\/atomic-lab\.yaml:1:1: `targets:` must map target names/);
    expect(failure('targets:\n  qemu:\n    accel: auto\n    accel: kvm\n')).toMatch(/^\/etc\/lab\/atomic-lab\.yaml:4:5: /);
  });

  it('without a file: the built-in wine, sandbox and qemu targets; an unreadable --config is an input error', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-config-'));
    try {
      expect(loadLabConfig({ cwd: dir, repoDir: REPO }).targets.map((t) => t.name)).toEqual(['wine', 'sandbox', 'qemu']);
      writeFileSync(path.join(dir, 'atomic-lab.yaml'), 'targets:\n  qemu: { accel: tcg }\n');
      expect(loadLabConfig({ cwd: dir, repoDir: REPO }).targets).toMatchObject([{ name: 'qemu', accel: 'tcg' }]);
      expect(() => loadLabConfig({ file: path.join(dir, 'missing.yaml') })).toThrowError(expect.objectContaining({ code: 'E_CONFIG_READ', exitCode: 2 }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--target NAME: the entry of that name, the only entry of a type, or the built-in defaults; ssh needs a host', () => {
    const c = parse('targets:\n  a: { type: ssh, host: h1, user: u, platform: linux }\n  b: { type: ssh, host: h2, user: u, platform: linux }\n  vm: { type: qemu, accel: tcg }\n');
    expect(resolveTarget(c, 'b', REPO)).toMatchObject({ name: 'b', host: 'h2' });
    expect(resolveTarget(c, 'qemu', REPO)).toMatchObject({ name: 'vm', accel: 'tcg' });
    expect(resolveTarget(c, 'vagrant', REPO)).toMatchObject({ name: 'vagrant', machine: 'win10' });
    expect(() => resolveTarget(c, 'ssh', REPO)).toThrowError(/several ssh targets \(a, b\)/);
    expect(() => resolveTarget(c, 'nope', REPO)).toThrowError(UsageError);
    expect(() => resolveTarget({ targets: [] }, 'ssh', REPO)).toThrowError(/the ssh target needs a host/);
  });
});
