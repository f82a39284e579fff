// The Wine trace as a reader (the Reader seam of readers/types.ts): sniffed by its line prefix,
// anchored to the wall clock by the sidecar `<file>.anchor.json` ({"wall": s, "monoRaw": s}) that
// the wine target writes next to every trace. Without a sidecar the last trace line is taken to be
// the file's modification time, and a warning says so.
import { readFileSync, statSync } from 'node:fs';
import type { CanonicalEvent } from '../../model.ts';
import type { Reader, ReadOptions } from '../types.ts';
import { parseWineTrace, type TraceAnchor } from './parse.ts';

const TRACE_LINE = /^\d+\.\d+:[0-9a-f]{4,8}:[0-9a-f]{4,8}:(trace|fixme|err|warn):\w+:/m;

export function anchorFile(trace: string): string {
  return `${trace}.anchor.json`;
}

export function readAnchor(trace: string, text: string, warn: (m: string) => void): TraceAnchor {
  try {
    const a = JSON.parse(readFileSync(anchorFile(trace), 'utf8')) as TraceAnchor;
    if (typeof a.wall === 'number' && typeof a.monoRaw === 'number') return a;
  } catch {
    // no sidecar
  }
  const times = [...text.matchAll(/^(\d+\.\d+):[0-9a-f]{4,8}:/gm)];
  const last = times.length ? Number(times[times.length - 1]![1]) : 0;
  warn(`${trace}: no ${anchorFile(trace)}; times anchored on the file's modification time (approximate)`);
  return { wall: statSync(trace).mtimeMs / 1000, monoRaw: last };
}

export const wineTraceReader: Reader = {
  format: 'wine-trace',
  sniff: (head) => TRACE_LINE.test(head.toString('utf8')),
  async *read(file: string, options: ReadOptions): AsyncIterable<CanonicalEvent> {
    const text = readFileSync(file, 'utf8');
    const warn = options.onWarning ?? (() => {});
    const { events } = parseWineTrace(text, { file: options.file, anchor: readAnchor(file, text, warn), onWarning: warn });
    yield* events;
  },
};
