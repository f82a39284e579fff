// Proofs, signals and the status ladder (checks.ts), over events parsed from the lab's own Wine
// trace fixture.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProof, checkSignal, statusOf, type CheckContext } from '../../../harness/run/checks.ts';
import { EventIndex, textMatches } from '../../../harness/run/match.ts';
import { parseWineTrace } from '../../../harness/telemetry/readers/wine-trace/parse.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

const file = path.join(REPO_ROOT, 'test/fixtures/wine-trace/t3-cmd-custom-action.trace');
const trace = parseWineTrace(readFileSync(file, 'utf8'), { file, anchor: JSON.parse(readFileSync(`${file}.anchor.json`, 'utf8')) as { wall: number; monoRaw: number } });
const marker = /RUN_MARKER=([0-9a-f-]{36})/.exec(readFileSync(file, 'utf8'))![1]!;
const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({
  target: 'wine', marker, index: new EventIndex(trace.events), callbacks: [],
  readFile: (p) => (p === 'C:\\custom_action_test.txt' ? `${marker}\r\n` : undefined),
  customActions: trace.customActions, stubs: trace.stubs, exitCode: 0, ...over,
});

describe('matching', () => {
  it('text matches are case-insensitive; contains means all of', () => {
    expect(textMatches('C:\\Windows\\System32\\MSIEXEC.EXE', { endswith: '\\msiexec.exe' })).toBe(true);
    expect(textMatches('a b', { contains: ['a', 'c'] })).toBe(false);
  });
  it('parent walks up the tree; marker means the process or an ancestor carries it', () => {
    const idx = new EventIndex(trace.events);
    const hits = idx.find({ kind: 'process_creation', name: { equals: 'cmd.exe' }, parent: { name: { equals: 'msiexec.exe' }, parent: { name: { equals: 'cmd.exe' } } } }, marker);
    expect(hits).toHaveLength(1);
    expect(idx.find({ kind: 'file_event', file: { endswith: 'custom_action_test.txt' }, marker: true }, marker)).toHaveLength(1);
    expect(idx.find({ kind: 'file_event', marker: true }, '00000000-0000-4000-8000-000000000000')).toHaveLength(0);
  });
});

describe('proofs', () => {
  it('file: exists and holds the marker; missing or without the marker fails with what was found', () => {
    expect(checkProof({ description: 'f', file: { path: 'C:\\custom_action_test.txt', contains: marker } }, ctx()).ok).toBe(true);
    expect(checkProof({ description: 'f', file: { path: 'C:\\custom_action_test.txt', contains: 'other' } }, ctx())).toMatchObject({ ok: false, detail: expect.stringContaining('does not contain other') });
    expect(checkProof({ description: 'f', file: { path: 'C:\\nope.txt' } }, ctx())).toMatchObject({ ok: false, detail: 'C:\\nope.txt does not exist' });
  });
  it('callback: needs the path and, when asked, the marker', () => {
    const cb = { time: 't', method: 'GET', path: '/t2', query: { marker }, marker, client: '127.0.0.1', user_agent: 'curl/7.88.1', status: 200, bytes: 1 };
    expect(checkProof({ description: 'c', callback: { path: '/t2', marker: true } }, ctx({ callbacks: [cb] })).ok).toBe(true);
    expect(checkProof({ description: 'c', callback: { path: '/t2', marker: true } }, ctx({ callbacks: [{ ...cb, marker: 'x' }] })).ok).toBe(false);
  });
  it('custom_action: the type must match what Wine handled (0x72 = 114)', () => {
    expect(checkProof({ description: 'ca', custom_action: { action: 'CA_CmdWriteMarker', type: 114 } }, ctx()).ok).toBe(true);
    expect(checkProof({ description: 'ca', custom_action: { action: 'CA_CmdWriteMarker', type: 3186 } }, ctx()).ok).toBe(false);
  });
  it('exit_code', () => {
    expect(checkProof({ description: 'e', exit_code: 0 }, ctx({ exitCode: 1603 }))).toMatchObject({ ok: false, detail: 'exit code 1603, expected 0' });
  });
});

describe('signals', () => {
  it('not observable on a target: observable false, not counted as missing', () => {
    const s = checkSignal({ description: 'MsiInstaller', match: { kind: 'installer' }, not_observable_on: { wine: 'no event log' } }, ctx());
    expect(s).toMatchObject({ found: false, observable: false });
    expect(s.detail).toMatch(/^not observable on the wine target: no event log/);
  });
  it('absent: found when nothing matches', () => {
    expect(checkSignal({ description: 'no net', absent: true, match: { kind: 'network_connection' } }, ctx()).found).toBe(true);
    expect(checkSignal({ description: 'no cmd', absent: true, match: { name: { equals: 'cmd.exe' } } }, ctx()).found).toBe(false);
  });
});

describe('status ladder (prereq_failed → execution_failed → ran → effect_proven → telemetry_present)', () => {
  const ok = { description: 'p', ok: true };
  const found = { description: 's', found: true, observable: true };
  it.each([
    [{ prereqsMet: false, executionOk: true, proofs: [ok], signals: [found] }, 'prereq_failed'],
    [{ prereqsMet: true, executionOk: false, proofs: [ok], signals: [found] }, 'execution_failed'],
    [{ prereqsMet: true, executionOk: true, proofs: [{ ...ok, ok: false }], signals: [found] }, 'ran'],
    [{ prereqsMet: true, executionOk: true, proofs: [], signals: [found] }, 'ran'],
    [{ prereqsMet: true, executionOk: true, proofs: [ok], signals: [{ ...found, found: false }] }, 'effect_proven'],
    [{ prereqsMet: true, executionOk: true, proofs: [ok], signals: [found, { description: 'x', found: false, observable: false }] }, 'telemetry_present'],
  ] as const)('%o → %s', (input, status) => {
    expect(statusOf(input)).toBe(status);
  });
});
