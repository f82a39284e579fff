// The auditd sensor on the real kernel: records only the processes carrying its audit uid, waits
// for its sentinel, and leaves the kernel's audit state as it found it (no rules, same enabled flag
// and backlog limit). Skipped, with the reason printed, where auditd cannot be the sensor.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditdSensor, auditdUnavailable } from '../../../harness/sensors/auditd.ts';

const why = await auditdUnavailable();
if (why) console.log(`auditd sensor tests skipped: ${why}`);
const status = () => execFileSync('auditctl', ['-s'], { encoding: 'utf8' });
const field = (s: string, k: string) => new RegExp(`^${k} (\\S+)`, 'm').exec(s)?.[1];

describe.skipIf(Boolean(why))('auditd sensor', () => {
  it('records the wrapped command tree only, and restores the kernel state', async () => {
    const before = status();
    const dir = mkdtempSync(path.join(tmpdir(), 'atomic-lab-auditd-it-'));
    const token = `unwrapped-${process.pid}`;
    const sensor = await AuditdSensor.start(dir, 2_000_000_001, 'atomic-lab-it');
    try {
      expect(field(status(), 'backlog_limit')).toBe('8192');
      const [cmd, ...args] = sensor.wrap(['sh', '-c', 'ls / > /dev/null; exec true wrapped-child']);
      execFileSync(cmd!, args);
      execFileSync('sh', ['-c', `true ${token}`]); // not under the sensor's audit uid
      const sentinel = sensor.sentinel();
      execFileSync(sentinel.argv[0]!, sentinel.argv.slice(1));
      expect(await sensor.drain(sentinel.token)).toBe(true);
      const log = readFileSync(sensor.logFile, 'utf8');
      expect(log).toMatch(/type=EXECVE .* a0="ls" a1="\/"/);
      expect(log).toContain('a1="wrapped-child"');
      expect(log).not.toContain(token);
      expect(log).toMatch(/auid=2000000001 /);
    } finally {
      await sensor.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const after = status();
    expect(execFileSync('auditctl', ['-l'], { encoding: 'utf8' })).not.toContain('atomic-lab-it');
    expect(field(after, 'enabled')).toBe(field(before, 'enabled'));
    expect(field(after, 'backlog_limit')).toBe(field(before, 'backlog_limit'));
    expect(field(after, 'pid')).toBe('0');
  });
});
