import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe, parseRecipe } from '../../../../harness/targets/qemu/recipe.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';

describe('QEMU image recipe (lab/qemu/recipe.yaml)', () => {
  it('the repo recipe: Debian packages only, a Debian kernel in the image, auditd, pip, venv, curl, a baked venv and PID 1', () => {
    const r = loadRecipe(path.join(REPO_ROOT, 'lab/qemu/recipe.yaml'));
    expect(r).toMatchObject({ suite: 'bookworm', mirror: 'http://deb.debian.org/debian', variant: 'minbase', kernel: 'linux-image-cloud-amd64', hostname: 'labvm' });
    expect(r.packages).toEqual(expect.arrayContaining(['python3', 'python3-pip', 'python3-setuptools', 'python3-venv', 'curl', 'auditd']));
    // test 2's prerequisite path with the guest's PathToAtomicsFolder = /opt/atomic-lab/atomics
    expect(r.venvs).toEqual(['/opt/atomic-lab/ExternalPayloads/T1546.016/venv']);
    expect(r.files).toEqual([{ source: path.join(REPO_ROOT, 'lab/qemu/init'), target: '/opt/atomic-lab/init', mode: 0o755 }]);
    expect(r.key).toMatch(/^[0-9a-f]{16}$/);
  });

  it('the cache key follows the recipe text and the content of every baked file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-recipe-'));
    try {
      const text = "suite: bookworm\nmirror: http://deb.debian.org/debian\nvariant: minbase\nkernel: linux-image-amd64\npackages: [curl]\nhostname: labvm\ndisk_size_mb: 1024\nfiles:\n  - { source: init, target: /init, mode: '0755' }\n";
      writeFileSync(path.join(dir, 'init'), '#!/bin/sh\n');
      const a = parseRecipe(text, path.join(dir, 'r.yaml')).key;
      expect(parseRecipe(text, path.join(dir, 'r.yaml')).key).toBe(a);
      writeFileSync(path.join(dir, 'init'), '#!/bin/sh\necho changed\n');
      const b = parseRecipe(text, path.join(dir, 'r.yaml')).key;
      expect(b).not.toBe(a);
      expect(parseRecipe(text.replace('[curl]', '[curl, strace]'), path.join(dir, 'r.yaml')).key).not.toBe(b);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad recipe is an input error at the key', () => {
    const base = 'suite: bookworm\nmirror: http://deb.debian.org/debian\nvariant: minbase\nkernel: linux-image-amd64\nhostname: labvm\ndisk_size_mb: 1024\n';
    const err = (text: string) => { try { parseRecipe(text, '/x/r.yaml'); } catch (e) { return (e as { describe(): string }).describe(); } return 'no error'; };
    expect(err(base + 'packages: [curl, "bad name"]\n')).toBe('/x/r.yaml:7:18: packages: "bad name" does not match /^[a-z0-9][a-z0-9+.-]+$/');
    expect(err(base.replace('disk_size_mb: 1024', 'disk_size_mb: 100'))).toBe('/x/r.yaml:6:1: disk_size_mb: expected a whole number ≥ 512');
    expect(err(base + 'extra: 1\n')).toMatch(/^\/x\/r\.yaml:7:1: unknown key 'extra'/);
    expect(err(base + 'files: [{ source: nope, target: /x, mode: "0644" }]\n')).toMatch(/^\/x\/r\.yaml:7:1: baked file \/x\/nope cannot be read/);
  });
});
