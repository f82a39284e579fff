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
