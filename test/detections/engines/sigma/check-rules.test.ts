import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRules } from '../../../../detections/engines/sigma/index.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';

describe('checkRules (collect-all-errors mode)', () => {
  it('reports every problem of every file with file:line:column, and counts ok rules', async () => {
    const dir = path.join(REPO_ROOT, 'test/fixtures/sigma/check');
    const r = await checkRules(dir);
    expect(r.total).toBe(4);
    expect(r.ok).toBe(1);
    const rel = r.problems.map((p) => ({ ...p, file: path.relative(dir, p.file) }));
    expect(rel).toContainEqual(expect.objectContaining({ file: 'sub/bad_modifier.yml', line: 5, column: 9, kind: 'error', reason: expect.stringMatching(/unknown modifier 'nope'/) }));
    expect(rel).toContainEqual(expect.objectContaining({ file: 'sub/bad_modifier.yml', line: 7, column: 9, reason: expect.stringMatching(/'all' needs a list/) }));
    expect(rel).toContainEqual(expect.objectContaining({ file: 'sub/bad_modifier.yml', line: 8, column: 24, reason: expect.stringMatching(/'missing' is not defined/) }));
    expect(rel).toContainEqual(expect.objectContaining({ file: 'sub/correlation.yml', kind: 'unsupported', reason: expect.stringMatching(/correlation rules \(type temporal\)/) }));
    expect(rel).toContainEqual(expect.objectContaining({ file: 'sub/broken.yaml', kind: 'error', reason: expect.stringMatching(/^YAML/) }));
  });
  it('the lab\'s own Sigma rules all compile', async () => {
    const r = await checkRules(path.join(REPO_ROOT, 'detections/sigma'));
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(r.total);
    expect(r.total).toBeGreaterThanOrEqual(4);
  });
});

describe('compile errors carry every problem of the rule', () => {
  it('one RuleError, the others in more (collect-all-errors for a single file)', async () => {
    const { readFileSync } = await import('node:fs');
    const { sigmaEngine } = await import('../../../../detections/engines/sigma/index.ts');
    const file = path.join(REPO_ROOT, 'test/fixtures/sigma/check/sub/bad_modifier.yml');
    let err: import('../../../../harness/core/errors.ts').RuleError | undefined;
    try {
      sigmaEngine.compile(readFileSync(file, 'utf8'), { file });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err!.all().map((e) => e.position?.line)).toEqual([5, 7, 8]);
    const x = sigmaEngine.analyze(readFileSync(file, 'utf8'), { file });
    expect(x.lints.map((l) => l.severity)).toEqual(['error', 'error', 'error']);
  });
});
