// The target seam: where an atomic test runs. Both local targets run it inside a sandbox session
// (sandbox/session.ts); `wine` adds a Wine prefix and runs Windows executors under Wine's real
// cmd.exe/msiexec. Lifecycle per test: prepare → execute → collect → cleanup → dispose, with
// cleanup and dispose always run (execute.ts), and every command's outcome in one shape
// (ExecResult), success or failure.
import type { AtomicTest } from '../atomics/model.ts';
import type { CanonicalEvent } from '../telemetry/model.ts';
import type { CustomActionRecord, StubRecord, TraceAnchor } from '../telemetry/readers/wine-trace/parse.ts';
import type { CallbackRecord } from '../run/checks.ts';
import type { LabTestSpec, TargetName } from '../run/lab-spec.ts';
import type { ExecResult } from './exec-result.ts';

export type { TargetName };

/** A system-level prerequisite of a target (a Debian package, the Wine prefix). */
export interface Requirement {
  id: string;
  description: string;
  met: boolean;
  /** the command that installs it, for people */
  install: string;
  detail?: string;
  /** installs it (run with --get-prereqs) */
  installer?: () => Promise<void>;
}

/** One ART dependency of one test, checked (prereq_command) and maybe fetched (get_prereq_command). */
export interface DependencyResult {
  description: string;
  met: boolean;
  check: ExecResult;
  fetch?: ExecResult;
  recheck?: ExecResult;
  /** the substituted get_prereq_command, for the message that lists what is missing */
  getPrereqCommand: string | null;
}

export interface RunContext {
  marker: string;
  /** the listener's base URL inside the sandbox */
  callbackBase: string;
  /** lab data for the test (inputs, proofs, signals), if any */
  spec: LabTestSpec | undefined;
  /** host folder for this test's sandbox session (removed after dispose) */
  workDir: string;
}

/** A raw sensor file produced by a run, kept as-is in the capture bundle. */
export interface RawOutput {
  /** host path while the session lives */
  path: string;
  format: 'wine-trace' | 'strace' | 'auditd' | 'callbacks-jsonl' | 'event-xml' | 'text';
  sensor: string;
  /** wall-clock anchor of a Wine trace */
  anchor?: TraceAnchor;
}

/** What a run left behind, read before cleanup. */
export interface Collected {
  raw: RawOutput[];
  events: CanonicalEvent[];
  callbacks: CallbackRecord[];
  customActions: CustomActionRecord[];
  stubs: StubRecord[];
  /** a file as the test left it, by the path the test used (C:\… under Wine, /… in the sandbox) */
  readFile(path: string): string | undefined;
  /** files the test created or changed (the overlay's upper layer), as paths inside */
  changedFiles: string[];
  warnings: string[];
}

export interface PreparedTest {
  target: TargetName;
  test: AtomicTest;
  ctx: RunContext;
  /** the substituted command, as the executor runs it */
  command: string;
  cleanupCommand: string | null;
}

export interface Target {
  readonly name: TargetName;
  /** why this target cannot run the test, or undefined when it can */
  unsupported(test: AtomicTest): string | undefined;
  /** system-level prerequisites for these tests (packages from their lab data included) */
  requirements(tests: readonly AtomicTest[], specs: ReadonlyMap<string, LabTestSpec>): Promise<Requirement[]>;
  /** checks (and with getPrereqs fetches) the tests' ART dependencies in one prerequisite session */
  dependencies(tests: readonly AtomicTest[], options: { getPrereqs: boolean; workDir: string; marker: string; timeoutMs: number; signal?: AbortSignal }): Promise<Map<AtomicTest, DependencyResult[]>>;
  prepare(test: AtomicTest, ctx: RunContext): Promise<PreparedTest>;
  execute(p: PreparedTest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<ExecResult>;
  collect(p: PreparedTest): Promise<Collected>;
  /** runs the test's cleanup_command (null when it has none) */
  cleanup(p: PreparedTest, options: { timeoutMs: number }): Promise<ExecResult | null>;
  /** ends the session and removes its work dir; safe to call twice */
  dispose(p: PreparedTest): Promise<void>;
  /** tool versions for the capture bundle */
  versions(): Promise<Record<string, string>>;
}
