// What a Windows lab machine's run left, as the harness's Collected: one event XML document per
// exported channel (Sysmon, Security, Application) parsed by the telemetry readers (the same
// event-XML parser `detect` and `replay` use), the listener's callbacks and the proof files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CanonicalEvent } from '../../telemetry/model.ts';
import { readEvents } from '../../telemetry/readers/index.ts';
import type { Collected, RawOutput } from '../types.ts';
import { readCallbacks, type RunnerOutput } from './runner-output.ts';

/** Channels the runner exported: status lines `channel.<file stem>=<channel name>` (or `failed N`). */
export function exportedChannels(out: RunnerOutput): { file: string; channel: string; failed?: string }[] {
  const list: { file: string; channel: string; failed?: string }[] = [];
  for (const [k, v] of out.status) {
    if (!k.startsWith('channel.')) continue;
    const value = v.at(-1) ?? '';
    const file = path.join(out.dir, `${k.slice('channel.'.length)}.xml`);
    list.push(value.startsWith('failed') ? { file, channel: k.slice(8), failed: value } : { file, channel: value });
  }
  return list;
}

export async function collectWindowsRun(out: RunnerOutput, o: { warnings?: string[] } = {}): Promise<Collected> {
  const warnings = [...(o.warnings ?? [])];
  const warn = (m: string) => warnings.push(m);
  const raw: RawOutput[] = [];
  const events: CanonicalEvent[] = [];
  for (const c of exportedChannels(out)) {
    if (c.failed) {
      warn(`wevtutil could not export ${c.channel} (${c.failed}): is the channel there (Sysmon installed)?`);
      continue;
    }
    raw.push({ path: c.file, format: 'event-xml', sensor: c.channel });
    if (!/<Event[\s>]/.test(readFileSync(c.file, 'utf8'))) {
      warn(`${c.channel}: no events in the run window`);
      continue;
    }
    for await (const e of readEvents(c.file, { onWarning: warn })) events.push(e);
  }
  if (out.test && raw.length === 0) warn('the Windows machine exported no event log');
  const callbacks = readCallbacks(out.callbacks);
  if (out.callbacks) raw.push({ path: out.callbacks, format: 'callbacks-jsonl', sensor: 'listener' });
  for (const [machinePath, hostFile] of out.collected) raw.push({ path: hostFile, format: 'text', sensor: `file:${machinePath}` });
  const byLower = new Map([...out.collected].map(([k, v]) => [k.toLowerCase(), v]));
  const readFile = (p: string): string | undefined => {
    const f = byLower.get(p.toLowerCase());
    return f === undefined ? undefined : readFileSync(f, 'utf8');
  };
  return { raw, events, callbacks, customActions: [], stubs: [], readFile, changedFiles: [], warnings };
}
