// Reading telemetry files: the format is detected from the content (sniff.ts), never from the
// name; every reader streams (memory stays flat however large the file) and yields canonical
// events. Bad input stops with an InputError (exit 2) naming file and line:column or offset, after
// every event read before it has been handed out.
//
// Formats: Windows event XML and .evtx (winxml/, evtx/), JSON of every shape of telemetry.md §3
// (json/), auditd logs (auditd/), Sysmon for Linux syslog lines (sysmon-syslog.ts), and the lab's
// own traces through the Reader seam of types.ts (wine-trace/, strace/), tried when none of the
// others recognises the content. Any of them may be gzip-compressed and carry a byte-order mark.
import { InputError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import type { CanonicalEvent } from '../model.ts';
import { normalizeWinEvent } from '../normalize/windows.ts';
import { readAuditd } from './auditd/index.ts';
import { readEvtx } from './evtx/index.ts';
import { readJson } from './json/index.ts';
import { describeHead, sniffFormat, type DetectedFormat } from './sniff.ts';
import { isBlank, openSource, plainFile, type Source } from './source.ts';
import { straceReader } from './strace/index.ts';
import { readSysmonSyslog } from './sysmon-syslog.ts';
import type { Reader, ReadOptions } from './types.ts';
import { wineTraceReader } from './wine-trace/index.ts';
import { parseEventXml, readEventXml } from './winxml/index.ts';

export { sniffFormat, type DetectedFormat };

export interface ReadEventsOptions {
  /**
   * 'view' (default; `detect` semantics, CONTRACTS.md): flat JSON objects are kept as-is.
   * 'normalize' (`events`, `replay`): OTRF/nxlog Windows JSON, Falcon FDR and Splunk results whose
   * `_raw` is event XML are parsed into canonical events.
   */
  flatJson?: 'view' | 'normalize';
  /** recoverable problems (the readable part is still returned); default: logged as warnings */
  onWarning?: (message: string) => void;
}

/** Errors raised on a temporary decompressed copy name the file the user gave. */
function renamed(e: unknown, tmp: string, file: string): unknown {
  if (tmp === file || !(e instanceof InputError) || e.position?.file !== tmp) return e;
  return new InputError(e.code, e.message, { ...e.position, file }, { cause: e });
}

/** Reads one-event-at-a-time sources into batches, so a failure still hands out what came before. */
async function* batched<T>(items: AsyncIterable<T>, convert: (item: T) => CanonicalEvent, size = 256): AsyncGenerator<CanonicalEvent[]> {
  let out: CanonicalEvent[] = [];
  let failure: { error: unknown } | undefined;
  try {
    for await (const item of items) {
      out.push(convert(item));
      if (out.length >= size) {
        yield out;
        out = [];
      }
    }
  } catch (error) {
    failure = { error };
  }
  // on an error the events before it are still handed out, then the error continues
  if (out.length) yield out;
  if (failure) throw failure.error;
}

/** Readers of the Reader seam (types.ts), tried in order after the formats above. */
const SEAM_READERS: readonly Reader[] = [wineTraceReader, straceReader];

async function* readPathBased(source: Source, options: ReadOptions, format: 'event-xml' | 'evtx' | Reader): AsyncGenerator<CanonicalEvent[]> {
  const { file } = options;
  const plain = await plainFile(source);
  const warn = options.onWarning;
  const opts = warn ? { onWarning: warn } : {};
  try {
    if (format === 'event-xml') {
      yield* batched(readEventXml(plain.path, opts), (r) =>
        normalizeWinEvent(r.event, { format: 'event-xml', file, line: r.line, offset: r.offset }, r.text));
    } else if (format === 'evtx') {
      yield* batched(readEvtx(plain.path, opts), (r) => normalizeWinEvent(r.event, { format: 'evtx', file, offset: r.offset }));
    } else {
      yield* batched(format.read(plain.path, options), (e) => e);
    }
  } catch (e) {
    throw renamed(e, plain.path, file);
  } finally {
    await plain.dispose();
  }
}

const ACCEPTED = 'Windows event XML, .evtx, JSON (lines, array or a stream of objects), an auditd log, Sysmon for Linux syslog lines, a Wine trace or strace -f -ttt output';

/** Batches of canonical events from one file (the fast path; readEvents yields them one by one). */
export async function* readBatches(file: string, opts: ReadEventsOptions = {}): AsyncGenerator<CanonicalEvent[]> {
  const options: ReadOptions = {
    file,
    flatJson: opts.flatJson ?? 'view',
    onWarning: opts.onWarning ?? ((m) => logger.warn(m)),
  };
  const source = await openSource(file);
  let count = 0;
  try {
    if (source.head.length === 0) throw new InputError('E_INPUT_EMPTY', 'the file is empty (0 bytes of content)', { file });
    if (isBlank(source.head)) throw new InputError('E_INPUT_EMPTY', 'the file holds only blank lines or spaces', { file });
    const format = sniffFormat(source.head);
    let batches: AsyncGenerator<CanonicalEvent[]>;
    switch (format) {
      case 'json':
        batches = readJson(source.head, source.chunks(), options, parseEventXml);
        break;
      case 'auditd':
        batches = readAuditd(source.chunks(), options);
        break;
      case 'sysmon-linux-syslog':
        batches = readSysmonSyslog(source.chunks(), options, parseEventXml);
        break;
      case 'event-xml':
      case 'evtx':
        batches = readPathBased(source, options, format);
        break;
      default: {
        const seam = SEAM_READERS.find((r) => r.sniff(source.head));
        if (seam) {
          batches = readPathBased(source, options, seam);
          break;
        }
        throw new InputError('E_INPUT_FORMAT', `unrecognised format: the content starts with ${describeHead(source.head)}; expected ${ACCEPTED}`, { file, line: 1, column: 1 });
      }
    }
    for await (const batch of batches) {
      count += batch.length;
      yield batch;
    }
    if (count === 0) options.onWarning!(`${file}: no events in this file`);
  } finally {
    source.close();
  }
}

/** One event at a time over batches, without an async generator's per-item cost. */
function flatten<T>(batches: AsyncGenerator<T[]>): AsyncIterableIterator<T> {
  let buf: T[] = [];
  let i = 0;
  const pull = async (): Promise<IteratorResult<T>> => {
    for (;;) {
      const r = await batches.next();
      if (r.done) return { value: undefined, done: true };
      if (r.value.length) {
        buf = r.value;
        i = 1;
        return { value: buf[0]!, done: false };
      }
    }
  };
  const it: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => it,
    next: () => (i < buf.length ? Promise.resolve({ value: buf[i++]!, done: false }) : pull()),
    return: async () => {
      buf = [];
      await batches.return(undefined);
      return { value: undefined, done: true };
    },
  };
  return it;
}

/** The canonical events of one telemetry file, streaming. */
export function readEvents(file: string, opts: ReadEventsOptions = {}): AsyncIterable<CanonicalEvent> {
  return flatten(readBatches(file, opts));
}

/** The events of several files, one file after the other, streaming. */
export function readAll(files: readonly string[], opts: ReadEventsOptions = {}): AsyncIterable<CanonicalEvent> {
  async function* all(): AsyncGenerator<CanonicalEvent[]> {
    for (const f of files) yield* readBatches(f, opts);
  }
  return flatten(all());
}
