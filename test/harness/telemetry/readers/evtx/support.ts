// Shared by the EVTX unit tests: write bytes to a temp file and read them back with readEvtx.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { readEvtx, type EvtxRecord } from '../../../../../harness/telemetry/readers/evtx/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'evtx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
export function tempFile(bytes: Buffer | string, ext = '.evtx'): string {
  const file = path.join(dir, `f${n++}${ext}`);
  writeFileSync(file, bytes);
  return file;
}

export interface ReadResult {
  records: EvtxRecord[];
  warnings: string[];
  error?: unknown;
}

export async function readAll(file: string): Promise<ReadResult> {
  const records: EvtxRecord[] = [];
  const warnings: string[] = [];
  try {
    for await (const r of readEvtx(file, { onWarning: (m) => warnings.push(m) })) records.push(r);
  } catch (error) {
    return { records, warnings, error };
  }
  return { records, warnings };
}
