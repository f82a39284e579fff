// Splits the expanded search into commands at top-level pipes. A search that does not start with
// `|` begins with an implicit `search` command; one that does starts with a generating command.
import { SPL_ERRORS, type SplSource } from './source.ts';

export interface CommandText {
  /** command name, lower case ("search" for the implicit first command) */
  name: string;
  /** offset of the command name (or of the search body for the implicit search) */
  offset: number;
  /** text after the command name */
  body: string;
  bodyOffset: number;
  /** offset just after the command's last character */
  end: number;
  implicitSearch: boolean;
  /** index in the pipeline */
  index: number;
}

export function splitPipeline(src: SplSource): CommandText[] {
  const text = src.text;
  const cuts: number[] = [];
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      i++;
      continue;
    }
    if (inQuote) {
      if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '|') cuts.push(i);
    else if (c === '[') throw src.error(SPL_ERRORS.unsupported, 'Subsearches ([...]) are not supported by the lab engine.', i);
  }
  if (inQuote) {
    const at = text.lastIndexOf('"');
    throw src.error(SPL_ERRORS.syntax, 'Unbalanced quotes.', at);
  }
  const segments: { start: number; end: number }[] = [];
  let start = 0;
  for (const cut of cuts) {
    segments.push({ start, end: cut });
    start = cut + 1;
  }
  segments.push({ start, end: text.length });

  const commands: CommandText[] = [];
  const leadingPipe = text.slice(segments[0]!.start, segments[0]!.end).trim() === '' && segments.length > 1;
  if (!leadingPipe && segments.length === 1 && text.trim() === '') {
    throw src.error(SPL_ERRORS.syntax, 'Empty search.', 0);
  }
  segments.forEach((seg, k) => {
    if (k === 0 && leadingPipe) return;
    const raw = text.slice(seg.start, seg.end);
    const lead = raw.length - raw.trimStart().length;
    const first = seg.start + lead;
    if (raw.trim() === '') {
      if (k === 0) return; // "| x" handled above; an empty first segment of a lone search
      throw src.error(SPL_ERRORS.syntax, "Missing a search command before '|'.", seg.start - 1);
    }
    const word = /^[^\s(]*/.exec(text.slice(first, seg.end))![0];
    if (k === 0 && !leadingPipe && word.toLowerCase() !== 'search') {
      commands.push({ name: 'search', offset: first, body: raw.slice(lead), bodyOffset: first, end: seg.end, implicitSearch: true, index: commands.length });
      return;
    }
    if (word === '') throw src.error(SPL_ERRORS.syntax, "Missing a search command before '('.", first);
    const bodyOffset = first + word.length;
    commands.push({
      name: word.toLowerCase(),
      offset: first,
      body: text.slice(bodyOffset, seg.end),
      bodyOffset,
      end: seg.end,
      implicitSearch: false,
      index: commands.length,
    });
  });
  return commands;
}
