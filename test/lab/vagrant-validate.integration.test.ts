// `vagrant validate` on the real Vagrantfile (vagrant is in .ci/apt-packages.txt). Debian's vagrant
// package ships without the winrm gem, yet Vagrant eager-loads its WinRM communicator for every
// machine with communicator "winrm", even to validate (lib/vagrant/machine.rb, GH-3390); with that
// vagrant, test/fixtures/vagrant/winrm-stub (a MOCK: only the constants the communicator names
// while loading) is put on RUBYLIB. All configuration checks are Vagrant's own.
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/corpus.ts';

const STUB = path.join(REPO_ROOT, 'test/fixtures/vagrant/winrm-stub');

async function validate(dir: string): Promise<{ exitCode: number; output: string; stubbed: boolean }> {
  const plain = await execa('vagrant', ['validate'], { cwd: dir, reject: false, all: true, env: { VAGRANT_CHECKPOINT_DISABLE: '1' } });
  if (!/cannot load such file -- winrm/.test(String(plain.all))) return { exitCode: plain.exitCode ?? -1, output: String(plain.all), stubbed: false };
  const r = await execa('vagrant', ['validate'], { cwd: dir, reject: false, all: true, env: { VAGRANT_CHECKPOINT_DISABLE: '1', RUBYLIB: STUB } });
  return { exitCode: r.exitCode ?? -1, output: String(r.all), stubbed: true };
}

/** A copy of the Vagrantfile and the lab files it names, in a temporary folder. */
function copyLab(edit?: (text: string) => string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-vagrantfile-'));
  cpSync(path.join(REPO_ROOT, 'lab'), path.join(dir, 'lab'), { recursive: true });
  const text = readFileSync(path.join(REPO_ROOT, 'Vagrantfile'), 'utf8');
  writeFileSync(path.join(dir, 'Vagrantfile'), edit ? edit(text) : text);
  return dir;
}

describe('Vagrantfile under the installed vagrant (WinRM constants stubbed when Debian\'s vagrant lacks the winrm gem: mock)', () => {
  it('vagrant validate passes on the repository\'s Vagrantfile (a byte-identical copy, so no .vagrant/ lands in the checkout)', async () => {
    const dir = copyLab();
    try {
      const r = await validate(dir).catch((e: Error) => {
        throw new Error(`vagrant is not installed (sudo apt-get install -y vagrant): ${e.message}`);
      });
      expect(r.output).toMatch(/Vagrantfile validated successfully/);
      expect(r.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('and fails where it should: a provisioner file that does not exist', async () => {
    const dir = copyLab((t) => t.replace('path: "lab/windows/provision.ps1"', 'path: "lab/windows/missing.ps1"'));
    try {
      const r = await validate(dir);
      expect(r.exitCode).toBe(1);
      expect(r.output).toMatch(/`path` for shell provisioner does not exist on the host system: .*lab\/windows\/missing\.ps1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every win.winrm setting is an attribute of the installed Vagrant\'s WinRM config (validate does not catch unknown ones)', async () => {
    const gemDir = (await execa('ruby', ['-e', "puts Gem::Specification.find_by_name('vagrant').gem_dir"])).stdout.trim();
    const config = readFileSync(path.join(gemDir, 'plugins/communicators/winrm/config.rb'), 'utf8');
    const known = [...config.matchAll(/attr_accessor :(\w+)/g)].map((m) => m[1]!);
    expect(known).toEqual(expect.arrayContaining(['max_tries', 'retry_delay']));
    expect(known).not.toContain('retry_limit');
    const used = [...readFileSync(path.join(REPO_ROOT, 'Vagrantfile'), 'utf8').matchAll(/^\s*win\.winrm\.(\w+)\s*=/gm)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((k) => !known.includes(k))).toEqual([]);
    // the silent failure this guards against: Vagrant validates a misspelt retry setting without a word
    const dir = copyLab((t) => t.replace('win.winrm.max_tries = 20', 'win.winrm.retry_limit = 20'));
    try {
      expect((await validate(dir)).exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
