// Argument tokens of the simple commands (table, fields, rename, sort, dedup, stats, bin, rex,
// fillnull, head, tail, mvexpand, makeresults): words, "quoted strings", commas, parentheses and
// `=`; with helpers for `key=value` options and field lists.
import type { RuleError } from '../../../../harness/core/errors.ts';
import { SPL_ERRORS, type SplSource } from '../source.ts';
import type { CommandText } from '../pipeline.ts';

export interface ArgToken {
  t: 'word' | 'str' | ',' | '(' | ')' | '=';
  v: string;
  offset: number;
  end: number;
}

export function lexArgs(src: SplSource, start: number, end: number): ArgToken[] {
  const text = src.text;
  const out: ArgToken[] = [];
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === ',' || c === '(' || c === ')' || c === '=') {
      out.push({ t: c, v: c, offset: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === '"') {
      let v = '';
      let j = i + 1;
      for (; j < end && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < end && (text[j + 1] === '"' || text[j + 1] === '\\')) j++;
        v += text[j]!;
      }
      if (j >= end) throw src.error(SPL_ERRORS.syntax, 'Unbalanced quotes.', i);
      out.push({ t: 'str', v, offset: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    const s = i;
    while (i < end && !/[\s,()="]/.test(text[i]!)) i++;
    out.push({ t: 'word', v: text.slice(s, i), offset: s, end: i });
  }
  return out;
}

/** A cursor over argument tokens with the errors every command needs. */
export class Args {
  i = 0;
  readonly tokens: ArgToken[];

  constructor(
    readonly src: SplSource,
    readonly cmd: CommandText,
  ) {
    this.tokens = lexArgs(src, cmd.bodyOffset, cmd.end);
  }

  peek(k = 0): ArgToken | undefined {
    return this.tokens[this.i + k];
  }

  next(): ArgToken | undefined {
    return this.tokens[this.i++];
  }

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  error(message: string, tok: ArgToken | undefined = this.peek()): RuleError {
    return this.src.error(SPL_ERRORS.syntax, `Error in '${this.cmd.name}' command: ${message}`, tok?.offset ?? this.cmd.end);
  }

  /** Takes `key=value` if the next tokens are one of the given option names. */
  option(names: readonly string[]): { key: string; value: string; tok: ArgToken } | undefined {
    const k = this.peek();
    if (k?.t !== 'word' || this.peek(1)?.t !== '=' || !names.includes(k.v.toLowerCase())) return undefined;
    const v = this.peek(2);
    if (!v || (v.t !== 'word' && v.t !== 'str')) throw this.error(`Missing a value for option '${k.v}'.`, k);
    this.i += 3;
    return { key: k.v.toLowerCase(), value: v.v, tok: k };
  }

  /** Every `key=value` option at the current position (any name in `names`). */
  options(names: readonly string[]): Map<string, { value: string; tok: ArgToken }> {
    const out = new Map<string, { value: string; tok: ArgToken }>();
    for (let o = this.option(names); o; o = this.option(names)) out.set(o.key, { value: o.value, tok: o.tok });
    return out;
  }

  /** A comma- or space-separated list of field names (words or quoted), up to a stop word. */
  fieldList(stop: (t: ArgToken) => boolean = () => false): { name: string; tok: ArgToken }[] {
    const out: { name: string; tok: ArgToken }[] = [];
    while (!this.done()) {
      const t = this.peek()!;
      if (t.t === ',') {
        this.i++;
        continue;
      }
      if (stop(t)) break;
      if (t.t !== 'word' && t.t !== 'str') throw this.error(`Unexpected '${t.v}'.`, t);
      this.i++;
      out.push({ name: t.v, tok: t });
    }
    return out;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t) throw this.error(`Unexpected '${t.v}'.`, t);
  }
}

export function isWord(t: ArgToken | undefined, ...words: string[]): boolean {
  return t !== undefined && t.t === 'word' && words.includes(t.v.toLowerCase());
}

export function parseBool(value: string): boolean | undefined {
  if (/^(true|t|1|yes|y)$/i.test(value)) return true;
  if (/^(false|f|0|no|n)$/i.test(value)) return false;
  return undefined;
}

export function parseCount(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}
