// Benchmark: the embedded Sigma engine over generated Sysmon EID 1 events.
//   npx tsx bench/sigma-process-creation.ts [events=100000]
// Reads the 1,183 SigmaHQ process_creation rules from ../shared/external/sigma/rules/windows/
// process_creation at run time (never copied), compiles them, and evaluates all of them over the
// same generated events in one run; then the lab's T1546.016 rule alone, and a baseline that only
// walks the events. Prints events/s, wall time, peak RSS and ratios. No thresholds: figures only.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sigmaEngine } from '../detections/engines/sigma/index.ts';
import type { SigmaCompiledRule } from '../detections/engines/sigma/compiled-rule.ts';
import { contextOf } from '../detections/engines/sigma/evaluate.ts';
import { T } from '../detections/engines/sigma/logic.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTERNAL = process.env.ATOMIC_LAB_EXTERNAL ?? path.resolve(ROOT, '../shared/external');
const N = Number(process.argv[2] ?? 100_000);

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 50);

// --- deterministic generator ------------------------------------------------------------------
let seed = 0x2545f491;
const rnd = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const pick = <T>(a: readonly T[]): T => a[rnd(a.length)]!;
const IMAGES = [
  'C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'C:\\Windows\\System32\\conhost.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Windows\\System32\\msiexec.exe',
  'C:\\Windows\\System32\\rundll32.exe', 'C:\\Windows\\System32\\reg.exe', 'C:\\Windows\\System32\\schtasks.exe', 'C:\\Windows\\explorer.exe',
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', 'C:\\Windows\\System32\\certutil.exe', 'C:\\Users\\alice\\AppData\\Local\\Temp\\setup.exe',
];
const ARGS = [
  '', ' -k netsvcs -p', ' /c echo hello', ' -nop -Command Write-Host ok', ' --type=renderer --field-trial-handle=1234', ' /i C:\\tmp\\app.msi /qn',
  ' shell32.dll,Control_RunDLL', ' query HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', ' /create /tn Updater /tr C:\\x.exe /sc daily',
  ' -urlcache -split -f http://203.0.113.7/a.exe', ' -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA', ' /c whoami /all',
];
const USERS = ['CORP\\alice', 'CORP\\bob', 'NT AUTHORITY\\SYSTEM'];
function makeEvent(i: number): Record<string, string> {
  const image = pick(IMAGES);
  const parent = pick(IMAGES);
  const name = image.slice(image.lastIndexOf('\\') + 1);
  return {
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: '1',
    Computer: `WS${rnd(50)}.corp.example`,
    EventRecordID: String(i + 1),
    UtcTime: '2026-11-23 12:00:00.000',
    ProcessGuid: `{5770385f-c22a-43e0-bf4c-${String(i).padStart(12, '0')}}`,
    ProcessId: String(1000 + rnd(60000)),
    Image: image,
    OriginalFileName: name.toUpperCase(),
    CommandLine: `"${image}"${pick(ARGS)}`,
    CurrentDirectory: 'C:\\Windows\\system32\\',
    User: pick(USERS),
    IntegrityLevel: pick(['Medium', 'High', 'System']),
    Hashes: `SHA256=${rnd(1e9).toString(16).padStart(64, '0')}`,
    ParentImage: parent,
    ParentCommandLine: `"${parent}"${pick(ARGS)}`,
    ParentUser: pick(USERS),
  };
}

function loadRules(dir: string): SigmaCompiledRule[] {
  const out: SigmaCompiledRule[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.yml')) continue;
    const file = path.join(dir, f);
    try {
      out.push(sigmaEngine.compile(readFileSync(file, 'utf8'), { file }));
    } catch (e) {
      console.error(`skipped ${f}: ${(e as Error).message}`);
    }
  }
  return out;
}

function run(label: string, rules: readonly SigmaCompiledRule[], events: readonly Record<string, string>[], fresh: boolean): { seconds: number; matches: number } {
  // fresh copies: no per-event cache (lower-cased values, log-source checks) carried over from an
  // earlier candidate
  const evs = fresh ? events.map((e) => ({ ...e })) : events;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let matches = 0;
  for (const e of evs) {
    const ctx = contextOf(e);
    for (const r of rules) if (r.testContext(ctx) === T) matches++;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  sample();
  // CPU time is printed beside wall time: on a shared machine wall time includes waiting for a core
  console.log(
    `${label.padEnd(44)} ${(evs.length / seconds).toFixed(0).padStart(10)} events/s  ${seconds.toFixed(2).padStart(7)} s wall  ${cpuSeconds.toFixed(2).padStart(7)} s CPU  ${String(matches).padStart(8)} matches`,
  );
  return { seconds, matches };
}

const t0 = Date.now();
const pcDir = path.join(EXTERNAL, 'sigma/rules/windows/process_creation');
const all = loadRules(pcDir);
const compileS = (Date.now() - t0) / 1000;
const lab = loadRules(path.join(ROOT, 'detections/sigma')).filter((r) => r.detectionType === 'INSTALLER_SCRIPT_CHILD');
const events = Array.from({ length: N }, (_, i) => makeEvent(i));
sample();
console.log(`node ${process.version}, ${N} generated Sysmon EID 1 events; ${all.length} process_creation rules compiled in ${compileS.toFixed(2)} s`);

const base = run('baseline: walk events, build context only', [], events, true);
const one = run('T1546.016 rule (INSTALLER_SCRIPT_CHILD) alone', lab, events, true);
const many = run(`${all.length} SigmaHQ process_creation rules`, all, events, true);
clearInterval(timer);
console.log(`rule-evaluations/s (all rules): ${((N * all.length) / many.seconds / 1e6).toFixed(2)} M`);
console.log(`ratio events/s single rule vs all rules: ${(many.seconds / one.seconds).toFixed(1)}x; baseline share of single-rule time: ${((base.seconds / one.seconds) * 100).toFixed(0)} %`);
console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
