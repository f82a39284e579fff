// Capture bundles: the seam between running attacks (expensive) and evaluating rules (cheap,
// offline, replayable). Layout of one bundle, `<report-dir>/captures/<test-slug>/`:
//
//   bundle.json    metadata, schema id `atomic-lab/capture@1` (this file's CaptureBundle)
//   events.jsonl   the canonical events (harness/telemetry/model.ts), one JSON object per line
//   raw/           the sensors' raw output as-is (Wine trace, strace, listener log, ...), and the
//                  test command's stdout/stderr
//
// Paths inside bundle.json are relative to the bundle folder. A bundle is written even when the
// test failed or was interrupted (status and error say so), so nothing already produced is lost.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import type { CanonicalEvent } from '../telemetry/model.ts';
import type { ExecutionStep, Proof, Signal, TestRef, TestStatus } from '../verdicts/results.ts';

export const CAPTURE_SCHEMA = 'atomic-lab/capture@1';
export const BUNDLE_FILE = 'bundle.json';
export const EVENTS_FILE = 'events.jsonl';
export const RAW_DIR = 'raw';

export interface RawFileRef {
  /** relative to the bundle folder */
  path: string;
  /** wine-trace, strace, auditd, callbacks-jsonl, text */
  format: string;
  /** wine-trace, strace, listener, overlay, executor */
  sensor: string;
  /** Wine trace: (wall clock, CLOCK_MONOTONIC_RAW) read just before Wine started, seconds */
  anchor?: { wall: number; monoRaw: number };
}

export interface PrerequisiteRecord {
  description: string;
  met: boolean;
  /** the command that installs it (when not met) */
  install?: string;
  detail?: string;
}

export interface CommandRecord {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  interrupted?: boolean;
  started: string;
  finished: string;
  /** relative paths of the full output */
  stdout?: string;
  stderr?: string;
  error?: string;
}

export interface CaptureBundle {
  schema: typeof CAPTURE_SCHEMA;
  test: TestRef;
  /** 'wine', 'sandbox', or 'none' when no target could take the test */
  target: string;
  /** the run marker (GUID) put into every executed command */
  marker: string;
  started: string;
  finished: string;
  /** tool versions: wine, wixl, msitools, python, pip, strace, kernel, atomic-lab */
  versions: Record<string, string>;
  /** the test command after #{argument} substitution, as the executor ran it */
  command?: string;
  executor?: string;
  exitCode: number | null;
  timedOut?: boolean;
  /** relative paths of the test command's full stdout / stderr */
  stdout?: string;
  stderr?: string;
  status: TestStatus;
  proof: Proof[];
  signals: Signal[];
  raw: RawFileRef[];
  /** number of lines of events.jsonl */
  eventCount: number;
  prerequisites?: PrerequisiteRecord[];
  cleanup?: CommandRecord | null;
  execution?: ExecutionStep[];
  /** files the test created or changed inside the sandbox (overlay upper layer), truncated */
  changedFiles?: string[];
  warnings?: string[];
  /** a lab error that stopped the test (exit-3 material, never a detection miss) */
  error?: string;
  /** wall time of each phase in ms: prepare, execute, capture, parse, cleanup */
  phases?: Record<string, number>;
  /** the canonical events; written to events.jsonl, not into bundle.json */
  events: CanonicalEvent[];
}

export interface LoadedBundle extends CaptureBundle {
  /** the bundle folder it was read from */
  dir: string;
}

/** `T1546.016-1` → `t1546.016-1`; anything else reduced to a safe folder name. */
export function bundleSlug(testId: string): string {
  return testId.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'test';
}

export function bundleDir(reportDir: string, testId: string): string {
  return path.join(reportDir, 'captures', bundleSlug(testId));
}

/** Copies a host file into the bundle's raw/ folder; returns its relative path, or undefined when it does not exist. */
export function addRawFile(dir: string, source: string, name: string): string | undefined {
  if (!existsSync(source)) return undefined;
  mkdirSync(path.join(dir, RAW_DIR), { recursive: true });
  const rel = path.posix.join(RAW_DIR, name);
  copyFileSync(source, path.join(dir, rel));
  return rel;
}

export function writeBundle(dir: string, bundle: CaptureBundle): void {
  mkdirSync(dir, { recursive: true });
  const { events, ...meta } = bundle;
  writeFileSync(path.join(dir, EVENTS_FILE), events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : ''));
  writeFileSync(path.join(dir, BUNDLE_FILE), JSON.stringify({ ...meta, eventCount: events.length }, null, 2) + '\n');
}

/** Reads a bundle folder (or its bundle.json). Malformed input is an InputError naming the file and line. */
export function readBundle(dirOrFile: string): LoadedBundle {
  const dir = path.basename(dirOrFile) === BUNDLE_FILE ? path.dirname(dirOrFile) : dirOrFile;
  const file = path.join(dir, BUNDLE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError('E_BUNDLE_READ', `not a capture bundle: cannot read ${BUNDLE_FILE} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  }
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new InputError('E_BUNDLE_JSON', `malformed JSON: ${(e as Error).message}`, { file, ...jsonPosition(text, e as Error) });
  }
  if (meta.schema !== CAPTURE_SCHEMA) {
    throw new InputError('E_BUNDLE_SCHEMA', `unsupported bundle schema ${JSON.stringify(meta.schema)} (expected ${CAPTURE_SCHEMA})`, { file });
  }
  for (const key of ['test', 'target', 'marker', 'status', 'proof', 'signals', 'raw'] as const) {
    if (!(key in meta)) throw new InputError('E_BUNDLE_FIELD', `missing field '${key}'`, { file });
  }
  const eventsFile = path.join(dir, EVENTS_FILE);
  const events: CanonicalEvent[] = [];
  if (existsSync(eventsFile)) {
    readFileSync(eventsFile, 'utf8').split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        events.push(JSON.parse(line) as CanonicalEvent);
      } catch (e) {
        throw new InputError('E_BUNDLE_EVENTS', `malformed event JSON: ${(e as Error).message}`, { file: eventsFile, line: i + 1, column: 1 });
      }
    });
  }
  return { ...(meta as unknown as CaptureBundle), events, dir };
}

/** line:column of a JSON.parse error ("... at position N"). */
function jsonPosition(text: string, e: Error): { line?: number; column?: number } {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return {};
  const before = text.slice(0, Number(m[1]));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}
