// Every .xml under external/telemetry (Splunk security_content example logs, libevtx renderings)
// read with readEventXml: no errors, no warnings. The Splunk `_raw` examples also round-trip
// through renderEventXml(…, 'splunk') byte for byte.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEventXml, readEventXml, renderEventXml } from '../../../../../harness/telemetry/readers/winxml/index.ts';
import { telemetryFiles, TELEMETRY } from './corpus-files.ts';

const ROOT = TELEMETRY;
const XML = telemetryFiles('.xml');
const SPLUNK_RAW = XML.filter((f) => f.endsWith('.example_log.xml'));

describe('Event XML corpus', () => {
  const counts: string[] = [];

  it.each(XML.map((f) => [path.relative(ROOT, f), f]))('reads %s without errors', async (name, file) => {
    const warnings: string[] = [];
    let n = 0;
    for await (const r of readEventXml(file, { onWarning: (m) => warnings.push(m) })) {
      expect(r.text.startsWith('<Event')).toBe(true);
      n++;
    }
    expect(warnings).toEqual([]);
    expect(n).toBeGreaterThan(0);
    counts.push(`${name}: ${n} events`);
  });

  it.each(SPLUNK_RAW.map((f) => [path.basename(f), f]))('renderEventXml(parse(%s), "splunk") reproduces the _raw exactly', (_name, file) => {
    const raw = readFileSync(file, 'utf8').trimEnd();
    const events = parseEventXml(raw, file);
    expect(events).toHaveLength(1);
    expect(renderEventXml(events[0]!, 'splunk')).toBe(raw);
  });

  it('summary', () => {
    console.log(`Event XML corpus:\n  ${counts.join('\n  ')}`);
    expect(counts.length).toBe(XML.length);
  });
});
