// auditd logs → canonical events. Records are grouped by `audit(<time>:<serial>)` into events;
// the records of one event may be interleaved with other events' records. A group is complete at
// its EOE record, or when WINDOW further records have arrived without one (single-record events
// have no EOE; excerpts often drop it). Groups are handed out in the order of their first record.
// A record of a group that was already closed (more than WINDOW records late) starts a new group
// and is reported as a warning.
//
// Lines that are not records stop the file with an InputError naming line:column, after every
// event before them (complete or not) has been handed out. Blank lines, ausearch's `----`
// separators and its `time->…` lines are skipped.
import { InputError } from '../../../core/errors.ts';
import type { CanonicalEvent } from '../../model.ts';
import { AuditdNormalizer } from '../../normalize/auditd.ts';
import { lineBatches } from '../lines.ts';
import type { ReadOptions } from '../types.ts';
import { type AuditRecord, parseRecord } from './records.ts';

const WINDOW = 512;
const CLOSED_MEMORY = 4096;

interface Group {
  key: string;
  records: AuditRecord[];
  done: boolean;
  /** record count when the group last grew */
  seen: number;
}

export async function* readAuditd(chunks: AsyncIterable<Buffer>, options: ReadOptions): AsyncGenerator<CanonicalEvent[]> {
  const { file } = options;
  const warn = options.onWarning ?? (() => {});
  const normalizer = new AuditdNormalizer(file);
  const open = new Map<string, Group>();
  const queue: Group[] = [];
  let head = 0;
  const closed = new Set<string>();
  const closedOrder: string[] = [];
  let count = 0;

  const emit = (g: Group, out: CanonicalEvent[]): void => {
    open.delete(g.key);
    closed.add(g.key);
    closedOrder.push(g.key);
    if (closedOrder.length > CLOSED_MEMORY) closed.delete(closedOrder.shift()!);
    if (g.records.every((r) => r.type === 'EOE')) return;
    const { events, warnings } = normalizer.normalize(g.records);
    for (const w of warnings) warn(w);
    for (const e of events) out.push(e);
  };
  const flush = (out: CanonicalEvent[], all: boolean): void => {
    while (head < queue.length) {
      const g = queue[head]!;
      if (!all && !g.done && count - g.seen <= WINDOW) break;
      emit(g, out);
      head++;
    }
    if (head > 1024) {
      queue.splice(0, head);
      head = 0;
    }
  };

  for await (const { lines, first } of lineBatches(chunks)) {
    const out: CanonicalEvent[] = [];
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i]!;
      if (text === '' || text === '----' || text.startsWith('time->') || text.trim() === '') continue;
      const parsed = parseRecord(text, first + i);
      if ('error' in parsed) {
        flush(out, true);
        if (out.length) yield out;
        throw new InputError('E_INPUT_AUDITD', parsed.error, { file, line: first + i, column: parsed.column });
      }
      const r = parsed.record;
      const key = `${r.time}:${r.serial}`;
      let g = open.get(key);
      if (!g) {
        if (closed.has(key)) {
          if (r.type === 'EOE') continue;
          warn(`${file}:${r.line}: ${r.type} record of audit event ${r.serial} arrived more than ${WINDOW} records after the event's others; read as a separate event`);
        }
        g = { key, records: [], done: false, seen: count };
        open.set(key, g);
        queue.push(g);
      }
      g.records.push(r);
      g.seen = count++;
      if (r.type === 'EOE') g.done = true;
      flush(out, false);
    }
    if (out.length) yield out;
  }
  const out: CanonicalEvent[] = [];
  flush(out, true);
  if (out.length) yield out;
}
