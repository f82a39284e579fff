// The JUnit writer's output validated against the Jenkins xUnit plugin's junit-10.xsd (third-party,
// read in place from ../shared/external/junit) with xmllint, as reports.md §1.1 prescribes. xmllint
// comes from libxml2-utils (.ci/apt-packages.txt); without it this test fails, it does not skip.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { renderJUnit } from '../../../harness/reports/junit.ts';
import { external } from '../../support/corpus.ts';
import { detection, fixture, resultsOf, testResult } from './fixtures.ts';

const XSD = external('junit', 'junit-10.xsd');
const dir = mkdtempSync(path.join(tmpdir(), 'junit-xsd-'));

async function xmllint(name: string, xml: string): Promise<{ exitCode: number; stderr: string }> {
  const file = path.join(dir, name);
  writeFileSync(file, xml);
  const r = await execa('xmllint', ['--noout', '--schema', XSD, file], { reject: false });
  return { exitCode: r.exitCode ?? -1, stderr: String(r.stderr) };
}

describe('junit.xml against junit-10.xsd (xmllint --noout --schema)', () => {
  const cases: Array<[string, () => string]> = [
    ['nightly (every verdict, lab error, benign)', () => renderJUnit(fixture('nightly'))],
    ['replay against the nightly baseline (regression)', () => renderJUnit(fixture('replay'), { baseline: fixture('nightly') })],
    ['an empty run', () => renderJUnit(resultsOf([]))],
    ['hostile text: control characters, ANSI, ]]> and quotes', () =>
      renderJUnit(resultsOf([testResult([detection({ verdict: 'FAIL', observed: [], why: 'a ]]> b \u0007 "q" <x>' })], { test: { technique: 'T1546.016', number: 1, guid: 'g', name: 'n\u001b[31m\u0000 & <' } })]))],
  ];

  it.each(cases)('%s validates', async (_name, render) => {
    const r = await xmllint('out.xml', render());
    expect(r.stderr).toMatch(/validates$/m);
    expect(r.exitCode).toBe(0);
  });

  it('the check can fail: without the errors attribute (as mocha-junit-reporter writes it outside antMode) the schema rejects the file', async () => {
    const xml = renderJUnit(fixture('nightly')).replace(/(<testsuite [^>]*?) errors="\d+"/, '$1');
    const r = await xmllint('broken.xml', xml);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("The attribute 'errors' is required but missing");
  });
});
