// SPL comments: three backticks before and after (```like this```), anywhere outside a quoted
// string ("Add comments to searches", Splunk Search Manual 8.x+). They are blanked to spaces
// (newlines kept) so that offsets stay put.

const FENCE = '```';

/** The text with every comment replaced by spaces; `onError` builds the error for an unterminated one. */
export function blankComments(text: string, onError: (message: string, offset: number) => Error): string {
  if (!text.includes(FENCE)) return text;
  let out = '';
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuote) {
      if (c === '\\' && i + 1 < text.length) {
        out += c + text[++i]!;
        continue;
      }
      if (c === '"') inQuote = false;
      out += c;
      continue;
    }
    if (c === '"') {
      inQuote = true;
      out += c;
      continue;
    }
    if (text.startsWith(FENCE, i)) {
      const end = text.indexOf(FENCE, i + FENCE.length);
      if (end < 0) throw onError('Unterminated comment: ``` has no closing ```.', i);
      out += text.slice(i, end + FENCE.length).replace(/[^\n]/g, ' ');
      i = end + FENCE.length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** The comments of a rule (text between the fences, trimmed) with their offsets, for meta and lints. */
export function findComments(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (text.startsWith(FENCE, i)) {
      const end = text.indexOf(FENCE, i + FENCE.length);
      if (end < 0) break;
      out.push({ text: text.slice(i + FENCE.length, end).trim(), offset: i });
      i = end + FENCE.length - 1;
    }
  }
  return out;
}
