// Test ids (CONTRACTS.md `run --tests`): T1546.016-1, an auto_generated_guid, or a test's name.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAtomicsStrict } from '../../../harness/atomics/load.ts';
import { selectTests } from '../../../harness/atomics/select.ts';
import { UsageError } from '../../../harness/core/errors.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

const techniques = loadAtomicsStrict(path.join(REPO_ROOT, 'atomics'));
const ids = (sel: string[]) => selectTests(techniques, sel).map((t) => t.id);

describe('selectTests', () => {
  it('by technique and number, by GUID (any case), by exact name', () => {
    expect(ids(['T1546.016-2'])).toEqual(['T1546.016-2']);
    expect(ids(['CA90561E-4A0C-44F9-B8D7-AACE0802F6A9'])).toEqual(['T1546.016-1']);
    expect(ids(['pip install runs a setup.py install hook that calls back with curl'])).toEqual(['T1546.016-2']);
  });
  it('benign scenarios by their own ids; a technique id selects everything, in file order', () => {
    expect(ids(['T1546.016-benign-2', 'T1546.016-1'])).toEqual(['T1546.016-1', 'T1546.016-benign-2']);
    expect(ids(['T1546.016'])).toHaveLength(7);
  });
  it('no ids selects every test', () => {
    expect(ids([])).toHaveLength(7);
  });
  it('an id that matches nothing is a usage error (exit 2)', () => {
    expect(() => ids(['T1546.016-9'])).toThrow(UsageError);
  });
});
