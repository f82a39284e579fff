import { describe, expect, it } from 'vitest';
import { getView } from '../../../../harness/telemetry/views/index.ts';
import { flatEvent, linuxConnect, linuxCurl, msiEvent, sysmonEvent, wineEvent } from '../../../fixtures/views/events.ts';

const enriched = getView('falcon', 'falcon');
const fdr = getView('falcon', 'falcon-fdr');

describe('Falcon view', () => {
  it('renders process creation as ProcessRollup2 with every value a string (telemetry.md §6: "Every value is a JSON string")', () => {
    const e = fdr.render(sysmonEvent)!;
    expect(e.event_simpleName).toBe('ProcessRollup2');
    expect(e.name).toBe('ProcessRollup2V19');
    expect(e.event_platform).toBe('Win');
    for (const v of Object.values(e)) expect(typeof v).toBe('string');
    expect(e.RawProcessId).toBe('4940');
    expect(e.ParentBaseFileName).toBe('msiexec.exe');
    expect(e.CommandLine).toBe(sysmonEvent.process!.commandLine);
  });

  it('writes Windows ImageFileName as a device path while CommandLine keeps the drive letter (telemetry.md §6)', () => {
    const e = fdr.render(sysmonEvent)!;
    expect(e.ImageFileName).toBe('\\Device\\HarddiskVolume1\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(String(e.CommandLine)).toMatch(/^"C:\\/);
  });

  it('raw FDR PR2 has no ComputerName, UserName or FileName (cql.md §8.1 "Not on raw FDR PR2")', () => {
    const e = fdr.render(sysmonEvent)!;
    for (const k of ['ComputerName', 'UserName', 'FileName', 'FilePath', '#event_simpleName']) expect(e).not.toHaveProperty(k);
  });

  it('the enriched search view adds ComputerName, UserName, FileName, FilePath and tags the type (cql.md §8.1, §1.6)', () => {
    const e = enriched.render(sysmonEvent)!;
    expect(e['#event_simpleName']).toBe('ProcessRollup2');
    expect(e).not.toHaveProperty('event_simpleName');
    expect(e['#repo']).toBe('base_sensor');
    expect(e.ComputerName).toBe('SERVER002');
    expect(e.UserName).toBe('SERVER002\\admin_test');
    expect(e.FileName).toBe('powershell.exe');
    expect(e.FilePath).toBe('\\Device\\HarddiskVolume1\\Windows\\System32\\WindowsPowerShell\\v1.0\\');
  });

  it("links a child's ParentProcessId to the parent's TargetProcessId (telemetry.md §6)", () => {
    const child = fdr.render(sysmonEvent)!;
    const parentAsChild = fdr.render({
      ...sysmonEvent,
      process: { ...sysmonEvent.parent! },
      parent: undefined,
    })!;
    expect(child.ParentProcessId).toBe(parentAsChild.TargetProcessId);
    expect(child.TargetProcessId).toMatch(/^\d+$/);
  });

  it('NetworkConnectIP4 carries ContextProcessId = the PR2 TargetProcessId and no image name (cql.md §8.2)', () => {
    const pr2 = enriched.render(linuxCurl)!;
    const net = enriched.render(linuxConnect)!;
    expect(net['#event_simpleName']).toBe('NetworkConnectIP4');
    expect(net.name).toBe('NetworkConnectIP4LinV5');
    expect(net.ContextProcessId).toBe(pr2.TargetProcessId);
    expect(net.RemoteAddressIP4).toBe('127.0.0.1');
    expect(net.RemotePort).toBe('8765');
    expect(net.Protocol).toBe('6');
    expect(net.ConnectionDirection).toBe('0');
    for (const k of ['ImageFileName', 'FileName', 'CommandLine', 'ParentBaseFileName', 'UserName', 'TargetProcessId', 'ContextBaseFileName']) {
      expect(net).not.toHaveProperty(k);
    }
  });

  it('Linux PR2 keeps POSIX paths and the parent base name', () => {
    const e = fdr.render(linuxCurl)!;
    expect(e.name).toBe('ProcessRollup2LinV6');
    expect(e.ImageFileName).toBe('/usr/bin/curl');
    expect(e.ParentBaseFileName).toBe('python3.11');
    expect(e.event_platform).toBe('Lin');
  });

  it('a Wine-derived process is reported like a Windows one', () => {
    const e = enriched.render(wineEvent)!;
    expect(e.ImageFileName).toBe('\\Device\\HarddiskVolume1\\windows\\system32\\cmd.exe');
    expect(e.ParentBaseFileName).toBe('msiexec.exe');
    expect(e.FileName).toBe('cmd.exe');
  });

  it('has no event for MsiInstaller records (not Falcon telemetry)', () => {
    expect(enriched.render(msiEvent)).toBeNull();
  });

  it('passes flat objects through untouched (CONTRACTS.md: flat JSON is the product view as-is)', () => {
    expect(enriched.render(flatEvent)).toBe((flatEvent.record as { fields: unknown }).fields);
  });

  it('renames a native FDR event_simpleName to the #event_simpleName tag in the enriched view only', () => {
    const native = {
      ...linuxCurl,
      record: { type: 'falcon' as const, fields: { event_simpleName: 'ProcessRollup2', aid: 'a', CommandLine: 'x' } },
    };
    expect(enriched.render(native)).toEqual({ '#event_simpleName': 'ProcessRollup2', '#repo': 'base_sensor', aid: 'a', CommandLine: 'x' });
    expect(fdr.render(native)).toEqual({ event_simpleName: 'ProcessRollup2', aid: 'a', CommandLine: 'x' });
  });

  it('rejects an unknown profile with the list of profiles (exit 2 material)', () => {
    expect(() => getView('falcon', 'falcon-x')).toThrow(/unknown falcon profile 'falcon-x'; profiles: falcon, falcon-fdr/);
  });
});
