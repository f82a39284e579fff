import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../harness/core/errors.ts';
import { findPreviousResults, parseResults, readResults } from '../../../harness/reports/load.ts';
import { FIXTURES, fixture } from './fixtures.ts';

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('reading results.json (CONTRACTS.md: bad input = one message naming file and line:column, exit 2)', () => {
  it('reads the fixtures', async () => {
    expect((await readResults(path.join(FIXTURES, 'nightly.results.json'))).results).toHaveLength(5);
  });

  it('names file and line:column of a JSON syntax error (the stray brace is on line 2, column 21)', () => {
    const e = inputError(() => parseResults('{\n  "run": {"id": "x",}\n}', 'r.json'));
    expect(e.exitCode).toBe(2);
    expect(e.describe()).toBe("r.json:2:21: not valid JSON: Expected double-quoted property name");
  });

  it('names the JSON path of a field that breaks the contract', () => {
    const bad = fixture('nightly');
    (bad.results[1]!.detections[2] as { verdict: string }).verdict = 'MAYBE';
    const e = inputError(() => parseResults(JSON.stringify(bad), 'r.json'));
    expect(e.describe()).toBe('r.json: $.results[1].detections[2].verdict must be one of PASS, FAIL, KNOWN_GAP, NO_TELEMETRY, ERROR (results.json, CONTRACTS.md)');
    expect(inputError(() => parseResults('[]', 'r.json')).describe()).toBe('r.json: $ must be an object with "run" and "results" (results.json, CONTRACTS.md)');
  });

  it('reports an unreadable file with its name', async () => {
    await expect(readResults('/nonexistent/results.json')).rejects.toThrow(/cannot read results file: ENOENT/);
  });

  it('finds the most recent earlier run under reports/, skipping latest/, the current run and broken files', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'reports-'));
    const put = (dir: string, content: string) => {
      mkdirSync(path.join(root, dir));
      writeFileSync(path.join(root, dir, 'results.json'), content);
    };
    const run = (id: string, finished: string) => {
      const r = fixture('nightly');
      r.run = { ...r.run, id, finished };
      return JSON.stringify(r);
    };
    put('a', run('a', '2026-11-20T00:00:00Z'));
    put('b', run('b', '2026-11-22T00:00:00Z'));
    put('c', run('c', '2026-11-23T00:00:00Z'));
    put('latest', run('latest', '2026-11-24T00:00:00Z'));
    put('broken', '{');
    expect((await findPreviousResults(root, 'c'))?.results.run.id).toBe('b');
    expect((await findPreviousResults(root))?.results.run.id).toBe('c');
    expect(await findPreviousResults(path.join(root, 'none'))).toBeUndefined();
  });
});
