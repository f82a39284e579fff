import { describe, expect, it } from 'vitest';
import { historyOf } from '../../../harness/reports/history.ts';
import { mdCell, renderMarkdown } from '../../../harness/reports/markdown.ts';
import { detection, fixture, resultsOf, testResult } from './fixtures.ts';

describe('Markdown summary (CI job summary / PR comment)', () => {
  it('leads with the verdict, then counts, lab errors, what needs attention with its why, and false positives per rule', () => {
    const md = renderMarkdown(fixture('nightly'), undefined);
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ atomic-lab 2026-11-23T020005Z-7f3a: 7 of 15 expectations not met');
    expect(md).toContain('- **T1546.016-2** pip install runs a setup.py install hook that calls back with curl on qemu: guest did not boot within 120 s (qemu-system-x86_64 -accel tcg)');
    const attention = md.indexOf('### Needs attention (6)');
    expect(attention).toBeGreaterThan(md.indexOf('### Lab errors'));
    // worst first: the lab error row precedes the misses
    expect(md.indexOf('| E lab error |', attention)).toBeLessThan(md.indexOf('| ✗ missed |', attention));
    expect(md).toContain('| `sigma msi_spawns_powershell` | 1 / 1 | 2 |');
    expect(md).toContain('<details><summary>Known gaps and not observable here (2)</summary>');
  });

  it('puts the regressions first when a baseline is given', () => {
    const md = renderMarkdown(fixture('replay'), historyOf(fixture('replay'), fixture('nightly')));
    expect(md.indexOf('### 🔻 Regressions since baseline run 2026-11-23T020005Z-7f3a')).toBeLessThan(md.indexOf('### Needs attention'));
    expect(md).toContain('| T1546.016-1 MSI custom action spawns PowerShell download cradle | `spl corrected/msi_child_shell @splunk` | PASS [INSTALLER_DOWNLOAD_CRADLE] → FAIL |');
  });

  it('says all met with a check mark when nothing needs attention', () => {
    expect(renderMarkdown(resultsOf([testResult([detection()])]), undefined).split('\n')[0]).toBe('## ✅ atomic-lab r1: all 1 expectations met');
  });

  it('escapes table cells (pipes, newlines, HTML) and caps long text and long tables (GitHub comment limit 65,536)', () => {
    expect(mdCell('a|b\nc <script>')).toBe('a\\|b c &lt;script>');
    expect(mdCell('x'.repeat(1000))).toHaveLength(300);
    const many = resultsOf(Array.from({ length: 120 }, (_, i) => testResult([detection({ verdict: 'FAIL', observed: [], why: 'w'.repeat(2000) })], { test: { technique: 'T1546.016', number: i + 1, guid: `g${i}`, name: 'n' } })));
    const md = renderMarkdown(many, undefined);
    expect(md).toContain('…and 70 more in report.html.');
    expect(md.length).toBeLessThan(65_536);
  });
});
