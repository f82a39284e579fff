import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../../harness/reports/html/page.ts';
import { historyOf } from '../../../../harness/reports/history.ts';
import { fixture } from '../fixtures.ts';

describe('report.html (static checks; the page is opened in Chromium by html.corpus.test.ts)', () => {
  const nightly = fixture('nightly');
  const html = renderHtml(nightly, undefined);

  it('is one self-contained file: inline style and script, no external URL in src/href, no <link>', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<link\b/);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('has the matrix with a cell per (test, rule) coloured by status, and every test section with its process tree', () => {
    const cells = html.match(/<td class="cell s-[a-z-]+"/g) ?? [];
    // 14 evaluated pairs + the qemu lab-error row drawn as one spanning cell
    expect(cells).toHaveLength(15);
    expect(html.match(/<section class="test[ "]/g)).toHaveLength(nightly.results.length);
    for (let i = 0; i < nightly.results.length; i++) expect(html).toContain(` id="t${i}">`);
    expect(html.match(/<svg class="tree"/g)).toHaveLength(4);
    expect(html).toContain('class="proc matched"');
  });

  it('shows what needs attention before the matrix, with the why', () => {
    const attention = html.indexOf('id="attention"');
    expect(attention).toBeGreaterThan(0);
    expect(attention).toBeLessThan(html.indexOf('id="matrix"'));
    expect(html).toContain('sourcetype=&quot;XmlWinEventLog:Microsoft-Windows-Sysmon/Operational&quot; was false on 3 nearest events');
  });

  it('shows proof of execution, signals, benign false positives per rule and the provenance', () => {
    expect(html).toContain('<li class="ok">callback received on 127.0.0.1:8765');
    expect(html).toContain('<li class="na">MsiInstaller 1033 install completed (not observable on this target)');
    expect(html).toContain('<li class="no">curl connects to 127.0.0.1:8765 (missing)');
    expect(html).toContain('Benign scenarios: false positives per rule');
    expect(html).toContain('executed on wine (3 tests), sandbox (1 test), qemu (1 test)');
  });

  it('puts a regressions section at the top when a baseline is given', () => {
    const replay = fixture('replay');
    const page = renderHtml(replay, historyOf(replay, nightly));
    expect(page).toContain('<section id="history" class="banner"><h2>Regressions since baseline run 2026-11-23T020005Z-7f3a');
    expect(page.indexOf('id="history"')).toBeLessThan(page.indexOf('id="attention"'));
    expect(page).toContain('replayed from recordings/vendor-msi-silent.evtx');
  });

  it('escapes everything that comes from the results', () => {
    const evil = fixture('nightly');
    evil.results[0]!.test.name = '<img src=x onerror=alert(1)>';
    const page = renderHtml(evil, undefined);
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
