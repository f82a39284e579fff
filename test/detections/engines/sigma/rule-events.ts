// Events made from the rules themselves, so that a large share of a rule corpus fires and many
// more rules nearly fire: for each rule, Sysmon EID 1 events that satisfy its positive selections
// (one at a time and all together, with a filter on top), values in mixed case, a near-miss copy
// with one value cut short, and Security 4688 twins (mapped fields, MandatoryLabel SIDs, fields
// 4688 lacks). Deterministic (seeded), generated at test time: nothing is copied from the corpus.
import type { ViewEvent } from '../../../../detections/engines/types.ts';
import type { SigmaCompiledRule } from '../../../../detections/engines/sigma/compiled-rule.ts';
import type { Item } from '../../../../detections/engines/sigma/rule.ts';
import { polarity } from '../../../../detections/engines/sigma/whynot.ts';

export class Rng {
  constructor(private seed: number) {}
  int(n: number): number {
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    return (this.seed >>> 8) % n;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const SID: Record<string, string> = { low: 'S-1-16-4096', medium: 'S-1-16-8192', high: 'S-1-16-12288', system: 'S-1-16-16384' };

export function baseEvent(rng: Rng, i: number): Record<string, string> {
  const images = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Windows\\explorer.exe', 'C:\\Windows\\System32\\svchost.exe'];
  const image = rng.pick(images);
  const parent = rng.pick(images);
  return {
    Channel: SYSMON,
    EventID: '1',
    Computer: `WS${rng.int(9)}.corp.example`,
    EventRecordID: String(i + 1),
    UtcTime: '2026-11-23 12:00:00.000',
    ProcessId: String(1000 + rng.int(60000)),
    Image: image,
    OriginalFileName: image.slice(image.lastIndexOf('\\') + 1).toUpperCase(),
    CommandLine: `"${image}" /c echo ${rng.int(100)}`,
    CurrentDirectory: 'C:\\Windows\\system32\\',
    User: rng.pick(['CORP\\alice', 'NT AUTHORITY\\SYSTEM']),
    IntegrityLevel: rng.pick(['Medium', 'High', 'System']),
    Hashes: `SHA256=${rng.int(1e9).toString(16).padStart(64, '0')}`,
    ParentImage: parent,
    ParentCommandLine: `"${parent}"`,
    ParentUser: 'CORP\\alice',
  };
}

function mixCase(rng: Rng, s: string): string {
  const k = rng.int(3);
  if (k === 0) return s;
  if (k === 1) return s.toUpperCase();
  return [...s].map((c) => (rng.int(2) ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** A text the item's plain values accept (wildcards filled in); undefined for other kinds. */
function valueFor(rng: Rng, item: Item): string | undefined {
  const c = item.chain;
  if (c.neq || c.needsLookup || c.exists !== undefined || c.isNull || /re|cidr|lt|gt|minute|hour|day|week|month|year/.test(c.operator)) return undefined;
  const vals = c.linkAll ? c.rendered : [rng.pick(c.rendered)];
  const filled = vals.map((v) => v.replace(/\*/g, () => rng.pick(['', ' ', 'x', ' -a '])).replace(/\?/g, 'a'));
  return mixCase(rng, filled.join(' '));
}

function apply(rng: Rng, e: Record<string, string>, items: readonly Item[], fresh: Set<string>): void {
  for (const item of items) {
    const c = item.chain;
    if (item.field === null) {
      const v = valueFor(rng, item);
      if (v !== undefined) e.Description = v;
      continue;
    }
    if (c.isNull || c.exists === false) {
      delete e[item.field];
      continue;
    }
    if (c.exists === true) {
      e[item.field] ??= 'x';
      continue;
    }
    const v = valueFor(rng, item);
    if (v === undefined) continue;
    // two items on one field (startswith + endswith, contains + contains): keep both texts
    e[item.field] = fresh.has(item.field) ? e[item.field] + v : v;
    fresh.add(item.field);
  }
}

/** The same process creation as Security 4688 sees it (windows.yml mapping). */
export function as4688(e: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { Channel: 'Security', EventID: '4688', Computer: e.Computer ?? 'WS1', EventRecordID: e.EventRecordID ?? '0' };
  if (e.Image !== undefined) out.NewProcessName = e.Image;
  if (e.ParentImage !== undefined) out.ParentProcessName = e.ParentImage;
  if (e.CommandLine !== undefined) out.CommandLine = e.CommandLine;
  if (e.IntegrityLevel !== undefined) out.MandatoryLabel = SID[e.IntegrityLevel.toLowerCase()] ?? e.IntegrityLevel;
  return out;
}

export function eventsFromRules(rules: readonly SigmaCompiledRule[], seed = 7): ViewEvent[] {
  const rng = new Rng(seed);
  const out: Record<string, string>[] = [];
  const push = (e: Record<string, string>): void => {
    e.EventRecordID = String(out.length + 1);
    out.push(e);
  };
  for (const rule of rules) {
    const det = rule.doc.detection;
    const pol = new Map<string, boolean>();
    det.conditions.forEach((c) => polarity(c.tree, false, pol));
    const positive = [...pol].filter(([, p]) => p).map(([n]) => det.selections.get(n)!);
    const negative = [...pol].filter(([, p]) => !p).map(([n]) => det.selections.get(n)!);
    const variants: Item[][] = positive.map((s) => s.items);
    variants.push(positive.flatMap((s) => s.items));
    if (negative.length) variants.push([...positive.flatMap((s) => s.items), ...rng.pick(negative).items]);
    for (const items of variants) {
      const e = baseEvent(rng, out.length);
      apply(rng, e, items, new Set());
      push(e);
      // near miss: one value cut short by its last character
      const keys = Object.keys(e).filter((k) => k !== 'Channel' && k !== 'EventID' && e[k]!.length > 1);
      const k = rng.pick(keys);
      push({ ...e, [k]: e[k]!.slice(0, -1) });
      if (rng.int(4) === 0) push(as4688(e));
    }
  }
  return out;
}
