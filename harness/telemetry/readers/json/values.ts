// JSON values out of a stream of UTF-8 chunks, in batches, each with the line it starts on.
//
// Three layouts are accepted (telemetry.md §3): JSON Lines (one value per line: the fast path, one
// JSON.parse per line), a JSON array of objects, and a stream of (pretty-printed) objects that is
// not an array (the Rust `evtx` crate's output). Which one is decided from the first non-blank
// line: a line that parses on its own makes the file JSON Lines, anything else is scanned as a
// stream of values. Blank lines are skipped; CR before LF is whitespace to JSON.
//
// A value that is not JSON stops the file with an InputError naming line:column and JSON.parse's
// reason, after every value before it has been handed out (the caller yields them first). The
// choice (error rather than skip-and-warn) is deliberate: a silently dropped event in a detection
// lab looks like a telemetry gap.
import { InputError } from '../../../core/errors.ts';
import { lineBatches } from '../lines.ts';

export interface JsonBatch {
  values: unknown[];
  /** 1-based line where each value starts */
  lines: number[];
}

/**
 * Offset of the first syntax error in `text` (JSON.parse does not always say: "Unexpected token
 * 'o', …" has no position). Only run after JSON.parse failed, so its speed does not matter.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const c of word) if (text[i++] !== c) (i--, fail());
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) fail();
      }
      i++;
    }
    i++;
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}

/** line:column of a JSON.parse failure inside `text`, which starts at startLine:startCol. */
function parsePosition(text: string, startLine: number, startCol: number): { line: number; column: number } {
  const p = Math.max(0, jsonErrorOffset(text));
  let line = startLine;
  let lineStart = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < p; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i;
  }
  return { line, column: lineStart < 0 ? startCol + p : p - lineStart };
}

function jsonError(file: string, message: string, text: string, startLine: number, startCol: number): InputError {
  const pos = parsePosition(text, startLine, startCol);
  const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '');
  return new InputError('E_INPUT_JSON', `not valid JSON: ${reason.slice(0, 200)}`, { file, line: pos.line, column: pos.column });
}

/** JSON Lines: one JSON.parse per non-blank line. */
async function* jsonLines(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<JsonBatch> {
  for await (const { lines, first } of lineBatches(chunks)) {
    const batch: JsonBatch = { values: [], lines: [] };
    let error: InputError | undefined;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l === '') continue;
      try {
        batch.values.push(JSON.parse(l));
        batch.lines.push(first + i);
      } catch (e) {
        if (l.trim() === '') continue;
        error = jsonError(file, (e as Error).message, l, first + i, 1);
        break;
      }
    }
    if (batch.values.length) yield batch;
    if (error) throw error;
  }
}

const enum B {
  LF = 0x0a,
  CR = 0x0d,
  TAB = 0x09,
  SP = 0x20,
  QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c,
  LBRACE = 0x7b,
  RBRACE = 0x7d,
  LBRACKET = 0x5b,
  RBRACKET = 0x5d,
}

/** A stream of values: concatenated or pretty-printed objects, or top-level arrays of objects. */
async function* jsonStream(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<JsonBatch> {
  let depth = 0;
  let base = 0; // 1 while inside a top-level array
  let inString = false;
  let escapeNext = false;
  let line = 1;
  let lineStart = 0; // global offset of the current line's first byte
  let offset = 0; // global offset of the current chunk
  let pieces: Buffer[] = [];
  let valueLine = 0;
  let valueCol = 0;
  let arrayLine = 0;
  let arrayCol = 0;
  const fail = (msg: string, i: number): InputError =>
    new InputError('E_INPUT_JSON', msg, { file, line, column: offset + i - lineStart + 1 });

  for await (const chunk of chunks) {
    const batch: JsonBatch = { values: [], lines: [] };
    const n = chunk.length;
    let start = depth > base ? 0 : -1; // where the open value starts in this chunk
    let i = 0;
    let error: InputError | undefined;
    if (escapeNext) {
      i = 1;
      escapeNext = false;
    }
    scan: while (i < n) {
      if (inString) {
        let q = chunk.indexOf(B.QUOTE, i);
        while (q >= 0) {
          let k = q - 1;
          while (k >= i && chunk[k] === B.BACKSLASH) k--;
          if ((q - 1 - k) % 2 === 0) break; // even run of backslashes: the quote ends the string
          q = chunk.indexOf(B.QUOTE, q + 1);
        }
        if (q < 0) {
          let k = n - 1;
          while (k >= i && chunk[k] === B.BACKSLASH) k--;
          escapeNext = (n - 1 - k) % 2 === 1;
          break;
        }
        inString = false;
        i = q + 1;
        continue;
      }
      const c = chunk[i]!;
      if (c === B.LF) {
        line++;
        lineStart = offset + i + 1;
      } else if (depth > base) {
        if (c === B.QUOTE) inString = true;
        else if (c === B.LBRACE || c === B.LBRACKET) depth++;
        else if (c === B.RBRACE || c === B.RBRACKET) {
          depth--;
          if (depth === base) {
            pieces.push(chunk.subarray(start, i + 1));
            const text = (pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces)).toString('utf8');
            pieces = [];
            start = -1;
            try {
              batch.values.push(JSON.parse(text));
              batch.lines.push(valueLine);
            } catch (e) {
              error = jsonError(file, (e as Error).message, text, valueLine, valueCol);
              break scan;
            }
          }
        }
      } else if (c === B.SP || c === B.TAB || c === B.CR) {
        // whitespace between values
      } else if (c === B.LBRACE) {
        depth++;
        start = i;
        valueLine = line;
        valueCol = offset + i - lineStart + 1;
      } else if (base === 0 && c === B.LBRACKET) {
        base = depth = 1;
        arrayLine = line;
        arrayCol = offset + i - lineStart + 1;
      } else if (base === 1 && c === B.COMMA) {
        // between array elements
      } else if (base === 1 && c === B.RBRACKET) {
        base = depth = 0;
      } else {
        const what = base === 1 ? 'an array element that is not a JSON object' : 'text outside a JSON object';
        error = fail(`not valid JSON here: ${what} (found ${JSON.stringify(String.fromCharCode(c))})`, i);
        break;
      }
      i++;
    }
    if (!error && depth > base && start >= 0) pieces.push(chunk.subarray(start));
    if (batch.values.length) yield batch;
    if (error) throw error;
    offset += n;
  }
  if (depth > base) {
    throw new InputError('E_INPUT_JSON', `unexpected end of file: the JSON object that starts here is not closed`, { file, line: valueLine, column: valueCol });
  }
  if (base === 1) {
    throw new InputError('E_INPUT_JSON', `unexpected end of file: the JSON array that starts here is not closed with ']'`, { file, line: arrayLine, column: arrayCol });
  }
}

/** The first non-blank line of `head`, when it is a whole JSON value by itself. */
function firstLineIsValue(head: Buffer): boolean {
  const text = head.toString('utf8');
  for (const l of text.split('\n')) {
    if (l.trim() === '') continue;
    if (!l.trimStart().startsWith('{')) return false;
    try {
      JSON.parse(l);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}

/** Batches of JSON values from the content `chunks` (whose first bytes are `head`). */
export function jsonBatches(head: Buffer, chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<JsonBatch> {
  return firstLineIsValue(head) ? jsonLines(chunks, file) : jsonStream(chunks, file);
}
