// Benchmark: streaming Windows Event XML reader over generated Sysmon EID 1 events.
//   npx tsx bench/read-xml.ts [events=1000000]
// Writes the events (one per line, Splunk-style single-quoted XML inside <Events>) to a temp file,
// then reads it twice in the same run: a baseline that only splits it into lines with readline,
// and readEventXml (full parse into WinEvents). Prints events/s, MB/s, wall time, peak RSS of each
// pass and the ratio to the baseline. No thresholds: figures only. The temp file is deleted.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { readEventXml } from '../harness/telemetry/readers/winxml/index.ts';
import { sysmonProcessCreateXml } from '../test/fixtures/winxml/generate.ts';

const N = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(N) || N <= 0) {
  console.error('usage: npx tsx bench/read-xml.ts [events]');
  process.exit(2);
}

let peakRss = 0;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const mib = (b: number): string => (b / 1048576).toFixed(1);

async function phase<T>(name: string, fn: () => Promise<T>): Promise<{ ms: number; peak: number; result: T }> {
  global.gc?.();
  peakRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { ms, peak: peakRss, result };
}

const dir = mkdtempSync(path.join(tmpdir(), 'bench-read-xml-'));
const file = path.join(dir, 'sysmon-eid1.xml');
try {
  const gen = await phase('generate', async () => {
    const out = createWriteStream(file);
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<Events>\n');
    for (let i = 0; i < N; i += 1000) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(N, i + 1000); j++) lines.push(sysmonProcessCreateXml(j));
      if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
    }
    out.end('</Events>\n');
    await once(out, 'finish');
  });
  const size = statSync(file).size;
  console.log(`generated ${N} Sysmon EID 1 events, ${mib(size)} MiB, in ${(gen.ms / 1000).toFixed(1)} s`);

  const base = await phase('baseline', async () => {
    let lines = 0;
    for await (const _ of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) lines++;
    return lines;
  });
  const read = await phase('readEventXml', async () => {
    let events = 0;
    let check = 0;
    for await (const r of readEventXml(file)) {
      events++;
      check += r.event.data.length;
    }
    return { events, check };
  });
  if (read.result.events !== N || read.result.check !== N * 23) throw new Error(`read ${read.result.events} events, expected ${N}`);

  const row = (name: string, ms: number, peak: number, items: string): string =>
    `${name.padEnd(30)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${((size / 1048576) / (ms / 1000)).toFixed(1).padStart(7)} MiB/s  ` +
    `${items.padStart(22)}  peak RSS ${mib(peak).padStart(7)} MiB`;
  console.log(row('baseline: readline line count', base.ms, base.peak, `${base.result} lines`));
  console.log(row('readEventXml → WinEvent', read.ms, read.peak, `${Math.round(N / (read.ms / 1000))} events/s`));
  console.log(`ratio readEventXml / baseline: ${(read.ms / base.ms).toFixed(2)}x wall time`);
} finally {
  clearInterval(timer);
  rmSync(dir, { recursive: true, force: true });
}
