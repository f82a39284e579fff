import { describe, expect, it } from 'vitest';
import { extractBase64 } from '../../../../harness/targets/ssh/remote.ts';
import { encodedPowerShell, sshArgv } from '../../../../harness/targets/ssh/transport.ts';
import { windowsDescribe, windowsRunnerCommand } from '../../../../harness/targets/ssh/windows-job.ts';

describe('ssh transport', () => {
  it('ssh never prompts, uses the configured key only and pins the known_hosts file', () => {
    const e = { host: 'h', port: 2222, user: 'lab', key: '/k/id', knownHosts: '/k/known', connectTimeout: 7, platform: 'linux' as const };
    expect(sshArgv(e, 'uname -a')).toEqual([
      'ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=7', '-o', 'ServerAliveInterval=15', '-o', 'LogLevel=ERROR',
      '-i', '/k/id', '-o', 'IdentitiesOnly=yes', '-o', 'UserKnownHostsFile=/k/known', '-o', 'StrictHostKeyChecking=yes',
      '-p', '2222', 'lab@h', '--', 'uname -a',
    ]);
    expect(sshArgv({ ...e, key: undefined, knownHosts: undefined }, 'x')).not.toContain('-i');
  });
  it('PowerShell goes to Windows OpenSSH as -EncodedCommand: base64 of UTF-16LE, no quoting layer', () => {
    const cmd = encodedPowerShell("Write-Output 'a \"b\" $c'");
    const b64 = cmd.split(' ').at(-1)!;
    expect(cmd.startsWith('powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ')).toBe(true);
    expect(Buffer.from(b64, 'base64').toString('utf16le')).toBe("Write-Output 'a \"b\" $c'");
  });
  it('results come back as base64 between markers, line breaks and CRs ignored', () => {
    const b64 = Buffer.from('tar bytes').toString('base64');
    expect(extractBase64(`noise\r\nATOMIC-LAB-B64-BEGIN\r\n${b64.slice(0, 4)}\r\n${b64.slice(4)}\r\nATOMIC-LAB-B64-END\r\n`)?.toString()).toBe('tar bytes');
    expect(extractBase64('ATOMIC-LAB-B64-BEGIN only')).toBeUndefined();
  });
});

describe('Windows runner invocations (Invoke-AtomicRedTeam wrapping, reference/atomics.md §3.2)', () => {
  it('command_prompt: cmd.exe /c "<lines joined with & (prerequisites: &&)>"; powershell: & {…} with " escaped', () => {
    expect(windowsDescribe('command_prompt')('msiexec /x a.msi /qn\r\ndel /f x\n').display).toBe('cmd.exe /c "msiexec /x a.msi /qn & del /f x"');
    expect(windowsDescribe('command_prompt', ' && ')('where wixl\nwhere msiinfo').argv).toEqual(['cmd.exe', '/c', 'where wixl && where msiinfo']);
    expect(windowsDescribe('powershell')('Write-Host "hi"').display).toBe('powershell.exe -NoProfile -Command "& {Write-Host \\"hi\\"}"');
    expect(windowsRunnerCommand('C:\\atomic-lab\\runs\\m', 'm')).toBe(
      "powershell.exe -NoProfile -ExecutionPolicy Bypass -File 'C:\\atomic-lab\\runs\\m\\job\\run-atomic.ps1' -Job 'C:\\atomic-lab\\runs\\m\\job' -Out 'C:\\atomic-lab\\runs\\m\\out' -Marker m");
  });
});
