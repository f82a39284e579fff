// A real OpenSSH server on loopback for the ssh target's tests: fresh host and user keys, a
// private config (key authentication only, this user's own account), a free port, and a
// known_hosts file pinning the host key. Stopped (and its folder removed) by stop().
import { execa, type ResultPromise } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface LoopbackSshd {
  dir: string;
  port: number;
  user: string;
  key: string;
  knownHosts: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

export async function startSshd(): Promise<LoopbackSshd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-sshd-'));
  const hostKey = path.join(dir, 'host_ed25519');
  const key = path.join(dir, 'user_ed25519');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${key}.pub`));
  const port = await freePort();
  writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  const config = path.join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no',
    'StrictModes no', 'PermitRootLogin prohibit-password', 'LogLevel ERROR', '',
  ].join('\n'));
  // sshd refuses to start without its privilege separation folder when run as root
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ResultPromise = execa('/usr/sbin/sshd', ['-D', '-e', '-f', config], { reject: false, stdin: 'ignore' });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
  for (let i = 0; i < 100 && !(await accepting(port)); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await accepting(port))) {
    child.kill('SIGKILL');
    throw new Error(`sshd did not start on 127.0.0.1:${port}: ${log}`);
  }
  return {
    dir, port, user: os.userInfo().username, key, knownHosts: path.join(dir, 'known_hosts'),
    stop: async () => {
      child.kill('SIGTERM');
      await child;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
