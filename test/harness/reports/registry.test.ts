import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../harness/core/errors.ts';
import { REPORTER_NAMES, renderReports, writeReports } from '../../../harness/reports/registry.ts';
import { fixture } from './fixtures.ts';

describe('reporter registry (name → writer, as vitest\'s ReportersMap)', () => {
  it('knows json, junit, html, navigator, attire and markdown', () => {
    expect(REPORTER_NAMES).toEqual(['json', 'junit', 'html', 'navigator', 'attire', 'markdown']);
  });

  it('writes every report by default, with the CONTRACTS.md files among them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'reports-'));
    const written = await writeReports(fixture('nightly'), dir);
    expect(written.map((w) => path.relative(dir, w))).toEqual([
      'results.json', 'junit.xml', 'report.html', 'navigator-layer.json',
      'attire/T1546.016-1-wine.json', 'attire/T1546.016-2-sandbox.json', 'attire/T1546.016-3-wine.json', 'attire/T1546.016-2-qemu.json',
      'summary.md',
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'))).toEqual(fixture('nightly'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes only the chosen reporters, and history.json with a baseline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'reports-'));
    const written = await writeReports(fixture('replay'), dir, { reporters: ['markdown', 'json'], baseline: fixture('nightly') });
    expect(written.map((w) => path.relative(dir, w))).toEqual(['results.json', 'history.json', 'summary.md']);
    expect(JSON.parse(readFileSync(path.join(dir, 'history.json'), 'utf8'))).toMatchObject({ regression: true, newMisses: [{ test: 'T1546.016-1', rule: 'detections/spl/corrected/msi_child_shell.spl' }] });
  });

  it('rejects an unknown reporter name with a usage error listing the names', () => {
    expect(() => renderReports(fixture('nightly'), { reporters: ['pdf'] })).toThrow(UsageError);
    expect(() => renderReports(fixture('nightly'), { reporters: ['pdf'] })).toThrow("unknown reporter 'pdf': one of json, junit, html, navigator, attire, markdown");
  });

  it('is deterministic: the same input gives the same bytes (no clock, no host)', () => {
    const a = renderReports(fixture('replay'), { baseline: fixture('nightly') });
    const b = renderReports(fixture('replay'), { baseline: fixture('nightly') });
    expect(b).toEqual(a);
  });
});
