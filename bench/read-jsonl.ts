// Benchmark: reading Sysmon EID 1 events from JSON Lines through readEvents.
//   npx tsx bench/read-jsonl.ts [events=1000000]
// Generates the events (OTRF/nxlog-style flat objects: Sysmon's 23 EventData fields plus EventID,
// SourceName, Channel, Hostname, @timestamp; about 1.1 KB each, as performance.md's input) into a
// temp file, then runs each candidate in its own child process, one after the other:
//   baseline            readline + JSON.parse per line, nothing else (performance.md's ≈ 225 k/s)
//   readEvents view     the `detect` path: flat objects kept as-is (kind raw, record.type flat)
//   readEvents normalize the `events`/`replay` path: each object parsed into a WinEvent and a
//                       process_creation canonical event
//   readBatches view    the same as `readEvents view`, batch by batch (no per-event promise)
// and prints events/s, wall time, peak RSS (the child's maxRSS) and the ratio to the baseline.
// Figures only, no thresholds. The temp file is deleted.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readBatches, readEvents } from '../harness/telemetry/readers/index.ts';

const CANDIDATES = ['baseline', 'readEvents view', 'readEvents normalize', 'readBatches view'] as const;
type Candidate = (typeof CANDIDATES)[number];

interface Result {
  events: number;
  ms: number;
  maxRssKiB: number;
  check: number;
}

function sysmonEid1(i: number): string {
  const pid = 1000 + (i % 60000);
  const ppid = 500 + (i % 4000);
  const guid = (n: number) => `{DBF410B3-${(n % 65536).toString(16).toUpperCase().padStart(4, '0')}-671D-D200-${String(n).padStart(12, '0')}}`;
  return JSON.stringify({
    '@timestamp': new Date(1729955629000 + i).toISOString(),
    EventID: 1,
    SourceName: 'Microsoft-Windows-Sysmon',
    ProviderGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    Hostname: `WKS${i % 50}.lab.local`,
    Task: '1',
    Level: '4',
    Keywords: '0x8000000000000000',
    RuleName: '-',
    UtcTime: new Date(1729955629000 + i).toISOString().replace('T', ' ').slice(0, 23),
    ProcessGuid: guid(i),
    ProcessId: String(pid),
    Image: i % 7 === 0 ? 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' : 'C:\\Windows\\System32\\cmd.exe',
    FileVersion: '10.0.19041.546 (WinBuild.160101.0800)',
    Description: 'Windows Command Processor',
    Product: 'Microsoft® Windows® Operating System',
    Company: 'Microsoft Corporation',
    OriginalFileName: 'Cmd.Exe',
    CommandLine: `"C:\\Windows\\system32\\cmd.exe" /c echo run ${i} && msiexec /q /i C:\\Users\\lab\\AppData\\Local\\Temp\\pkg${i % 100}.msi`,
    CurrentDirectory: 'C:\\Users\\lab\\',
    User: 'LAB\\user',
    LogonGuid: '{DBF410B3-0717-671D-58E1-120000000000}',
    LogonId: '0x12E158',
    TerminalSessionId: '1',
    IntegrityLevel: 'High',
    Hashes: 'SHA256=9785001B0DCF755EDDB8AF294A373C0B87B2498660F724E76C4D53F9C217C7A3,IMPHASH=3D8A5C1E2B4F6A7C8D9E0F1A2B3C4D5E',
    ParentProcessGuid: guid(ppid),
    ParentProcessId: String(ppid),
    ParentImage: 'C:\\Windows\\System32\\msiexec.exe',
    ParentCommandLine: 'C:\\Windows\\System32\\MsiExec.exe -Embedding 696CA21DBD3EEAD595FC7EB55BF8BDA1 E Global\\MSI0000',
    ParentUser: 'LAB\\user',
    Message: 'Process Create',
  });
}

async function generate(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < n; i += 1000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) lines.push(sysmonEid1(j));
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** One candidate, in this (child) process. */
async function run(candidate: Candidate, file: string): Promise<Result> {
  let events = 0;
  let check = 0;
  const t0 = performance.now();
  if (candidate === 'baseline') {
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (line === '') continue;
      const o = JSON.parse(line) as { ProcessId?: string };
      events++;
      check += o.ProcessId ? 1 : 0;
    }
  } else if (candidate === 'readBatches view') {
    for await (const batch of readBatches(file, { flatJson: 'view' })) {
      for (const e of batch) {
        events++;
        check += e.record.type === 'flat' ? 1 : 0;
      }
    }
  } else {
    const flatJson = candidate === 'readEvents view' ? 'view' : 'normalize';
    for await (const e of readEvents(file, { flatJson })) {
      events++;
      check += flatJson === 'view' ? (e.record.type === 'flat' ? 1 : 0) : e.kind === 'process_creation' && e.process?.pid ? 1 : 0;
    }
  }
  const ms = performance.now() - t0;
  return { events, ms, maxRssKiB: process.resourceUsage().maxRSS, check };
}

const self = fileURLToPath(import.meta.url);
if (process.argv[2] === '--child') {
  const result = await run(process.argv[3] as Candidate, process.argv[4]!);
  process.stdout.write(JSON.stringify(result));
} else {
  const n = Number(process.argv[2] ?? 1_000_000);
  if (!Number.isInteger(n) || n <= 0) {
    console.error('usage: npx tsx bench/read-jsonl.ts [events]');
    process.exit(2);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-read-jsonl-'));
  const file = path.join(dir, 'sysmon-eid1.jsonl');
  try {
    const g0 = performance.now();
    await generate(file, n);
    const size = statSync(file).size;
    console.log(`generated ${n} Sysmon EID 1 events as JSON Lines: ${(size / 1048576).toFixed(1)} MiB (${(size / n).toFixed(0)} B/event) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    const results = new Map<Candidate, Result>();
    for (const c of CANDIDATES) {
      const child = spawnSync(process.execPath, [...process.execArgv, self, '--child', c, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`${c} failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout) as Result;
      if (r.events !== n || r.check !== n) throw new Error(`${c}: read ${r.events} events (${r.check} checked), expected ${n}`);
      results.set(c, r);
    }
    const base = results.get('baseline')!;
    console.log(`${'candidate'.padEnd(22)} ${'wall'.padStart(9)} ${'events/s'.padStart(10)} ${'MiB/s'.padStart(8)} ${'peak RSS'.padStart(11)} ${'vs baseline'.padStart(12)}`);
    for (const [c, r] of results) {
      console.log(
        `${c.padEnd(22)} ${(r.ms / 1000).toFixed(2).padStart(7)} s ${Math.round(n / (r.ms / 1000)).toLocaleString('en').padStart(10)} ` +
        `${(size / 1048576 / (r.ms / 1000)).toFixed(1).padStart(8)} ${(r.maxRssKiB / 1024).toFixed(0).padStart(7)} MiB ${(r.ms / base.ms).toFixed(2).padStart(11)}x`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
