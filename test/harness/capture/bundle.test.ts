// Capture bundles: bundle.json (schema atomic-lab/capture@1) + events.jsonl + raw/, read back
// unchanged; malformed bundles are input errors naming the file and line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRawFile, bundleDir, bundleSlug, readBundle, writeBundle, type CaptureBundle } from '../../../harness/capture/bundle.ts';
import { InputError } from '../../../harness/core/errors.ts';
import type { CanonicalEvent } from '../../../harness/telemetry/model.ts';

const event: CanonicalEvent = {
  kind: 'process_creation', time: '2026-11-23T13:42:11.426Z', platform: 'windows', host: 'atomic-lab-wine',
  origin: { format: 'wine-trace', sensor: 'wine-trace', file: 'raw/wine-trace.txt', line: 45, synthetic: true },
  process: { pid: '280', image: 'C:\\windows\\system32\\cmd.exe', name: 'cmd.exe', commandLine: 'cmd.exe /c echo x' },
  parent: { pid: '272', image: 'C:\\windows\\system32\\msiexec.exe' },
  record: { type: 'trace', lines: ['2228.364:0110:0114:trace:process:…'] },
};

function sample(): CaptureBundle {
  return {
    schema: 'atomic-lab/capture@1',
    test: { technique: 'T1546.016', number: 3, guid: '4c4d06fb-b382-48bc-9e60-7899d53e444b', name: 'MSI silent install', kind: 'attack' },
    target: 'wine', marker: '107289f5-63b1-46bd-9975-3677caa846c5', started: '2026-11-23T13:42:09.000Z', finished: '2026-11-23T13:42:13.000Z',
    versions: { wine: 'wine-8.0', wixl: '0.101', python: 'Python 3.11.2', pip: 'pip 23.0.1', kernel: 'Linux 6.18' },
    command: 'cmd.exe /c "msiexec.exe /i x.msi /qn"', exitCode: 0, stdout: 'raw/test.stdout', stderr: 'raw/wine-trace.txt',
    status: 'telemetry_present',
    proof: [{ description: 'file', ok: true, detail: 'C:\\custom_action_test.txt exists' }],
    signals: [{ description: 'MsiInstaller events', found: false, observable: false, detail: 'not observable' }],
    raw: [{ path: 'raw/wine-trace.txt', format: 'wine-trace', sensor: 'wine-trace', anchor: { wall: 1, monoRaw: 2 } }],
    eventCount: 0,
    events: [event],
  };
}

describe('capture bundle', () => {
  it('writes bundle.json and events.jsonl and reads them back unchanged', () => {
    const dir = bundleDir(mkdtempSync(path.join(tmpdir(), 'bundle-test-')), 'T1546.016-3');
    expect(path.basename(dir)).toBe('t1546.016-3');
    writeBundle(dir, sample());
    const json = JSON.parse(readFileSync(path.join(dir, 'bundle.json'), 'utf8')) as Record<string, unknown>;
    expect(json.schema).toBe('atomic-lab/capture@1');
    expect(json.eventCount).toBe(1);
    expect('events' in json).toBe(false); // events live in events.jsonl, one per line
    expect(readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    const back = readBundle(dir);
    expect(back.events).toEqual([event]);
    expect(back.test).toEqual(sample().test);
    expect(back.dir).toBe(dir);
    expect(readBundle(path.join(dir, 'bundle.json')).marker).toBe(sample().marker);
  });

  it('copies raw files under raw/ and returns their relative path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-test-'));
    const src = path.join(dir, 'x.txt');
    writeFileSync(src, 'raw');
    expect(addRawFile(dir, src, 'trace.txt')).toBe('raw/trace.txt');
    expect(readFileSync(path.join(dir, 'raw/trace.txt'), 'utf8')).toBe('raw');
    expect(addRawFile(dir, path.join(dir, 'missing'), 'm')).toBeUndefined();
  });

  it('rejects a folder without bundle.json, another schema, and malformed JSON with line:column', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-test-'));
    expect(() => readBundle(dir)).toThrow(InputError);
    writeFileSync(path.join(dir, 'bundle.json'), JSON.stringify({ schema: 'other@9' }));
    expect(() => readBundle(dir)).toThrow(/unsupported bundle schema "other@9"/);
    writeFileSync(path.join(dir, 'bundle.json'), '{\n  "schema": "atomic-lab/capture@1",\n  oops\n}');
    try {
      readBundle(dir);
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).describe()).toMatch(/bundle\.json:3:\d+: malformed JSON/);
    }
    writeBundle(dir, sample());
    writeFileSync(path.join(dir, 'events.jsonl'), '{"kind":"raw"}\nnot json\n');
    try {
      readBundle(dir);
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).describe()).toMatch(/events\.jsonl:2:1: malformed event JSON/);
    }
  });

  it('slugs are safe folder names', () => {
    expect(bundleSlug('T1546.016-benign-2')).toBe('t1546.016-benign-2');
    expect(bundleSlug('../x y')).toBe('..-x-y');
  });
});
