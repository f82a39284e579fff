// Debian packages as target requirements: checked with dpkg-query, installed with apt-get (what
// `--get-prereqs` does for the system side; .ci/apt-packages.txt is the CI's copy of the list).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LabError } from '../core/errors.ts';
import { logger } from '../core/logger.ts';
import type { Requirement } from './types.ts';

const run = promisify(execFile);

/** Installed packages among `names` (dpkg status "install ok installed"). */
export async function installedPackages(names: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (names.length === 0) return out;
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Package}\t${db:Status-Abbrev}\n', ...names], { maxBuffer: 1 << 20 });
    for (const line of stdout.split('\n')) {
      const [name, status] = line.split('\t');
      if (name && status?.startsWith('ii')) out.add(name.split(':')[0]!);
    }
  } catch (e) {
    // dpkg-query exits 1 when some names are unknown but still prints the known ones
    const stdout = (e as { stdout?: string }).stdout ?? '';
    for (const line of stdout.split('\n')) {
      const [name, status] = line.split('\t');
      if (name && status?.startsWith('ii')) out.add(name.split(':')[0]!);
    }
  }
  return out;
}

function aptCommand(names: readonly string[]): string[] {
  const base = ['apt-get', '-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...names];
  return process.getuid?.() === 0 ? base : ['sudo', '-n', ...base];
}

/** One requirement per package; the missing ones share one installer (a single apt-get call). */
export async function packageRequirements(names: readonly string[]): Promise<Requirement[]> {
  const unique = [...new Set(names)].sort();
  const installed = await installedPackages(unique);
  const missing = unique.filter((n) => !installed.has(n));
  let installing: Promise<void> | undefined;
  const installAll = () => (installing ??= installPackages(missing));
  return unique.map((name) => ({
    id: `package:${name}`,
    description: `Debian package ${name}`,
    met: installed.has(name),
    install: aptCommand(missing.length ? missing : [name]).join(' '),
    ...(installed.has(name) ? {} : { installer: installAll }),
  }));
}

async function installPackages(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const argv = aptCommand(names);
  logger.info(`installing ${names.join(', ')} (${argv.join(' ')})`);
  try {
    await run(argv[0]!, argv.slice(1), { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 << 20, timeout: 30 * 60_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new LabError('E_APT', `could not install ${names.join(', ')}: ${(err.stderr ?? err.message).trim().split('\n').slice(-3).join(' | ')}`, { cause: e });
  }
}
