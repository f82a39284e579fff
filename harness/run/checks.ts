// Proof of execution and expected signals for one executed test (lab-spec.ts), and the status
// ladder they give (harness/verdicts/results.ts TestStatus, in the spirit of Secureworks
// atomic-harness: reference/atomics.md §5.1):
//
//   prereq_failed     a prerequisite was not met (and not installed)
//   execution_failed  the command did not exit 0, timed out, was interrupted, or the target failed
//   ran               it exited 0, but not every proof of execution holds
//   effect_proven     every proof holds (callback received, file written, process created, ...)
//   telemetry_present every observable expected signal was found in the canonical events
//
// ('detected' is decided later, by the verdicts.) Signals a target cannot observe are reported
// with observable: false and do not count against telemetry_present.
import type { CanonicalEvent } from '../telemetry/model.ts';
import type { CustomActionRecord, StubRecord } from '../telemetry/readers/wine-trace/parse.ts';
import type { Proof, Signal, TestStatus } from '../verdicts/results.ts';
import type { ProofSpec, SignalSpec, TargetName } from './lab-spec.ts';
import { describeEvent, type EventIndex } from './match.ts';

export interface CallbackRecord {
  time: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  marker: string | null;
  client: string;
  user_agent: string | null;
  status: number;
  bytes: number;
}

export interface CheckContext {
  target: TargetName;
  marker: string;
  index: EventIndex;
  callbacks: readonly CallbackRecord[];
  /** a file as the test left it (sandbox overlay or Wine prefix), by the path the test used */
  readFile(path: string): string | undefined;
  customActions: readonly CustomActionRecord[];
  stubs: readonly StubRecord[];
  exitCode: number | null;
}

export function applicableProofs(specs: readonly ProofSpec[], target: TargetName): ProofSpec[] {
  return specs.filter((p) => !p.targets || p.targets.includes(target));
}

export function checkProof(p: ProofSpec, ctx: CheckContext): Proof {
  const out = (ok: boolean, detail: string): Proof => ({ description: p.description, ok, detail });
  if ('callback' in p) {
    const hits = ctx.callbacks.filter((c) => c.path === p.callback.path && (!p.callback.marker || c.marker === ctx.marker));
    const first = hits[0];
    if (first) return out(true, `${first.method} ${first.path} (marker ${first.marker ?? 'none'}) from ${first.user_agent ?? 'unknown client'} at ${first.time}`);
    const seen = ctx.callbacks.map((c) => `${c.method} ${c.path}${c.marker ? `?marker=${c.marker}` : ''}`).join(', ');
    return out(false, `no request for ${p.callback.path}${p.callback.marker ? ` with marker ${ctx.marker}` : ''}; the listener saw ${seen || 'nothing'}`);
  }
  if ('file' in p) {
    const content = ctx.readFile(p.file.path);
    if (content === undefined) return out(false, `${p.file.path} does not exist`);
    if (p.file.contains !== undefined && !content.toLowerCase().includes(p.file.contains.toLowerCase())) {
      return out(false, `${p.file.path} exists but does not contain ${p.file.contains} (content: ${JSON.stringify(content.slice(0, 200))})`);
    }
    return out(true, `${p.file.path} exists${p.file.contains !== undefined ? `, contains ${p.file.contains}` : ''} (${JSON.stringify(content.trim().slice(0, 200))})`);
  }
  if ('process' in p) {
    const hits = ctx.index.find({ kind: 'process_creation', ...p.process }, ctx.marker);
    return hits[0] ? out(true, describeEvent(hits[0])) : out(false, 'no matching process creation in the captured telemetry');
  }
  if ('custom_action' in p) {
    const ca = ctx.customActions.filter((c) => c.action === p.custom_action.action && c.formatted !== undefined);
    const hit = ca.find((c) => p.custom_action.type === undefined || c.type === p.custom_action.type);
    if (hit) return out(true, `msiexec (pid ${hit.pid}) ran ${hit.action}, type ${hit.type} (0x${hit.typeHex}): ${hit.formatted}`);
    return out(false, ca.length ? `${p.custom_action.action} ran with type ${ca.map((c) => c.type).join(', ')}` : `msiexec never ran ${p.custom_action.action}`);
  }
  if ('wine_stub' in p) {
    const hit = ctx.stubs.find((s) => p.wine_stub.contains.every((w) => s.argv.join(' ').toLowerCase().includes(w.toLowerCase())));
    return hit
      ? out(true, `${hit.program} (pid ${hit.pid}) started with ${JSON.stringify(hit.argv.slice(1).join(' '))}; Wine's stub logs its arguments and exits 0 without running them`)
      : out(false, 'the Wine trace has no powershell stub line with those arguments');
  }
  return ctx.exitCode === p.exit_code ? out(true, `exit code ${ctx.exitCode}`) : out(false, `exit code ${ctx.exitCode ?? 'none'}, expected ${p.exit_code}`);
}

export function checkSignal(s: SignalSpec, ctx: CheckContext): Signal {
  const reason = s.not_observable_on?.[ctx.target];
  if (reason !== undefined) return { description: s.description, found: false, observable: false, detail: `not observable on the ${ctx.target} target: ${reason}` };
  const hits: CanonicalEvent[] = ctx.index.find(s.match, ctx.marker);
  if (s.absent) {
    return hits[0]
      ? { description: s.description, found: false, observable: true, detail: `unexpected: ${describeEvent(hits[0])}` }
      : { description: s.description, found: true, observable: true, detail: `no matching event among ${ctx.index.events.length}` };
  }
  return hits[0]
    ? { description: s.description, found: true, observable: true, detail: `${describeEvent(hits[0])}${hits.length > 1 ? ` (+${hits.length - 1} more)` : ''}` }
    : { description: s.description, found: false, observable: true, detail: `no matching event among ${ctx.index.events.length}` };
}

export interface StatusInput {
  prereqsMet: boolean;
  executionOk: boolean;
  proofs: readonly Proof[];
  signals: readonly Signal[];
}

export function statusOf(s: StatusInput): TestStatus {
  if (!s.prereqsMet) return 'prereq_failed';
  if (!s.executionOk) return 'execution_failed';
  if (s.proofs.length === 0 || !s.proofs.every((p) => p.ok)) return 'ran';
  const observable = s.signals.filter((x) => x.observable !== false);
  if (observable.length === 0 || !observable.every((x) => x.found)) return 'effect_proven';
  return 'telemetry_present';
}
