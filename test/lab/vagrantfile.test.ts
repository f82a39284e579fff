// The Vagrantfile (repo root) and the lab/ provisioning it points at, read as text: the facts of
// reference/lab-recipes.md §7.2 it must keep. `vagrant validate` itself runs in
// vagrant-validate.integration.test.ts when vagrant is installed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/corpus.ts';

const VAGRANTFILE = readFileSync(path.join(REPO_ROOT, 'Vagrantfile'), 'utf8');
/** WinRM communicator settings (hashicorp/vagrant plugins/communicators/winrm/config.rb). */
export const WINRM_KEYS = ['host', 'port', 'guest_port', 'username', 'password', 'transport', 'basic_auth_only', 'execution_time_limit',
  'timeout', 'max_tries', 'retry_delay', 'ssl_peer_verification', 'ca_trust_path', 'codepage'];

describe('Vagrantfile', () => {
  const code = VAGRANTFILE.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
  it('Windows machine: a public Windows 10 box over WinRM with boot_timeout 600', () => {
    expect(code).toMatch(/win\.vm\.box = "gusztavvargadr\/windows-10"/);
    expect(code).toMatch(/win\.vm\.communicator = "winrm"/);
    expect(code).toMatch(/win\.vm\.boot_timeout = 600\b/);
  });
  it('WinRM uses the real retry keys max_tries and retry_delay (retry_limit is not a key: Vagrant ignores it silently)', () => {
    const keys = [...code.matchAll(/\bwin\.winrm\.(\w+)\s*=/g)].map((m) => m[1]!);
    expect(keys).toEqual(expect.arrayContaining(['max_tries', 'retry_delay', 'transport', 'username', 'password']));
    expect(keys.filter((k) => !WINRM_KEYS.includes(k))).toEqual([]);
    expect(code).not.toMatch(/retry_limit/);
  });
  it('both machines are provisioned from files of this repository, which exist', () => {
    const paths = [...code.matchAll(/(?:path|source): "([^"]+)"/g)].map((m) => m[1]!);
    expect(paths).toEqual(['lab/windows/sysmon-config.xml', 'lab/windows/provision.ps1', 'lab/linux/provision.sh']);
    for (const p of paths) expect(existsSync(path.join(REPO_ROOT, p)), p).toBe(true);
  });
});

describe('lab/windows/provision.ps1', () => {
  const ps = readFileSync(path.join(REPO_ROOT, 'lab/windows/provision.ps1'), 'utf8');
  it('installs Sysmon with the lab config, and process-creation auditing with command lines (auditpol + registry)', () => {
    expect(ps).toMatch(/Sysmon64\.exe" -accepteula -i \$Config/);
    // {0CCE922B-69AE-11D9-BED3-505054503030} is the Process Creation subcategory (locale-independent)
    expect(ps).toMatch(/auditpol \/set \/subcategory:"\{0CCE922B-69AE-11D9-BED3-505054503030\}" \/success:enable/);
    expect(ps).toMatch(/ProcessCreationIncludeCmdLine_Enabled -Value 1 -Type DWord/);
    expect(ps).toMatch(/EnableScriptBlockLogging -Value 1/);
  });
});

describe('lab/linux/provision.sh', () => {
  const sh = readFileSync(path.join(REPO_ROOT, 'lab/linux/provision.sh'), 'utf8');
  it('installs auditd, python3-pip and curl and makes sure auditd is enabled', () => {
    expect(sh).toMatch(/apt-get install .*\bauditd\b.*\bpython3-pip\b.*\bcurl\b/);
    expect(sh).toMatch(/auditctl -s \| grep -q 'enabled 1'/);
  });
});
