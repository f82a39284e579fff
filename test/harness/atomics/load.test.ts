// Folder loading in Atomic Red Team layout (upstream validator.py: file extension, sub-folders,
// GUIDs unique across the repository) and the lab's own atomics.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAtomicsDir, loadAtomicsStrict } from '../../../harness/atomics/load.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

const LAYOUT = path.join(REPO_ROOT, 'test/fixtures/atomics/layout');

describe('loadAtomicsDir', () => {
  const r = loadAtomicsDir(LAYOUT);
  const codes = Object.fromEntries(r.failures.map((f) => [path.basename(f.file), f.findings.map((x) => x.code)]));

  it('rejects a GUID reused by a second file (reused_guid), keeping the first', () => {
    expect(codes['T0004.yaml']).toEqual(['reused_guid']);
    expect(r.techniques.map((t) => t.attackTechnique)).toEqual(['T0003']);
  });

  it('rejects .yml files (invalid_filename: "Rename file from .yml to .yaml")', () => {
    expect(codes['T0005.yml']).toEqual(['invalid_filename']);
  });

  it('rejects sub-folders other than src/ and bin/ (invalid_directory)', () => {
    expect(codes['T0006.yaml']).toEqual(['invalid_directory']);
  });

  it('counts every technique file it saw', () => {
    expect(r.files).toBe(4);
  });
});

describe("the lab's own atomics", () => {
  const techniques = loadAtomicsStrict(path.join(REPO_ROOT, 'atomics'));
  const tests = techniques.flatMap((t) => t.tests);

  it('load without findings: four attacks and three benign scenarios, all with uuid4 GUIDs', () => {
    expect(tests.filter((t) => t.kind === 'attack').map((t) => t.id)).toEqual(['T1546.016-1', 'T1546.016-2', 'T1546.016-3', 'T1546.016-4']);
    expect(tests.filter((t) => t.kind === 'benign').map((t) => t.id)).toEqual(['T1546.016-benign-1', 'T1546.016-benign-2', 'T1546.016-benign-3']);
    for (const t of tests) expect(t.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('record where each test is defined (file:line:column of its list item)', () => {
    expect(tests[0]!.source).toMatchObject({ file: path.join(REPO_ROOT, 'atomics/T1546.016/T1546.016.yaml'), line: 4, column: 3 });
  });
});
