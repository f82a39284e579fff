// report.html opened in headless Chromium (Debian's chromium package, driven by playwright-core):
// it loads from file:// with no console error and no network request, the matrix and a process tree
// are visible, and a screenshot is saved under reports/screenshots/ (git-ignored) for people to look
// at. Chromium is a system package (.ci/apt-packages.txt), so this lives in the corpus suite, which
// CI runs after installing it; the main suite checks the page statically (html/page.test.ts).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../../harness/reports/html/page.ts';
import { historyOf } from '../../../harness/reports/history.ts';
import { REPO_ROOT } from '../../support/corpus.ts';
import { fixture } from './fixtures.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(REPO_ROOT, 'reports', 'screenshots');

let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the chromium package (.ci/apt-packages.txt) or set CHROMIUM_PATH`);
  context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'chromium-profile-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
});

const scenarios = [
  { name: 'nightly', html: () => renderHtml(fixture('nightly'), undefined) },
  { name: 'replay-vs-nightly', html: () => renderHtml(fixture('replay'), historyOf(fixture('replay'), fixture('nightly'))) },
];

describe.each(scenarios)('report.html in Chromium: $name', ({ name, html }) => {
  it('loads with no console error and no request off the file, shows the matrix and a process tree, and is screenshotted', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'report-html-')), 'report.html');
    writeFileSync(file, html());
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) problems.push(`request: ${r.url()}`);
    });
    await page.goto(`file://${file}`, { waitUntil: 'load' });

    await expect.poll(() => page.locator('#matrix table').isVisible()).toBe(true);
    const cells = page.locator('#matrix td.cell');
    expect(await cells.count()).toBeGreaterThan(5);
    const tree = page.locator('svg.tree').first();
    await tree.scrollIntoViewIfNeeded();
    expect(await tree.isVisible()).toBe(true);
    const box = await tree.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    expect(await page.locator('svg.tree g.proc.matched').first().isVisible()).toBe(true);
    // the matrix cells are coloured by status from the inline stylesheet
    const missed = page.locator('#matrix td.s-missed').first();
    // (the function runs in the page; the cast only stands in for the DOM types this project does not load)
    const background = await missed.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(255, 102, 102)');

    // "only problems" hides rows and tests where every expectation was met, and shows them again
    const metRows = page.locator('#matrix tr.hide-when-problems');
    const before = await metRows.count();
    await page.locator('#problems-only').check();
    for (let i = 0; i < before; i++) expect(await metRows.nth(i).isVisible()).toBe(false);
    await page.locator('#problems-only').uncheck();

    mkdirSync(SHOTS, { recursive: true });
    const shot = path.join(SHOTS, `report-${name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(20_000);

    expect(problems).toEqual([]);
    await page.close();
  });
});
