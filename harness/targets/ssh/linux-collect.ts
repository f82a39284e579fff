// What a Linux lab machine's run left, as the harness's Collected: the audit log parsed by the
// telemetry readers (the same auditd parser `detect`, `events` and `replay` use), the listener's
// callbacks, the proof files the runner copied out. Shared by the qemu, ssh and vagrant targets.
import { readFileSync } from 'node:fs';
import type { CanonicalEvent } from '../../telemetry/model.ts';
import { readEvents } from '../../telemetry/readers/index.ts';
import type { Collected, RawOutput } from '../types.ts';
import { readCallbacks, type RunnerOutput } from './runner-output.ts';

export async function collectLinuxRun(out: RunnerOutput, o: { host: string; extraRaw?: RawOutput[]; warnings?: string[] }): Promise<Collected> {
  const warnings = [...(o.warnings ?? [])];
  const warn = (m: string) => warnings.push(m);
  const raw: RawOutput[] = [];
  const events: CanonicalEvent[] = [];
  if (out.test && out.status.get('audit')?.at(-1) === 'failed') warn('the audit rules could not be loaded on the lab machine: no process, network or file telemetry');
  if (out.auditLog) {
    raw.push({ path: out.auditLog, format: 'auditd', sensor: 'auditd' });
    if (readFileSync(out.auditLog).length === 0) warn('auditd recorded nothing during the test');
    else {
      for await (const e of readEvents(out.auditLog, { onWarning: warn })) {
        e.host ??= o.host;
        events.push(e);
      }
    }
  } else if (out.test && out.auditLoaded) {
    warn('the lab machine returned no audit log');
  }
  if (out.test && out.status.get('audit')?.at(-1) === 'off') warn('no auditd sensor on this machine: no process, network or file telemetry');
  const callbacks = readCallbacks(out.callbacks);
  if (out.callbacks) raw.push({ path: out.callbacks, format: 'callbacks-jsonl', sensor: 'listener' });
  for (const [guestPath, hostFile] of out.collected) raw.push({ path: hostFile, format: 'text', sensor: `file:${guestPath}` });
  raw.push(...(o.extraRaw ?? []));
  const readFile = (p: string): string | undefined => {
    const f = out.collected.get(p);
    return f === undefined ? undefined : readFileSync(f, 'utf8');
  };
  return { raw, events, callbacks, customActions: [], stubs: [], readFile, changedFiles: out.changedFiles, warnings };
}
