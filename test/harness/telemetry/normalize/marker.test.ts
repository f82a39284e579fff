import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../../../harness/telemetry/model.ts';
import { applyMarker, hasMarker, markerGuid } from '../../../../harness/telemetry/normalize/marker.ts';

const GUID = '6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b';
const base = (over: Partial<CanonicalEvent>): CanonicalEvent => ({
  kind: 'process_creation', time: '', platform: 'windows', origin: { format: 'event-xml', sensor: 'sysmon', synthetic: false }, record: { type: 'flat', fields: {} }, ...over,
});

describe('run marker (DESIGN.md: a GUID in every command the harness runs)', () => {
  it('is found in the process or parent command line, any case, with or without braces', () => {
    expect(hasMarker(base({ process: { commandLine: `cmd /c echo ${GUID.toUpperCase()} & msiexec /i x.msi` } }), GUID)).toBe(true);
    expect(hasMarker(base({ parent: { commandLine: `powershell -c "# {${GUID}}"` } }), `{${GUID.toUpperCase()}}`)).toBe(true);
    expect(hasMarker(base({ installer: { eventId: 1040, package: `C:\\lab\\${GUID}.msi` } }), GUID)).toBe(true);
  });

  it('is not found elsewhere or when absent', () => {
    expect(hasMarker(base({ process: { commandLine: 'msiexec /i x.msi', image: `C:\\${GUID}.exe` } }), GUID)).toBe(false);
    expect(hasMarker(base({}), GUID)).toBe(false);
  });

  it('applyMarker sets event.marker to the bare lower-case GUID', () => {
    const e = base({ process: { commandLine: `x ${GUID}` } });
    expect(applyMarker(e, `{${GUID.toUpperCase()}}`)).toBe(true);
    expect(e.marker).toBe(GUID);
    const f = base({});
    expect(applyMarker(f, GUID)).toBe(false);
    expect(f.marker).toBeUndefined();
  });

  it('a marker that is not a GUID is a programming error', () => {
    expect(() => markerGuid('run-1')).toThrow("run marker must be a GUID, got 'run-1'");
  });
});
