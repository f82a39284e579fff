// Every .evtx under external/telemetry, read with readEvtx, against the libevtx evtxexport
// rendering beside it (`<file>.derived.xml`, or `<file>.<Provider>.derived.xml` covering only that
// provider's events) read with readEventXml: event for event, every WinEvent field.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WinEvent } from '../../../../../harness/telemetry/model.ts';
import { readEvtx } from '../../../../../harness/telemetry/readers/evtx/index.ts';
import { readEventXml } from '../../../../../harness/telemetry/readers/winxml/index.ts';
import { telemetryFiles, TELEMETRY } from '../winxml/corpus-files.ts';

const ROOT = TELEMETRY;
const EVTX = telemetryFiles('.evtx');

/** The derived renderings of an .evtx and the provider each one is limited to. */
function derivedFor(evtx: string): Array<{ xml: string; provider?: string }> {
  const base = path.basename(evtx);
  return readdirSync(path.dirname(evtx))
    .filter((n) => n.startsWith(base + '.') && n.endsWith('.derived.xml'))
    .map((n) => {
      const middle = n.slice(base.length + 1, -'.derived.xml'.length);
      const out: { xml: string; provider?: string } = { xml: path.join(path.dirname(evtx), n) };
      if (middle) out.provider = middle;
      return out;
    });
}

/** Field-by-field differences between two WinEvents, as `path: evtx value ≠ xml value`. */
function diffWinEvents(a: WinEvent, b: WinEvent): string[] {
  const out: string[] = [];
  const walkValue = (p: string, x: unknown, y: unknown): void => {
    if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object') {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const k of keys) walkValue(`${p}.${k}`, (x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
      if (Array.isArray(x) && Array.isArray(y) && x.length !== y.length) out.push(`${p}.length: ${x.length} ≠ ${y.length}`);
    } else if (x !== y) {
      out.push(`${p}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`);
    }
  };
  walkValue('event', a, b);
  return out;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('EVTX corpus: readEvtx against libevtx evtxexport renderings', () => {
  const counts: string[] = [];
  let total = 0;
  let sample: WinEvent | undefined;

  it('finds the recordings', () => {
    expect(EVTX.length).toBeGreaterThanOrEqual(14);
  });

  it.each(EVTX.map((f) => [path.relative(ROOT, f), f]))('%s', async (name, file) => {
    const warnings: string[] = [];
    const records = await collect(readEvtx(file, { onWarning: (m) => warnings.push(m) }));
    expect(warnings).toEqual([]);
    expect(records.length).toBeGreaterThan(0);
    const derived = derivedFor(file);
    if (derived.length === 0) {
      counts.push(`${name}: read ${records.length} events (no derived XML to compare)`);
      return;
    }
    for (const d of derived) {
      const fromXml = (await collect(readEventXml(d.xml))).map((r) => r.event);
      const fromEvtx = records.filter((r) => !d.provider || r.event.provider.name === d.provider);
      const problems: string[] = [];
      if (fromEvtx.length !== fromXml.length) problems.push(`event count: EVTX ${fromEvtx.length} ≠ XML ${fromXml.length}`);
      for (let i = 0; i < Math.min(fromEvtx.length, fromXml.length); i++) {
        const r = fromEvtx[i]!;
        sample ??= r.event;
        for (const diff of diffWinEvents(r.event, fromXml[i]!)) {
          problems.push(`event #${i} (record ${r.record}, offset ${r.offset}): ${diff}`);
        }
      }
      expect(problems, `${name} vs ${path.basename(d.xml)}`).toEqual([]);
      total += fromEvtx.length;
      counts.push(`${name}: ${fromEvtx.length} events compared with ${path.basename(d.xml)}${d.provider ? ` (${d.provider} only, of ${records.length})` : ''}`);
    }
  });

  it('compared every event (summary)', () => {
    console.log(`EVTX corpus comparison:\n  ${counts.join('\n  ')}\n  total: ${total} events compared field by field`);
    expect(total).toBeGreaterThanOrEqual(967);
    // the comparison itself can fail: a changed field and a missing item are reported with their path
    const changed: WinEvent = { ...sample!, computer: 'other', data: sample!.data.slice(1) };
    const diffs = diffWinEvents(sample!, changed);
    expect(diffs).toContain(`event.computer: ${JSON.stringify(sample!.computer)} ≠ "other"`);
    expect(diffs.some((d) => d.startsWith('event.data.length:'))).toBe(true);
  });
});
