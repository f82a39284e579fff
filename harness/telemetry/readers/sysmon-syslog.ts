// Sysmon for Linux as it lands in syslog (telemetry.md §4): one event per line,
// `Mon DD HH:MM:SS host sysmon: <Event>…</Event>` (Debian/Ubuntu) or `sysmon[pid]:` (RHEL family).
// The XML after the tag goes through the Windows event XML parser. Lines of other programs (a
// plain /var/log/syslog holds them all) are skipped; a Sysmon line whose XML does not parse stops
// the file with an InputError naming the line and the column inside it.
import { InputError, isAtomicLabError } from '../../core/errors.ts';
import type { CanonicalEvent, WinEvent } from '../model.ts';
import { normalizeWinEvent } from '../normalize/windows.ts';
import { lineBatches } from './lines.ts';
import { SYSMON_SYSLOG } from './sniff.ts';
import type { ReadOptions } from './types.ts';

export async function* readSysmonSyslog(
  chunks: AsyncIterable<Buffer>,
  options: ReadOptions,
  parseXml: (text: string, file?: string) => WinEvent[],
): AsyncGenerator<CanonicalEvent[]> {
  const { file } = options;
  for await (const { lines, first } of lineBatches(chunks)) {
    const out: CanonicalEvent[] = [];
    for (let i = 0; i < lines.length; i++) {
      const m = SYSMON_SYSLOG.exec(lines[i]!);
      if (!m) continue;
      const xml = m[2]!;
      const line = first + i;
      const xmlColumn = lines[i]!.length - xml.length + 1;
      let events: WinEvent[];
      try {
        events = parseXml(xml);
      } catch (e) {
        if (out.length) yield out;
        const inner = isAtomicLabError(e) ? e.position : undefined;
        const column = xmlColumn + (inner?.line === 1 || inner?.line === undefined ? (inner?.column ?? 1) - 1 : 0);
        throw new InputError('E_INPUT_XML', `Sysmon event XML: ${(e as Error).message}`, { file, line, column }, { cause: e });
      }
      for (const ev of events) out.push(normalizeWinEvent(ev, { format: 'sysmon-linux-syslog', file, line }, xml));
    }
    if (out.length) yield out;
  }
}
