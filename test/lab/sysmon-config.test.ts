// lab/windows/sysmon-config.xml: what the T1546.016 rules need must not be filtered out.
// Sysmon filter semantics (https://learn.microsoft.com/en-us/sysinternals/downloads/sysmon): an
// empty onmatch="exclude" filter logs every event of its type, an empty onmatch="include" none.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/corpus.ts';

const XML = readFileSync(path.join(REPO_ROOT, 'lab/windows/sysmon-config.xml'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');

/** Each event-type filter: its element name, onmatch, and the conditions inside it. */
function filters(): { type: string; onmatch: string; body: string }[] {
  const out: { type: string; onmatch: string; body: string }[] = [];
  for (const m of XML.matchAll(/<(\w+) onmatch="(include|exclude)"\s*(?:\/>|>([\s\S]*?)<\/\1>)/g)) out.push({ type: m[1]!, onmatch: m[2]!, body: m[3] ?? '' });
  return out;
}

describe('lab Sysmon config', () => {
  it('logs every process creation and termination, network connection, file creation and DNS query (empty exclude filters)', () => {
    for (const type of ['ProcessCreate', 'ProcessTerminate', 'NetworkConnect', 'FileCreate', 'DnsQuery']) {
      const f = filters().filter((x) => x.type === type);
      expect(f, type).toEqual([{ type, onmatch: 'exclude', body: '' }]);
    }
  });
  it('no exclusion anywhere mentions C:\\Windows\\Installer\\, .msi or msiexec', () => {
    for (const f of filters().filter((x) => x.onmatch === 'exclude')) expect(f.body).not.toMatch(/installer|\.msi|msiexec/i);
  });
  it('registry events keep Windows Installer, uninstall and autostart keys; types no rule reads are off', () => {
    const reg = filters().find((x) => x.type === 'RegistryEvent')!;
    expect(reg.onmatch).toBe('include');
    expect(reg.body).toMatch(/\\Microsoft\\Windows\\CurrentVersion\\Installer\\/);
    expect(reg.body).toMatch(/<Image condition="image">msiexec\.exe<\/Image>/);
    expect(filters().find((x) => x.type === 'ImageLoad')).toEqual({ type: 'ImageLoad', onmatch: 'include', body: '' });
  });
  it('is one Sysmon document with a schema version and one event type per RuleGroup', () => {
    expect(XML).toMatch(/<Sysmon schemaversion="4\.\d+">/);
    for (const g of XML.matchAll(/<RuleGroup[^>]*>([\s\S]*?)<\/RuleGroup>/g)) expect(new Set([...g[1]!.matchAll(/<(\w+) onmatch=/g)].map((m) => m[1])).size).toBe(1);
  });
});
