// The T1546.016 LogScale rules: the verbatim seed (rejected as LogScale would reject it) and the
// corrected version (detects the three lab tests in the lab's Falcon view).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cqlEngine, CqlRuleError } from '../../../detections/engines/cql/index.ts';
import type { ResultRow, ViewEvent } from '../../../detections/engines/types.ts';

const SEED = 'detections/cql/t1546.016-installer-packages.seed.cql';
const CORRECTED = 'detections/cql/t1546.016-installer-packages.corrected.cql';
const read = (f: string) => readFileSync(new URL(`../../../${f}`, import.meta.url), 'utf8');
const labEvents = (): ViewEvent[] => read('test/fixtures/cql/lab-falcon-view.ndjson').trim().split('\n').map((l) => JSON.parse(l) as ViewEvent);

async function evaluate(file: string, events: ViewEvent[], settings?: Record<string, string>): Promise<ResultRow[]> {
  const rule = cqlEngine.compile(read(file), { file, ...(settings ? { settings } : {}) });
  const rows: ResultRow[] = [];
  for await (const r of rule.evaluate(events)) rows.push(r);
  return rows;
}

describe('the seed rule, verbatim', () => {
  it('is byte-exact (sha256 of the text copied from the seed page; the corpus test compares with the page itself)', () => {
    expect(createHash('sha256').update(read(SEED)).digest('hex')).toBe('2fe8d63038abedabce44ce79d214ae39f446e27943ea9900fa170b137b0286df');
  });
  it('C26: is rejected at compile time with every error, each with LogScale\'s reason and line:column', () => {
    let err: CqlRuleError | undefined;
    try {
      cqlEngine.compile(read(SEED), { file: SEED });
    } catch (e) {
      err = e as CqlRuleError;
    }
    expect(err).toBeInstanceOf(CqlRuleError);
    expect(err!.exitCode).toBe(2);
    const list = err!.diagnostics.map((d) => `${d.position.line}:${d.position.column} ${d.code}`);
    expect(list).toEqual([
      '9:18 CQL_MISSING_PARAMETER', // outer if(): then
      '9:18 CQL_MISSING_PARAMETER', // outer if(): else
      '10:9 CQL_UNKNOWN_PARAMETER', // CommandLine=/…/ read as a named argument
      '10:21 CQL_REGEX_NOT_EXPRESSION', // the regex literal as condition
      '12:9 CQL_UNNAMED_ARGUMENT', // the nested if() passed unnamed as `else`
      '12:9 CQL_MISSING_PARAMETER',
      '12:9 CQL_MISSING_PARAMETER',
      '13:11 CQL_UNKNOWN_PARAMETER',
      '13:23 CQL_REGEX_NOT_EXPRESSION',
      '15:11 CQL_UNNAMED_ARGUMENT', // "INSTALLER_SCRIPT_CHILD" unnamed
      '22:9 CQL_MISSING_PARAMETER', // drop() without fields
    ]);
    expect(err!.describe().split('\n')).toHaveLength(11);
    expect(err!.describe()).toMatch(/^detections\/cql\/t1546\.016-installer-packages\.seed\.cql:9:18: if\(\) is missing its required parameter 'then'$/m);
  });
  it('explain lists the compile errors and every cql.md §0 defect', () => {
    const codes = new Set(cqlEngine.analyze(read(SEED), { file: SEED }).lints.map((l) => l.code));
    for (const c of [
      'CQL_UNANCHORED_SHORT_ALTERNATIVE', 'CQL_FIELD_NOT_IN_SCHEMA', 'CQL_FIELD_ENRICHED_ONLY', 'CQL_GROUPBY_DROPS_ALL',
      'CQL_LABEL_MISMATCH', 'CQL_SYNTHETIC_PR2_EXCLUDED', 'CQL_CASE_STAR_PASSES_THROUGH', 'CQL_LITERAL_ENCODEDCOMMAND',
      'CQL_BOUNDED_GAP', 'CQL_NEGATION_KEEPS_MISSING', 'CQL_PRIVATE_RANGES_INCOMPLETE', 'CQL_GROUPBY_LIMIT', 'CQL_MACOS_PKG_PARENT',
      'CQL_REGEX_NOT_EXPRESSION', 'CQL_UNNAMED_ARGUMENT', 'CQL_MISSING_PARAMETER',
    ]) expect(codes).toContain(c);
  });
});

describe('the corrected rule', () => {
  it('compiles under LogScale\'s rules and has no warning-level lint', () => {
    const x = cqlEngine.analyze(read(CORRECTED), { file: CORRECTED });
    expect(x.lints.filter((l) => l.severity !== 'info')).toEqual([]);
  });
  it('detects the three lab tests in the falcon view, with the seed\'s EventType taxonomy', async () => {
    const rows = await evaluate(CORRECTED, labEvents());
    const summary = rows.map((r) => `${r.ParentBaseFileName} → ${r.ImageBase}: ${r.EventType}`);
    expect(summary).toEqual([
      'msiexec.exe → powershell.exe: INSTALLER_DOWNLOAD_CRADLE', // test 1
      'msiexec.exe → cmd.exe: INSTALLER_SCRIPT_CHILD', // test 3
      'python3 → python3.11: INSTALLER_SCRIPT_CHILD', // test 2: the setup.py child of `pip install`
      'python3.11 → curl: INSTALLER_DOWNLOAD_CRADLE', // test 2: curl with the callback URL
    ]);
    expect(rows[0]).toMatchObject({ ComputerName: 'WINLAB', UserName: 'alice', RemoteAddressIP4: '-', EventCount: '1' });
  });
  it('does not fire on explorer → cmd nor on adapter.exe → ShellExperienceHost.exe (anchored names, C21/C22)', async () => {
    const rows = await evaluate(CORRECTED, labEvents());
    expect(rows.some((r) => r.ParentBaseFileName === 'explorer.exe' || r.ParentBaseFileName === 'adapter.exe')).toBe(false);
  });
  it('does not lose events to groupBy when ComputerName, UserName and FileName are absent (raw FDR fields, tagged type)', async () => {
    const fdrLike = labEvents().map((e) => {
      const { ComputerName: _c, UserName: _u, FileName: _f, ...rest } = e;
      return rest;
    });
    const rows = await evaluate(CORRECTED, fdrLike);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ ComputerName: '-', UserName: '-', FileName: '-', ImageBase: 'powershell.exe' });
  });
  it('a connection of an installer to a public address is INSTALLER_NETWORK_CALLBACK (join on aid + ContextProcessId)', async () => {
    const events: ViewEvent[] = [
      { '#event_simpleName': 'ProcessRollup2', aid: 'h', TargetProcessId: '5', ParentProcessId: '4', ImageFileName: '\\Device\\HarddiskVolume1\\Windows\\System32\\msiexec.exe', ParentBaseFileName: 'explorer.exe', CommandLine: 'msiexec /i http://x/a.msi' },
      { '#event_simpleName': 'NetworkConnectIP4', aid: 'h', ContextProcessId: '5', RemoteAddressIP4: '203.0.113.7', RemotePort: '443' },
      { '#event_simpleName': 'NetworkConnectIP4', aid: 'h', ContextProcessId: '5', RemoteAddressIP4: '10.0.0.7', RemotePort: '443' },
      { '#event_simpleName': 'NetworkConnectIP4', aid: 'other', ContextProcessId: '5', RemoteAddressIP4: '203.0.113.8', RemotePort: '443' },
    ];
    const rows = await evaluate(CORRECTED, events);
    expect(rows).toEqual([
      expect.objectContaining({ EventType: 'INSTALLER_NETWORK_CALLBACK', ImageBase: 'msiexec.exe', ParentBaseFileName: 'explorer.exe', RemoteAddressIP4: '203.0.113.7', EventCount: '1' }),
    ]);
  });
  it('an encoded PowerShell child of msiexec is INSTALLER_ENCODED_EXECUTION (-enc short form, §0.7)', async () => {
    const rows = await evaluate(CORRECTED, [
      { '#event_simpleName': 'ProcessRollup2', aid: 'h', TargetProcessId: '6', ParentProcessId: '5', ImageFileName: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', ParentBaseFileName: 'MsiExec.exe', CommandLine: 'powershell -nop -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=' },
    ]);
    expect(rows.map((r) => r.EventType)).toEqual(['INSTALLER_ENCODED_EXECUTION']);
  });
  it('raw FDR field names (untagged event_simpleName) match nothing: #x and x are different fields (§1.6)', async () => {
    const untagged = labEvents().map((e) => {
      const { '#event_simpleName': t, ...rest } = e;
      return { event_simpleName: t, ...rest };
    });
    expect(await evaluate(CORRECTED, untagged)).toEqual([]);
  });
});
